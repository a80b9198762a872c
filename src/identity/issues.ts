/**
 * Stable codes of the reasons a user_data value is left out. Callers branch on these, never on
 * the message text.
 */
export const FIELD_ISSUE = {
  blank: 'blank',
  invalidType: 'invalid_type',
  invalidEmail: 'invalid_email',
  invalidPhone: 'invalid_phone',
  invalidName: 'invalid_name',
  invalidGender: 'invalid_gender',
  invalidDate: 'invalid_date',
  ambiguousDate: 'ambiguous_date',
  invalidCity: 'invalid_city',
  invalidState: 'invalid_state',
  invalidZip: 'invalid_zip',
  invalidCountry: 'invalid_country',
  invalidIpAddress: 'invalid_ip_address',
  invalidFbc: 'invalid_fbc',
  invalidFbp: 'invalid_fbp',
} as const;

export type FieldIssueCode = (typeof FIELD_ISSUE)[keyof typeof FIELD_ISSUE];

/** The outcome of normalizing one value: the normalized text, or why it is left out. */
export type FieldResult =
  { ok: true; value: string } | { ok: false; code: FieldIssueCode; message: string };

/** The result of a per-key rule, before the caller adds the field name and masked value. */
export type RuleResult =
  { ok: true; value: string } | { ok: false; code: FieldIssueCode; reason: string };

export function accept(value: string): RuleResult {
  return { ok: true, value };
}

export function reject(code: FieldIssueCode, reason: string): RuleResult {
  return { ok: false, code, reason };
}
