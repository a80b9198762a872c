import type { PipelinesCall } from '../../src/customerio/call';
import { buildUserData, sha256Hex } from '../../src/identity';

function makeCall(fields: Partial<PipelinesCall>): PipelinesCall {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: 'msg_1',
    timestamp: '2026-12-01T12:00:00.000Z',
    ...fields,
  };
}

describe('buildUserData', () => {
  test('reads context traits first', () => {
    const call = makeCall({
      userId: 'CUST_1',
      context: {
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        traits: { email: 'Ctx@Example.com', phone: '(650) 555-1212' },
      },
      traits: { email: 'traits@example.com', first_name: 'Jane' },
      properties: { email: 'props@example.com', lastName: 'Doe' },
    });

    const { userData, sources, warnings } = buildUserData(call);

    expect(warnings).toEqual([]);
    expect(userData).toEqual({
      em: sha256Hex('ctx@example.com'),
      ph: sha256Hex('16505551212'),
      fn: sha256Hex('jane'),
      ln: sha256Hex('doe'),
      external_id: sha256Hex('cust_1'),
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0',
    });
    expect(sources).toEqual({
      em: 'context.traits.email',
      ph: 'context.traits.phone',
      fn: 'traits.first_name',
      ln: 'properties.lastName',
      external_id: 'userId',
      client_ip_address: 'context.ip',
      client_user_agent: 'context.userAgent',
    });
  });

  test('invalid winner is not replaced', () => {
    const call = makeCall({
      context: { traits: { phone: '555-1212' } },
      traits: { phone: '(650) 555-1212' },
    });

    const { userData, warnings } = buildUserData(call);

    expect(userData.ph).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.field).toBe('ph');
    expect(warnings[0]?.code).toBe('invalid_phone');
    expect(warnings[0]?.message).toContain('(read from context.traits.phone)');
    expect(warnings[0]?.message).not.toContain('555-1212');
  });

  test('blank winner is skipped', () => {
    const call = makeCall({
      context: { traits: { email: '   ' } },
      traits: { email: 'jane@example.com' },
    });

    const { userData, sources } = buildUserData(call);

    expect(userData.em).toBe(sha256Hex('jane@example.com'));
    expect(sources.em).toBe('traits.email');
  });

  test('address in both shapes', () => {
    const flat = buildUserData(
      makeCall({ traits: { city: 'Austin', state: 'Texas', zip: '78701-1234', country: 'US' } }),
    );
    const nested = buildUserData(
      makeCall({
        traits: {
          address: { city: 'Austin', state: 'Texas', postal_code: '78701', country: 'US' },
        },
      }),
    );
    const expected = {
      ct: sha256Hex('austin'),
      st: sha256Hex('tx'),
      zp: sha256Hex('78701'),
      country: sha256Hex('us'),
    };

    expect(flat.userData).toEqual(expected);
    expect(nested.userData).toEqual(expected);
    expect(nested.sources.zp).toBe('traits.address.postal_code');
  });

  test('person country drives phone', () => {
    const call = makeCall({
      traits: { phone: '07911 123456', state: 'Greater London', country: 'United Kingdom' },
    });

    const { userData, warnings } = buildUserData(call);

    expect(warnings).toEqual([]);
    expect(userData.ph).toBe(sha256Hex('447911123456'));
    expect(userData.st).toBe(sha256Hex('greaterlondon'));
    expect(userData.country).toBe(sha256Hex('gb'));
  });

  test('default country option', () => {
    const call = makeCall({ traits: { phone: '030 12345678', zip: '10115' } });

    const { userData } = buildUserData(call, { defaultCountry: 'DE' });

    expect(userData.ph).toBe(sha256Hex('493012345678'));
    expect(userData.zp).toBe(sha256Hex('10115'));
    expect(userData.country).toBeUndefined();
  });

  test('birthday keys and format', () => {
    const iso = buildUserData(makeCall({ traits: { date_of_birth: '1990-01-05' } }));
    const slash = buildUserData(makeCall({ traits: { birthday: '05/01/1990' } }), {
      birthdayFormat: 'DMY',
    });
    const unknownOrder = buildUserData(makeCall({ traits: { birthdate: '05/01/1990' } }));

    expect(iso.userData.db).toBe(sha256Hex('19900105'));
    expect(slash.userData.db).toBe(sha256Hex('19900105'));
    expect(unknownOrder.userData.db).toBeUndefined();
    expect(unknownOrder.warnings[0]?.code).toBe('ambiguous_date');
  });

  test('arrays deduplicated', () => {
    const call = makeCall({
      traits: { email: ['A@example.com', 'a@example.com ', '', 'bad', 'b@example.com'] },
    });

    const { userData, warnings } = buildUserData(call);

    expect(userData.em).toEqual([sha256Hex('a@example.com'), sha256Hex('b@example.com')]);
    expect(warnings.map((warning) => warning.code)).toEqual(['invalid_email']);
  });

  test('anonymousId only with option', () => {
    const call = makeCall({ userId: null, anonymousId: 'Anon-1' });

    expect(buildUserData(call).userData.external_id).toBeUndefined();
    expect(buildUserData(call, { anonymousIdAsExternalId: true }).userData.external_id).toBe(
      sha256Hex('anon-1'),
    );
  });

  test('numeric userId hashed', () => {
    const { userData } = buildUserData(makeCall({ userId: 1001 }));

    expect(userData.external_id).toBe(sha256Hex('1001'));
  });

  test('fbc and fbp from properties', () => {
    const call = makeCall({
      properties: { fbc: 'fb.1.1796053336000.IwARdadc', fbp: 'fb.1.1793534400000.9177992558' },
      context: { traits: { fbc: 'fb.1.1796053336000.Other' } },
    });

    const { userData, sources } = buildUserData(call);

    expect(userData.fbc).toBe('fb.1.1796053336000.IwARdadc');
    expect(userData.fbp).toBe('fb.1.1793534400000.9177992558');
    expect(sources.fbc).toBe('properties.fbc');
  });

  test('fbc derived from fbclid', () => {
    const call = makeCall({
      timestamp: '2026-12-01T12:00:00.123Z',
      context: { page: { url: 'https://shop.example.com/?utm_source=fb&fbclid=IwAR2F4xYz-Ab_c' } },
    });

    const { userData, sources } = buildUserData(call);

    expect(userData.fbc).toBe('fb.1.1796126400123.IwAR2F4xYz-Ab_c');
    expect(sources.fbc).toBe('context.page.url');
  });

  test('fbc derived from millisecond timestamp', () => {
    const call = makeCall({
      timestamp: 1796126400123,
      context: { page: { url: 'https://shop.example.com/p?fbclid=AbC' } },
    });

    expect(buildUserData(call).userData.fbc).toBe('fb.1.1796126400123.AbC');
  });

  test('explicit fbc beats fbclid', () => {
    const call = makeCall({
      properties: { fbc: 'fb.1.1796053336000.Given' },
      context: { page: { url: 'https://shop.example.com/?fbclid=FromUrl' } },
    });

    expect(buildUserData(call).userData.fbc).toBe('fb.1.1796053336000.Given');
  });

  test('malformed fbc dropped with warning', () => {
    const call = makeCall({ properties: { fbc: 'fb.1.1796116000123' } });

    const { userData, warnings } = buildUserData(call);

    expect(userData.fbc).toBeUndefined();
    expect(warnings).toEqual([
      {
        field: 'fbc',
        code: 'invalid_fbc',
        message:
          'fbc: invalid value "fb.1.1796116000123": expected fb.{subdomain}.{creation_ms}.{fbclid}; ' +
          'left out (read from properties.fbc)',
      },
    ]);
  });

  test('invalid ip dropped', () => {
    const { userData, warnings } = buildUserData(makeCall({ context: { ip: 'unknown' } }));

    expect(userData.client_ip_address).toBeUndefined();
    expect(warnings[0]?.code).toBe('invalid_ip_address');
  });

  test('profile fills missing keys', () => {
    const stored = sha256Hex('stored@example.com');
    const call = makeCall({ traits: { email: 'jane@example.com' } });

    const { userData, sources } = buildUserData(
      call,
      {},
      {
        em: stored,
        ph: sha256Hex('16505551212').toUpperCase(),
        fbp: 'fb.1.1793534400000.9177992558',
      },
    );

    expect(userData.em).toBe(sha256Hex('jane@example.com'));
    expect(userData.ph).toBe(sha256Hex('16505551212'));
    expect(userData.fbp).toBe('fb.1.1793534400000.9177992558');
    expect(sources).toEqual({ em: 'traits.email', ph: 'profile', fbp: 'profile' });
  });

  test('no identifiers gives empty', () => {
    const { userData, warnings } = buildUserData(makeCall({ userId: null, traits: null }));

    expect(userData).toEqual({});
    expect(warnings).toEqual([]);
  });
});
