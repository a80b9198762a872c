import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HASHED_USER_DATA_KEYS } from '../../src/meta/types';
import type { HashedUserDataKey, PlainUserDataKey } from '../../src/meta/types';
import { isSha256Hex, normalizeField, normalizePlainField, sha256Hex } from '../../src/identity';

/** The cases file that developers and CI keep next to the repository, at ../shared. */
const SHARED_CASES = resolve(__dirname, '../../../shared/cases/identity.json');

interface SharedFieldCase {
  field: string;
  input: unknown;
  context?: { country?: string };
  normalized: string | null;
  sent: string | null;
}

const HASHED: ReadonlySet<string> = new Set(HASHED_USER_DATA_KEYS);

const sharedCases: SharedFieldCase[] = existsSync(SHARED_CASES)
  ? (JSON.parse(readFileSync(SHARED_CASES, 'utf8')) as { fields: SharedFieldCase[] }).fields
  : [];

if (sharedCases.length === 0) {
  test.skip(`shared identity cases: ${SHARED_CASES} not found, skipped`, () => undefined);
} else {
  describe('shared identity cases', () => {
    test.each(sharedCases)('$field $input', ({ field, input, context, normalized, sent }) => {
      if (!HASHED.has(field)) {
        const plain = normalizePlainField(field as PlainUserDataKey, input);
        expect(plain.ok ? plain.value : null).toBe(sent);
        return;
      }

      const result = normalizeField(field as HashedUserDataKey, input, {
        country: context?.country,
      });
      const value = result.ok ? result.value : null;
      expect(value).toBe(normalized);
      if (value === null) {
        expect(sent).toBeNull();
      } else {
        expect(isSha256Hex(value) ? value : sha256Hex(value)).toBe(sent);
      }
    });
  });
}
