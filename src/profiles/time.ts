import { invalidInput } from './errors';

/** A point in time as callers pass it: a Date, epoch milliseconds, or an ISO 8601 string. */
export type TimeInput = Date | number | string;

/**
 * Numbers below this are read as epoch seconds, above it as epoch milliseconds. 1e11 seconds is
 * the year 5138 and 1e11 milliseconds is March 1973, so no real timestamp is ambiguous.
 */
const SECONDS_LIMIT = 1e11;

/** Converts a time input to epoch milliseconds, raising an error that names the field. */
export function toEpochMs(value: TimeInput, field: string): number {
  const ms = parseTime(value);
  if (ms === undefined) {
    throw invalidInput(
      field,
      `invalid time ${JSON.stringify(String(value))}: expected a Date, epoch milliseconds or ISO 8601`,
    );
  }
  return ms;
}

/**
 * Reads a trait time, which Customer.io senders write as epoch seconds, epoch milliseconds, a
 * numeric string or ISO 8601. Returns undefined for anything else.
 */
export function parseTime(value: unknown): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;

  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fromNumber(Number(text));
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function fromNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  return Math.round(value < SECONDS_LIMIT ? value * 1000 : value);
}
