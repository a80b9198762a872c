import { toCountryCode } from './countries';
import { FIELD_ISSUE, accept, reject } from './issues';
import type { RuleResult } from './issues';
import { foldCase, lettersAndDigits, lettersOnly } from './text';
import { toUsStateCode } from './us-states';

/**
 * The per-key rules for the hashed user_data keys other than `ph` and `db`. Each takes trimmed,
 * non-blank text and returns the value Meta hashes.
 */

/** local@domain.tld with no spaces; any script is allowed in both parts. */
const EMAIL = /^[^\s@]+@[^\s@.][^\s@]*\.[^\s@]+$/u;
const US_ZIP = /^(\d{5})(?:\d{4})?$/;
const DIGITS_ONLY = /^\d+$/;

const GENDER_BY_WORD: ReadonlyMap<string, 'f' | 'm'> = new Map([
  ['f', 'f'],
  ['female', 'f'],
  ['woman', 'f'],
  ['m', 'm'],
  ['male', 'm'],
  ['man', 'm'],
]);

/** Trims and lowercases; dots and `+tags` stay, because Meta does not strip them. */
export function normalizeEmail(text: string): RuleResult {
  const email = foldCase(text);
  return EMAIL.test(email)
    ? accept(email)
    : reject(FIELD_ISSUE.invalidEmail, 'not an email address of the form name@domain.tld');
}

/** Lowercases and keeps only letters (any script): `Mary Ann` becomes `maryann`. */
export function normalizeName(text: string): RuleResult {
  const name = lettersOnly(foldCase(text));
  return name === '' ? reject(FIELD_ISSUE.invalidName, 'contains no letters') : accept(name);
}

/** Maps `f`, `female`, `woman` to `f` and `m`, `male`, `man` to `m`; Meta takes no other value. */
export function normalizeGender(text: string): RuleResult {
  const gender = GENDER_BY_WORD.get(lettersOnly(foldCase(text)));
  return gender
    ? accept(gender)
    : reject(FIELD_ISSUE.invalidGender, 'Meta accepts only f or m; other values are left out');
}

/** Lowercases and drops spaces and punctuation: `New York` becomes `newyork`. */
export function normalizeCity(text: string): RuleResult {
  const city = lettersAndDigits(foldCase(text));
  return city === '' ? reject(FIELD_ISSUE.invalidCity, 'contains no letters') : accept(city);
}

/**
 * In the US, resolves a state name or code to the lowercase two-letter code and rejects anything
 * else. Elsewhere, lowercases and drops spaces and punctuation.
 */
export function normalizeState(text: string, country: string): RuleResult {
  if (country === 'US') {
    const code = toUsStateCode(text);
    return code
      ? accept(code.toLowerCase())
      : reject(FIELD_ISSUE.invalidState, 'not a US state, district or territory name or code');
  }
  const state = lettersAndDigits(foldCase(text));
  return state === '' ? reject(FIELD_ISSUE.invalidState, 'contains no letters') : accept(state);
}

/**
 * Lowercases and drops spaces, dashes and other punctuation. In the US, keeps the first five
 * digits of a ZIP or ZIP+4 code, and restores leading zeros that a JSON number lost.
 */
export function normalizeZip(text: string, country: string, raw: unknown): RuleResult {
  let zip = lettersAndDigits(foldCase(text));
  if (zip === '') {
    return reject(FIELD_ISSUE.invalidZip, 'contains no letters or digits');
  }
  if (country !== 'US') {
    return accept(zip);
  }

  if (typeof raw === 'number' && DIGITS_ONLY.test(zip) && zip.length < 9) {
    zip = zip.padStart(zip.length <= 5 ? 5 : 9, '0');
  }
  const match = US_ZIP.exec(zip);
  return match?.[1]
    ? accept(match[1])
    : reject(FIELD_ISSUE.invalidZip, 'not a US ZIP code of 5 or 9 digits');
}

/** Resolves a code or English name to the lowercase ISO 3166-1 alpha-2 code. */
export function normalizeCountry(text: string): RuleResult {
  const code = toCountryCode(text);
  return code
    ? accept(code.toLowerCase())
    : reject(FIELD_ISSUE.invalidCountry, 'not an ISO 3166-1 alpha-2 code or country name');
}

/**
 * Trims and lowercases (JavaScript `toLowerCase`, no other change). The browser Pixel must send
 * the id in this same form, or Meta cannot match or deduplicate the two sides.
 */
export function normalizeExternalId(text: string): RuleResult {
  return accept(text.toLowerCase());
}
