import fc from 'fast-check';
import { HASHED_USER_DATA_KEYS } from '../../src/meta/types';
import type { PipelinesCall } from '../../src/customerio/call';
import {
  USER_DATA_LOOKUP,
  buildUserData,
  isSha256Hex,
  sealCall,
  sha256Hex,
} from '../../src/identity';
import type { IdentityOptions } from '../../src/identity';
import { readPath } from '../../src/identity/lookup';
import { NOW, identityOptions, pipelinesCall } from './arbitraries';

function makeCall(fields: Partial<PipelinesCall>): PipelinesCall {
  return {
    type: 'identify',
    messageId: 'msg_1',
    timestamp: '2026-12-01T12:00:00.000Z',
    ...fields,
  };
}

/** True when every value at a hashed key's lookup paths is a digest or an array of digests. */
function onlyDigestsAtHashedPaths(call: PipelinesCall, options: IdentityOptions): boolean {
  return HASHED_USER_DATA_KEYS.every((key) =>
    USER_DATA_LOOKUP[key].every((path) => {
      const value = readPath(call, path.split('.'));
      if (value === undefined || (path === 'anonymousId' && !options.anonymousIdAsExternalId)) {
        return true;
      }
      const values: unknown[] = Array.isArray(value) ? value : [value];
      return values.every((element) => typeof element === 'string' && isSha256Hex(element));
    }),
  );
}

describe('sealCall', () => {
  test('replaces raw values with digests', () => {
    const call = makeCall({
      userId: 'CUST_1',
      traits: { email: 'Jane@Example.com', phone: '(650) 555-1212', plan: 'gold' },
      context: { ip: '203.0.113.7', traits: { address: { city: 'Austin' } } },
    });

    const { call: sealed, warnings } = sealCall(call);

    expect(warnings).toEqual([]);
    expect(sealed.userId).toBe(sha256Hex('cust_1'));
    expect(sealed.traits).toEqual({
      email: sha256Hex('jane@example.com'),
      phone: sha256Hex('16505551212'),
      plan: 'gold',
    });
    expect(sealed.context?.traits).toEqual({ address: { city: sha256Hex('austin') } });
    expect(sealed.context?.ip).toBe('203.0.113.7');
  });

  test('leaves input unchanged', () => {
    const call = makeCall({ traits: { email: 'jane@example.com', phone: 'bad' } });
    const before = structuredClone(call);

    sealCall(call);

    expect(call).toEqual(before);
  });

  test('removes invalid and shadowed values', () => {
    const call = makeCall({
      context: { traits: { phone: '555-1212' } },
      traits: { phone: '(650) 555-1212', email: '  ' },
    });

    const { call: sealed, warnings } = sealCall(call);

    expect(sealed.context?.traits).toEqual({});
    expect(sealed.traits).toEqual({});
    expect(warnings.map((warning) => [warning.field, warning.code])).toEqual([
      ['ph', 'invalid_phone'],
    ]);
    expect(JSON.stringify(warnings)).not.toContain('555-1212');
  });

  test('keeps arrays as arrays', () => {
    const call = makeCall({ traits: { email: ['a@example.com', 'bad', 'A@example.com'] } });

    const { call: sealed } = sealCall(call);

    expect(sealed.traits?.email).toEqual([sha256Hex('a@example.com')]);
  });

  test('same user_data after sealing', () => {
    fc.assert(
      fc.property(pipelinesCall, (call) => {
        const sealed = sealCall(call).call;

        expect(buildUserData(sealed, { now: NOW }).userData).toEqual(
          buildUserData(call, { now: NOW }).userData,
        );
      }),
      { numRuns: 500 },
    );
  });

  test('same user_data with options', () => {
    fc.assert(
      fc.property(pipelinesCall, identityOptions, (call, options) => {
        const sealed = sealCall(call, options).call;

        expect(buildUserData(sealed, options).userData).toEqual(
          buildUserData(call, options).userData,
        );
        expect(onlyDigestsAtHashedPaths(sealed, options)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
