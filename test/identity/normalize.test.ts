import { createHash } from 'node:crypto';
import { HASHED_USER_DATA_KEYS } from '../../src/meta/types';
import type { HashedUserDataKey, PlainUserDataKey, UserDataKey } from '../../src/meta/types';
import { normalizeField, normalizePlainField, sha256Hex } from '../../src/identity';
import type { IdentityOptions } from '../../src/identity';
import { META_VECTORS, OWN_CASES, PLAIN_CASES, REFERENCE_CASES } from './cases';

/** The clock the own cases are written against. */
const NOW = new Date('2026-12-01T12:00:00Z');

const HASHED: ReadonlySet<string> = new Set(HASHED_USER_DATA_KEYS);

/** SHA-256 computed here, not by the code under test. */
function referenceDigest(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

/** Computes the value sent for one input, the way user_data is built. */
function sentValue(
  field: UserDataKey,
  input: unknown,
  country?: string,
  options?: IdentityOptions,
): string | null {
  if (!HASHED.has(field)) {
    const plain = normalizePlainField(field as PlainUserDataKey, input);
    return plain.ok ? plain.value : null;
  }
  const result = normalizeField(field as HashedUserDataKey, input, {
    country,
    options: { now: NOW, ...options },
  });
  if (!result.ok) {
    return null;
  }
  return /^[0-9a-f]{64}$/.test(result.value) ? result.value : sha256Hex(result.value);
}

describe('sha256Hex', () => {
  test('empty and ascii digests', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('us')).toBe(referenceDigest('us'));
  });

  test('hashes utf-8 bytes', () => {
    expect(sha256Hex('josé')).toBe(referenceDigest('josé'));
    expect(sha256Hex('山田')).toBe(referenceDigest('山田'));
  });
});

describe('reference cases', () => {
  test.each(REFERENCE_CASES)('$field $input', ({ field, input, country, normalized, sent }) => {
    if (HASHED.has(field)) {
      const result = normalizeField(field as HashedUserDataKey, input, {
        country,
        options: { now: NOW },
      });
      expect(result.ok ? result.value : null).toBe(normalized);
    }
    expect(sentValue(field, input, country)).toBe(sent);
  });
});

describe('Meta test vectors', () => {
  test.each(META_VECTORS)(
    '$field $input',
    ({ field, input, country, options, normalized, sent }) => {
      const result = normalizeField(field, input, { country, options: { now: NOW, ...options } });

      expect(result).toEqual({ ok: true, value: normalized });
      expect(sha256Hex(normalized)).toBe(sent);
    },
  );
});

describe('own field cases', () => {
  test.each(OWN_CASES)('$field $input', ({ field, input, country, options, normalized, code }) => {
    const result = normalizeField(field, input, { country, options: { now: NOW, ...options } });

    if (normalized === null) {
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : result.code).toBe(code);
    } else {
      expect(result).toEqual({ ok: true, value: normalized });
      expect(sentValue(field, input, country, options)).toBe(referenceDigest(normalized));
    }
  });
});

describe('plain key cases', () => {
  test.each(PLAIN_CASES)('$field $input', ({ field, input, sent, code }) => {
    const result = normalizePlainField(field as PlainUserDataKey, input);

    expect(result.ok ? result.value : null).toBe(sent);
    if (code !== undefined) {
      expect(result.ok ? undefined : result.code).toBe(code);
    }
  });
});

describe('hashed pass-through', () => {
  const digest = referenceDigest('someone@example.com');

  test.each([...HASHED_USER_DATA_KEYS])('%s digest kept', (field) => {
    const result = normalizeField(field, `  ${digest.toUpperCase()} `, { country: 'US' });

    expect(result).toEqual({ ok: true, value: digest });
    expect(sentValue(field, digest.toUpperCase(), 'US')).toBe(digest);
  });
});

describe('invalid messages', () => {
  test('phone message masks value', () => {
    const result = normalizeField('ph', '+1 212 555 0000 0000', { country: 'US' });

    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain('ph: invalid value "+1**********0000"');
    expect(message).not.toContain('212');
  });

  test('email message masks value', () => {
    const result = normalizeField('em', 'jane.doe@example', {});

    expect(result.ok ? '' : result.message).toBe(
      'em: invalid value "j***@example": not an email address of the form name@domain.tld; left out',
    );
  });

  test('blank gives blank code', () => {
    expect(normalizeField('fn', '  \t', {})).toEqual({
      ok: false,
      code: 'blank',
      message: 'fn: blank value, left out',
    });
  });
});
