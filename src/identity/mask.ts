import type { UserDataKey } from '../meta/types';

/** Keys whose values identify no one on their own, so messages show them as given. */
const SHOWN_AS_GIVEN: ReadonlySet<UserDataKey> = new Set([
  'ge',
  'country',
  'client_user_agent',
  'fbc',
  'fbp',
]);

/** Maximum length of a value shown in a message, in characters, so one huge value cannot flood the logs. */
const MAX_SHOWN_LENGTH = 40;

/** Digits kept visible at the end of a masked phone number. */
const PHONE_VISIBLE_TAIL = 4;

const NON_DIGIT = /\D+/g;

/**
 * Describes a raw value for a log or error message without revealing it: `j***@example.com`
 * for an email, `+1******1212` for a phone, the first character and `***` for names, places,
 * dates and ids. Gender, country and the browser ids are shown as given, cut at 40 characters.
 */
export function maskValue(key: UserDataKey, raw: unknown): string {
  if (raw === null || raw === undefined) {
    return String(raw);
  }
  if (Array.isArray(raw)) {
    return `[array of ${raw.length}]`;
  }
  if (typeof raw === 'object') {
    return '[object]';
  }
  if (typeof raw === 'boolean') {
    return raw ? 'true' : 'false';
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return `[${typeof raw}]`;
  }

  const text = String(raw).trim();
  if (SHOWN_AS_GIVEN.has(key)) {
    return truncate(text);
  }
  if (key === 'em') {
    return maskEmail(text);
  }
  if (key === 'ph') {
    return maskPhone(text);
  }
  return maskText(text);
}

function maskEmail(text: string): string {
  const at = text.lastIndexOf('@');
  if (at <= 0) {
    return maskText(text);
  }
  return `${firstCharacter(text)}***${truncate(text.slice(at))}`;
}

function maskPhone(text: string): string {
  const digits = text.replace(NON_DIGIT, '');
  const plus = text.startsWith('+') ? '+' : '';
  if (digits.length <= PHONE_VISIBLE_TAIL + 1) {
    return `${plus}${'*'.repeat(digits.length)}`;
  }
  const hidden = digits.length - PHONE_VISIBLE_TAIL - 1;
  return `${plus}${digits[0] ?? ''}${'*'.repeat(hidden)}${digits.slice(-PHONE_VISIBLE_TAIL)}`;
}

function maskText(text: string): string {
  return text === '' ? '' : `${firstCharacter(text)}***`;
}

/** Returns the first code point, so a masked value never ends in half of a surrogate pair. */
function firstCharacter(text: string): string {
  return String.fromCodePoint(text.codePointAt(0) ?? 0x3f);
}

function truncate(text: string): string {
  const characters = Array.from(text);
  return characters.length <= MAX_SHOWN_LENGTH
    ? text
    : `${characters.slice(0, MAX_SHOWN_LENGTH).join('')}…`;
}
