import { FIELD_ISSUE, accept, reject } from './issues';
import type { RuleResult } from './issues';
import type { IdentityOptions } from './types';

/** Meta accepts birth years from 1900 to the current year. */
const MIN_YEAR = 1900;

/** `1990-1-5`, `1990-01-05`, and ISO 8601 datetimes whose date part is taken as written. */
const ISO_DATE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
/** `19900105`, which is also the normalized form. */
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
/** `1990/01/05` or `1990.01.05`: year first is never ambiguous. */
const YEAR_FIRST_DATE = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
/** `05/01/1990`, `05.01.1990` or `05-01-1990`: needs the configured day and month order. */
const YEAR_LAST_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/**
 * Normalizes a birthday to `YYYYMMDD`. Year-last dates are read only when
 * `options.birthdayFormat` gives the order of day and month, because `05/01/1990` is May 1 in the
 * US and January 5 in most other countries. The date must exist, fall in 1900 or later and not be
 * after `options.now` (UTC).
 */
export function normalizeBirthday(text: string, options: IdentityOptions): RuleResult {
  const parts = splitDate(text, options.birthdayFormat);
  if (parts === 'ambiguous') {
    return reject(
      FIELD_ISSUE.ambiguousDate,
      'day and month order is unknown; set birthdayFormat to MDY or DMY to read such dates',
    );
  }
  if (parts === undefined) {
    return reject(FIELD_ISSUE.invalidDate, 'not a date in YYYY-MM-DD, YYYYMMDD or ISO 8601 form');
  }

  const [year, month, day] = parts;
  const now = options.now ?? new Date();
  if (year < MIN_YEAR || year > now.getUTCFullYear()) {
    return reject(FIELD_ISSUE.invalidDate, `year outside ${MIN_YEAR} to ${now.getUTCFullYear()}`);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return reject(FIELD_ISSUE.invalidDate, 'no such calendar date');
  }

  const normalized = `${year}${pad2(month)}${pad2(day)}`;
  const today = `${now.getUTCFullYear()}${pad2(now.getUTCMonth() + 1)}${pad2(now.getUTCDate())}`;
  if (normalized > today) {
    return reject(FIELD_ISSUE.invalidDate, 'a birthday in the future');
  }
  return accept(normalized);
}

type DateParts = [year: number, month: number, day: number];

function splitDate(
  text: string,
  format: IdentityOptions['birthdayFormat'],
): DateParts | 'ambiguous' | undefined {
  const yearFirst = ISO_DATE.exec(text) ?? COMPACT_DATE.exec(text) ?? YEAR_FIRST_DATE.exec(text);
  if (yearFirst) {
    return [Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3])];
  }

  const yearLast = YEAR_LAST_DATE.exec(text);
  if (!yearLast) {
    return undefined;
  }
  const first = Number(yearLast[1]);
  const second = Number(yearLast[2]);
  const year = Number(yearLast[3]);
  if (format === 'MDY') {
    return [year, first, second];
  }
  if (format === 'DMY') {
    return [year, second, first];
  }
  return 'ambiguous';
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
