import type { ActionSource } from '../meta/types';
import { REJECT_CODES, WARNING_CODES, type MappingWarning, type Step } from './types';

const SECONDS_PER_DAY = 86_400;

/** The maximum event age Meta accepts, in days: 62 for physical_store, 7 for every other source. */
export const MAX_EVENT_AGE_DAYS = { physicalStore: 62, other: 7 } as const;

/** Returns the maximum event age Meta accepts for an action source, in days. */
export function maxEventAgeDays(actionSource: ActionSource): number {
  return actionSource === 'physical_store'
    ? MAX_EVENT_AGE_DAYS.physicalStore
    : MAX_EVENT_AGE_DAYS.other;
}

/** Returns true when Meta no longer accepts an event of `eventTime` at `nowSeconds` (unix seconds). */
export function isPastMetaWindow(
  eventTime: number,
  actionSource: ActionSource,
  nowSeconds: number,
): boolean {
  return nowSeconds - eventTime > maxEventAgeDays(actionSource) * SECONDS_PER_DAY;
}

/**
 * Numbers at or above this are milliseconds. As seconds it would be the year 5138; as milliseconds,
 * anything below it is before March 1973, so real timestamps fall clearly on one side.
 */
const MILLISECONDS_THRESHOLD = 1e11;

/** 9999-12-31T23:59:59Z, the last second an ISO 8601 date of four digits can name. */
const MAX_UNIX_SECONDS = 253_402_300_799;

const NUMERIC = /^\d+(\.\d+)?$/;
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses a call timestamp into unix seconds (an integer, rounded down). Accepts ISO 8601 (UTC when
 * it has no offset), and unix seconds or milliseconds as a number or a numeric string.
 */
export function parseEventTime(raw: unknown, field: string): Step<number> {
  if (typeof raw === 'number') return fromNumber(raw, raw, field);

  if (typeof raw === 'string') {
    const text = raw.trim();
    if (NUMERIC.test(text)) return fromNumber(Number(text), raw, field);

    const iso = ISO_8601.exec(text);
    if (iso && isCalendarDate(text)) {
      const hasTime = text.length > 10;
      const isoText = text.replace(' ', 'T');
      const withZone = hasTime && iso[1] === undefined ? `${isoText}Z` : isoText;
      const ms = Date.parse(withZone);
      if (Number.isFinite(ms)) return { ok: true, value: Math.floor(ms / 1000) };
    }
  }
  return invalid(raw, field);
}

/**
 * Checks event_time against Meta's window. A time in the future within maxClockSkewSeconds is
 * set to now, because Meta's handling of future times is undocumented and senders saw failures.
 */
export function checkEventWindow(
  eventTime: number,
  options: { now: Date; actionSource: ActionSource; maxClockSkewSeconds: number; field: string },
): Step<{ eventTime: number; warning?: MappingWarning }> {
  const now = Math.floor(options.now.getTime() / 1000);
  const maxAgeDays = maxEventAgeDays(options.actionSource);
  const at = new Date(eventTime * 1000).toISOString();

  if (isPastMetaWindow(eventTime, options.actionSource, now)) {
    return {
      ok: false,
      reason: {
        code: REJECT_CODES.eventTooOld,
        field: options.field,
        message: `${options.field} ${at} is more than ${maxAgeDays} days old: Meta no longer accepts ${options.actionSource} events from then`,
      },
    };
  }
  if (eventTime - now > options.maxClockSkewSeconds) {
    return {
      ok: false,
      reason: {
        code: REJECT_CODES.eventInFuture,
        field: options.field,
        message: `${options.field} ${at} is ${eventTime - now} s in the future, beyond the allowed clock skew of ${options.maxClockSkewSeconds} s`,
      },
    };
  }
  if (eventTime > now) {
    return {
      ok: true,
      value: {
        eventTime: now,
        warning: {
          code: WARNING_CODES.eventTimeClamped,
          field: options.field,
          message: `${options.field} ${at} is ${eventTime - now} s in the future, within the clock skew: sent as now`,
        },
      },
    };
  }
  return { ok: true, value: { eventTime } };
}

function fromNumber(value: number, raw: unknown, field: string): Step<number> {
  if (!Number.isFinite(value) || value < 0) return invalid(raw, field);
  const seconds = value >= MILLISECONDS_THRESHOLD ? value / 1000 : value;
  if (seconds > MAX_UNIX_SECONDS) return invalid(raw, field);
  return { ok: true, value: Math.floor(seconds) };
}

/** True when the YYYY-MM-DD part names a real day: Date.parse rolls 2026-11-31 over to December. */
function isCalendarDate(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function invalid(raw: unknown, field: string): Step<number> {
  return {
    ok: false,
    reason: {
      code: REJECT_CODES.invalidTimestamp,
      field,
      message: `${field} ${JSON.stringify(raw)} is not a timestamp: expected ISO 8601 or unix seconds or milliseconds`,
    },
  };
}
