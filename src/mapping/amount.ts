import { REJECT_CODES, type Step } from './types';

// Digits with an optional dot and decimals. A comma, a currency symbol or a space is not accepted,
// because "1,234" (thousands) and "12,34" (decimal comma) cannot be distinguished safely.
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Checks whether a property value counts as absent: undefined, null or a blank string. */
export function isAbsent(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/**
 * Parses a money amount or a count from a JSON number or a plain numeric string ("68.00").
 * Rejects with `invalid_value`, naming the field and the raw value, anything else.
 */
export function parseAmount(raw: unknown, field: string): Step<number> {
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: raw };
  if (typeof raw === 'string' && PLAIN_DECIMAL.test(raw.trim())) {
    return { ok: true, value: Number(raw.trim()) };
  }
  return {
    ok: false,
    reason: {
      code: REJECT_CODES.invalidValue,
      field,
      message: `${field} ${JSON.stringify(raw)} is not a number: send a JSON number or a plain decimal string such as "68.00", without currency symbols or separators`,
    },
  };
}
