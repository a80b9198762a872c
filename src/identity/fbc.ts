import type { FieldResult } from './issues';
import { FBCLID_URL_PATH, readPath, segmentsOf } from './lookup';
import { normalizePlainField } from './plain';

/** Unix times below this are seconds; at or above, milliseconds (1e11 ms is in March 1973). */
const MILLISECONDS_THRESHOLD = 1e11;

/**
 * Builds `fbc` from the `fbclid` query parameter of the page URL, as
 * `fb.1.{event time in ms}.{fbclid}`: subdomain index 1 and the call's `timestamp` as the time the
 * click id was first seen. Returns undefined when the URL carries no `fbclid` or the call has no
 * readable timestamp, and an invalid result when the built value is malformed.
 */
export function deriveFbc(call: unknown): FieldResult | undefined {
  const url = readPath(call, segmentsOf(FBCLID_URL_PATH));
  if (typeof url !== 'string' || !url.includes('fbclid=')) {
    return undefined;
  }

  let fbclid: string | null;
  try {
    fbclid = new URL(url).searchParams.get('fbclid');
  } catch {
    return undefined;
  }
  const eventMs = eventTimeMs(readPath(call, ['timestamp']));
  if (!fbclid || eventMs === undefined) {
    return undefined;
  }
  return normalizePlainField('fbc', `fb.1.${eventMs}.${fbclid}`);
}

/** Reads a call timestamp (ISO 8601, Unix seconds or Unix milliseconds) as integer milliseconds. */
export function eventTimeMs(timestamp: unknown): number | undefined {
  if (typeof timestamp === 'number' && Number.isFinite(timestamp) && timestamp > 0) {
    const ms = timestamp < MILLISECONDS_THRESHOLD ? timestamp * 1000 : timestamp;
    return Math.trunc(ms);
  }
  if (typeof timestamp === 'string') {
    const ms = Date.parse(timestamp);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}
