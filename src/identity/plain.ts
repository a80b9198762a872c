import { isIP } from 'node:net';
import type { PlainUserDataKey } from '../meta/types';
import { FIELD_ISSUE } from './issues';
import type { FieldIssueCode, FieldResult } from './issues';
import { maskValue } from './mask';
import { toText } from './text';

/**
 * `fb.{subdomain index}.{creation time in ms}.{value}`. The value is the click id (fbc) or a
 * random number (fbp), optionally followed by dot-separated suffixes that Meta's own libraries
 * append. Case matters and is kept.
 */
const BROWSER_ID = /^fb\.\d{1,2}\.\d{13}\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

/**
 * Checks one raw value of a plain (never hashed) user_data key and returns it trimmed, never
 * lowercased. IP addresses must be IPv4 or IPv6, and `fbc`/`fbp` must have the
 * `fb.{subdomain}.{creation_ms}.{value}` form, because Meta rejects the whole request for a
 * malformed `fbc`.
 */
export function normalizePlainField(key: PlainUserDataKey, raw: unknown): FieldResult {
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

  const value = text.text;
  if (key === 'client_ip_address' && isIP(value) === 0) {
    return invalid(key, FIELD_ISSUE.invalidIpAddress, raw, 'not an IPv4 or IPv6 address');
  }
  if (key === 'fbc' && !BROWSER_ID.test(value)) {
    return invalid(
      key,
      FIELD_ISSUE.invalidFbc,
      raw,
      'expected fb.{subdomain}.{creation_ms}.{fbclid}',
    );
  }
  if (key === 'fbp' && !BROWSER_ID.test(value)) {
    return invalid(
      key,
      FIELD_ISSUE.invalidFbp,
      raw,
      'expected fb.{subdomain}.{creation_ms}.{random}',
    );
  }
  return { ok: true, value };
}

function invalid(
  key: PlainUserDataKey,
  code: FieldIssueCode,
  raw: unknown,
  reason: string,
): FieldResult {
  return {
    ok: false,
    code,
    message: `${key}: invalid value "${maskValue(key, raw)}": ${reason}; left out`,
  };
}
