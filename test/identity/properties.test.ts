import fc from 'fast-check';
import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js/max';
import { HASHED_USER_DATA_KEYS, PLAIN_USER_DATA_KEYS } from '../../src/meta/types';
import {
  buildUserData,
  hashNormalized,
  isSha256Hex,
  normalizeField,
  normalizePlainField,
  resolveCountry,
  sha256Hex,
} from '../../src/identity';
import type { FieldContext } from '../../src/identity';
import { NOW, identityOptions, pipelinesCall, rawValue } from './arbitraries';

const hashedKey = fc.constantFrom(...HASHED_USER_DATA_KEYS);
const country = fc.option(
  fc.constantFrom('US', 'GB', 'DE', 'FR', 'JP', 'IN', 'BR', 'XX', 'Deutschland'),
  {
    nil: undefined,
  },
);
const anyInput = fc.oneof(rawValue, fc.jsonValue(), fc.string({ unit: 'binary' }));
const phoneLike = fc.stringMatching(/^\+?[0-9 ().-]{1,22}$/);
const LOWER_HEX_64 = /^[0-9a-f]{64}$/;

/**
 * Tells whether a normalized phone carries the calling code of the country it is read in. Only
 * then is re-normalizing it guaranteed to return it unchanged: `447911123456` read in Germany is
 * also a valid German national number.
 */
function inOwnCountry(phone: string, context: FieldContext): boolean {
  const country = resolveCountry(context);
  return isSupportedCountry(country) && phone.startsWith(getCountryCallingCode(country));
}

describe('normalization properties', () => {
  test('never throws on JSON', () => {
    fc.assert(
      fc.property(
        hashedKey,
        anyInput,
        country,
        identityOptions,
        (key, raw, personCountry, options) => {
          const result = normalizeField(key, raw, { country: personCountry, options });
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('plain keys never throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLAIN_USER_DATA_KEYS), anyInput, (key, raw) => {
        const result = normalizePlainField(key, raw);
        expect(result.ok ? result.value.trim() : 'x').not.toBe('');
      }),
      { numRuns: 1000 },
    );
  });

  test('sends only 64 hex digests', () => {
    fc.assert(
      fc.property(
        hashedKey,
        anyInput,
        country,
        identityOptions,
        (key, raw, personCountry, options) => {
          const result = normalizeField(key, raw, { country: personCountry, options });
          if (result.ok) {
            expect(result.value).not.toBe('');
            expect(hashNormalized(result.value)).toMatch(LOWER_HEX_64);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('normalization is idempotent', () => {
    fc.assert(
      fc.property(
        hashedKey,
        anyInput,
        country,
        identityOptions,
        (key, raw, personCountry, options) => {
          const context = { country: personCountry, options };
          const first = normalizeField(key, raw, context);
          if (first.ok && (key !== 'ph' || inOwnCountry(first.value, context))) {
            expect(normalizeField(key, first.value, context)).toEqual(first);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('phone normalization idempotent', () => {
    fc.assert(
      fc.property(phoneLike, country, (raw, personCountry) => {
        const first = normalizeField('ph', raw, { country: personCountry });
        if (first.ok && inOwnCountry(first.value, { country: personCountry })) {
          expect(normalizeField('ph', first.value, { country: personCountry })).toEqual(first);
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('digest passes through', () => {
    fc.assert(
      fc.property(hashedKey, fc.string(), (key, text) => {
        const digest = sha256Hex(text);
        expect(normalizeField(key, digest.toUpperCase(), {})).toEqual({ ok: true, value: digest });
        expect(hashNormalized(digest)).toBe(digest);
      }),
    );
  });

  test('user_data holds only digests', () => {
    fc.assert(
      fc.property(pipelinesCall, identityOptions, (call, options) => {
        const { userData } = buildUserData(call, { ...options, now: NOW });
        for (const key of HASHED_USER_DATA_KEYS) {
          const value = userData[key];
          const values = value === undefined ? [] : [value].flat();
          expect(
            values.every((element) => isSha256Hex(element) && element === element.toLowerCase()),
          ).toBe(true);
          expect(new Set(values).size).toBe(values.length);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
