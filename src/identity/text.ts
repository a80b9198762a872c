/** Text helpers shared by the field normalizers. Regexes are compiled once, at module load. */

const NOT_LETTER = /[^\p{L}\p{M}]+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{M}\p{N}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const AMPERSAND = /&/g;
const NOT_ASCII_LETTER = /[^a-z]+/g;

/** A raw value turned into text, or why it cannot be. */
export type TextResult = { ok: true; text: string } | { ok: false; blank: boolean };

/**
 * Turns a raw JSON value into trimmed text. Strings and finite numbers are text; null, undefined and
 * whitespace are blank; booleans, objects and arrays are not text.
 */
export function toText(raw: unknown): TextResult {
  if (raw === null || raw === undefined) {
    return { ok: false, blank: true };
  }
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? { ok: true, text: String(raw) } : { ok: false, blank: false };
  }
  if (typeof raw !== 'string') {
    return { ok: false, blank: false };
  }
  const text = raw.trim();
  return text === '' ? { ok: false, blank: true } : { ok: true, text };
}

/**
 * Lowercases with the Unicode default mapping, then applies NFC. NFC comes last because
 * lowercasing can leave decomposed sequences, and Meta hashes the NFC bytes.
 */
export function foldCase(text: string): string {
  return text.toLowerCase().normalize('NFC');
}

/** Keeps letters and combining marks of any script; drops digits, spaces and punctuation. */
export function lettersOnly(text: string): string {
  return text.replace(NOT_LETTER, '');
}

/** Keeps letters, combining marks and digits of any script; drops spaces and punctuation. */
export function lettersAndDigits(text: string): string {
  return text.replace(NOT_LETTER_OR_DIGIT, '');
}

/**
 * Builds a key for matching names against a table: accents removed, `&` read as `and`, only
 * ASCII letters kept. `Côte d'Ivoire` and `cote divoire` give the same key.
 */
export function lookupKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(AMPERSAND, 'and')
    .replace(NOT_ASCII_LETTER, '');
}
