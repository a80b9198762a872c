import type { HashedUserDataKey } from '../meta/types';
import { normalizeBirthday } from './birthday';
import { toCountryCode } from './countries';
import {
  normalizeCity,
  normalizeCountry,
  normalizeEmail,
  normalizeExternalId,
  normalizeGender,
  normalizeName,
  normalizeState,
  normalizeZip,
} from './fields';
import { isSha256Hex } from './hash';
import { FIELD_ISSUE } from './issues';
import type { FieldResult, RuleResult } from './issues';
import { maskValue } from './mask';
import { normalizePhone } from './phone';
import { toText } from './text';
import type { IdentityOptions } from './types';

/** The country assumed for phones, states and ZIP codes when neither the call nor options give one. */
export const FALLBACK_COUNTRY = 'US';

/** The person's country and the options a value is normalized against. */
export interface FieldContext {
  /** The person's country, as a code or English name; the default country when absent or unknown. */
  country?: string;
  options?: IdentityOptions;
}

/**
 * Normalizes one raw value of a hashed user_data key to the text Meta hashes. A value that already
 * is a SHA-256 digest comes back lowercased, unchanged otherwise. Never throws: blank input gives
 * code `blank`, anything else unusable gives an invalid code and a message with the value masked.
 */
export function normalizeField(
  key: HashedUserDataKey,
  raw: unknown,
  context: FieldContext = {},
): FieldResult {
  const text = toText(raw);
  if (!text.ok) {
    return text.blank
      ? { ok: false, code: FIELD_ISSUE.blank, message: `${key}: blank value, left out` }
      : {
          ok: false,
          code: FIELD_ISSUE.invalidType,
          message: `${key}: expected a string or number, got ${maskValue(key, raw)}; left out`,
        };
  }
  if (isSha256Hex(text.text)) {
    return { ok: true, value: text.text.toLowerCase() };
  }

  const result = applyRule(key, text.text, raw, context);
  if (result.ok) {
    return result;
  }
  return {
    ok: false,
    code: result.code,
    message: `${key}: invalid value "${maskValue(key, raw)}": ${result.reason}; left out`,
  };
}

/** Resolves the country that phones, states and ZIP codes are read in, as an uppercase code. */
export function resolveCountry(context: FieldContext): string {
  const given = context.country === undefined ? undefined : toCountryCode(context.country);
  if (given) {
    return given;
  }
  const configured = context.options?.defaultCountry;
  return (configured && toCountryCode(configured)) || FALLBACK_COUNTRY;
}

function applyRule(
  key: HashedUserDataKey,
  text: string,
  raw: unknown,
  context: FieldContext,
): RuleResult {
  switch (key) {
    case 'em':
      return normalizeEmail(text);
    case 'ph':
      return normalizePhone(text, resolveCountry(context));
    case 'fn':
    case 'ln':
      return normalizeName(text);
    case 'ge':
      return normalizeGender(text);
    case 'db':
      return normalizeBirthday(text, context.options ?? {});
    case 'ct':
      return normalizeCity(text);
    case 'st':
      return normalizeState(text, resolveCountry(context));
    case 'zp':
      return normalizeZip(text, resolveCountry(context), raw);
    case 'country':
      return normalizeCountry(text);
    case 'external_id':
      return normalizeExternalId(text);
  }
}
