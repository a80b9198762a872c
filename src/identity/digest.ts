import type { HashedUserDataKey, UserDataKey } from '../meta/types';
import { toCountryCode } from './countries';
import { hashNormalized, isSha256Hex } from './hash';
import type { FieldIssueCode } from './issues';
import { findWinner, isBlankValue } from './lookup';
import { normalizeField, resolveCountry } from './normalize';
import type { FieldContext } from './normalize';
import type { FieldWarning, IdentityOptions } from './types';

/** A value left out, before the caller adds where it was read from. */
export interface ValueIssue {
  code: FieldIssueCode;
  message: string;
}

/**
 * Normalizes and hashes one value or an array of values of a hashed key. Blank elements are
 * skipped silently, invalid ones are reported, and equal digests are kept once, in first-seen order.
 */
export function digestValues(
  key: HashedUserDataKey,
  value: unknown,
  context: FieldContext,
): { digests: string[]; issues: ValueIssue[] } {
  const elements: unknown[] = Array.isArray(value) ? value : [value];
  const digests: string[] = [];
  const issues: ValueIssue[] = [];

  for (const element of elements) {
    if (isBlankValue(element)) {
      continue;
    }
    const result = normalizeField(key, element, context);
    if (!result.ok) {
      issues.push({ code: result.code, message: result.message });
      continue;
    }
    const digest = hashNormalized(result.value);
    if (!digests.includes(digest)) {
      digests.push(digest);
    }
  }
  return { digests, issues };
}

/**
 * Resolves the country that the call's phones, states and ZIP codes are read in: the first
 * recognizable country of the call, else `options.defaultCountry`, else US. A country that is
 * already a digest cannot be read, so the default applies.
 */
export function personCountry(call: unknown, options: IdentityOptions): string {
  const winner = findWinner(call, 'country', options);
  const elements: unknown[] = winner === undefined ? [] : [winner.value].flat();

  for (const element of elements) {
    if (typeof element !== 'string' || isSha256Hex(element.trim())) {
      continue;
    }
    const code = toCountryCode(element);
    if (code) {
      return code;
    }
  }
  return resolveCountry({ options });
}

/** Turns value issues into warnings that name the path the value was read from. */
export function toWarnings(field: UserDataKey, issues: ValueIssue[], path: string): FieldWarning[] {
  return issues.map((issue) => ({
    field,
    code: issue.code,
    message: `${issue.message} (read from ${path})`,
  }));
}
