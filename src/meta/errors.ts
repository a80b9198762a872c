import type { GraphErrorBody } from './types';

/**
 * Kinds of failed Graph API calls, each with the action a sender takes. The kind comes from
 * Meta's `code`, `error_subcode` and `is_transient` first and from the HTTP status second, because
 * Meta's HTTP status is unreliable: a rate limit can come as 400 and a transient failure as 500.
 */
export const GRAPH_ERROR_KIND = {
  /** Retry with backoff. */
  transient: 'transient',
  /** Retry after `retryAfterMs` when the response gave one, else after a long backoff. */
  throttled: 'throttled',
  /** An application limit or temporary block: retry much later. */
  appLimited: 'app_limited',
  /** The payload is invalid: never retry it. */
  permanent: 'permanent',
  /** The token, pixel or permissions are wrong: alert, and hold the events until they are fixed. */
  configuration: 'configuration',
} as const;
export type GraphErrorKind = (typeof GRAPH_ERROR_KIND)[keyof typeof GRAPH_ERROR_KIND];

/** Origin of a failure: a Meta error body, or the transport when there was none. */
export const GRAPH_FAILURE_SOURCE = {
  graphError: 'graph_error',
  httpStatus: 'http_status',
  htmlBody: 'html_body',
  timeout: 'timeout',
  connection: 'connection',
  eventsReceivedMismatch: 'events_received_mismatch',
  /** The client rejected the request before sending it. */
  invalidRequest: 'invalid_request',
} as const;
export type GraphFailureSource = (typeof GRAPH_FAILURE_SOURCE)[keyof typeof GRAPH_FAILURE_SOURCE];

export interface GraphErrorClassification {
  kind: GraphErrorKind;
  source: GraphFailureSource;
  /** Meta's error `code`, or 0 when the response carried no Meta error body. */
  code: number;
  /** Meta's `error_subcode`. */
  subcode?: number;
  /** The HTTP status, when a response arrived. */
  httpStatus?: number;
  fbtraceId?: string;
  /** Meta's `message` (never the translated `error_user_*` texts), else a failure description. */
  message: string;
  /** How long to wait before the next attempt, in milliseconds, when the response specified one. */
  retryAfterMs?: number;
}

/** The stable `code` of a MetaApiError, one per kind plus the events_received check. */
export const META_ERROR_CODE = {
  transient: 'META_TRANSIENT',
  throttled: 'META_THROTTLED',
  app_limited: 'META_APP_LIMITED',
  permanent: 'META_PERMANENT',
  configuration: 'META_CONFIGURATION',
  eventsReceivedMismatch: 'META_EVENTS_RECEIVED_MISMATCH',
} as const;
export type MetaErrorCode = (typeof META_ERROR_CODE)[keyof typeof META_ERROR_CODE];

/**
 * A failed call to the Graph API events endpoint, thrown by the Graph client. Callers branch on
 * `code` or `classification.kind`, never on the message. The message never contains the token.
 */
export class MetaApiError extends Error {
  readonly code: MetaErrorCode;

  constructor(
    readonly classification: GraphErrorClassification,
    options?: { cause?: unknown },
  ) {
    super(describeClassification(classification), options);
    this.name = 'MetaApiError';
    this.code =
      classification.source === GRAPH_FAILURE_SOURCE.eventsReceivedMismatch
        ? META_ERROR_CODE.eventsReceivedMismatch
        : META_ERROR_CODE[classification.kind];
  }
}

function describeClassification(classification: GraphErrorClassification): string {
  const { code, subcode, httpStatus, fbtraceId, message, kind } = classification;
  const parts: string[] = [];
  if (code !== 0) parts.push(subcode === undefined ? `code ${code}` : `code ${code}/${subcode}`);
  if (httpStatus !== undefined) parts.push(`HTTP ${httpStatus}`);
  if (fbtraceId) parts.push(`fbtrace_id ${fbtraceId}`);
  const detail = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return `Meta Graph API request failed, ${kind}${detail}: ${message}`;
}

/** Codes Meta uses for throttling; 80000 to 80014 are the business use case rate limits. */
const THROTTLED_CODES = new Set([4, 17, 32, 613]);
const APP_LIMITED_CODES = new Set([341, 368]);
const TRANSIENT_CODES = new Set([1, 2, 21009]);
/** 190 is an invalid token, 10 and 200 to 299 a missing permission, 3 an unusable capability. */
const CONFIGURATION_CODES = new Set([190, 10, 3]);
/** With code 100, subcode 33 means the pixel does not exist or the token cannot write to it. */
const UNKNOWN_OBJECT_SUBCODE = 33;

export interface ClassifyInput {
  /** The HTTP status, when a response arrived. */
  httpStatus?: number;
  /** The parsed JSON body, if it parsed. */
  body?: unknown;
  /** True when the body was an HTML page (from a proxy or a load balancer). */
  htmlBody?: boolean;
  /** Response headers, lowercase names, for `Retry-After` and `X-Business-Use-Case-Usage`. */
  headers?: Record<string, string | string[] | undefined>;
}

/** Classifies one failed HTTP response of the Graph API. */
export function classifyGraphError(input: ClassifyInput): GraphErrorClassification {
  const error = readGraphError(input.body);
  const retryAfterMs = readRetryAfterMs(input.headers ?? {});
  const withRetry = retryAfterMs === undefined ? {} : { retryAfterMs };

  if (error) {
    const kind = classifyGraphCode(error.code, error.error_subcode, error.is_transient);
    const base: GraphErrorClassification = {
      kind: kind ?? kindFromHttpStatus(input.httpStatus),
      source: GRAPH_FAILURE_SOURCE.graphError,
      code: error.code,
      message: typeof error.message === 'string' ? error.message : 'no message',
    };
    if (error.error_subcode !== undefined) base.subcode = error.error_subcode;
    if (input.httpStatus !== undefined) base.httpStatus = input.httpStatus;
    if (typeof error.fbtrace_id === 'string') base.fbtraceId = error.fbtrace_id;
    return { ...base, ...withRetry };
  }

  if (input.htmlBody) {
    return {
      kind: GRAPH_ERROR_KIND.transient,
      source: GRAPH_FAILURE_SOURCE.htmlBody,
      code: 0,
      ...(input.httpStatus === undefined ? {} : { httpStatus: input.httpStatus }),
      message: `an HTML page instead of a Graph API response (HTTP ${input.httpStatus ?? 'unknown'})`,
      ...withRetry,
    };
  }

  return {
    kind: kindFromHttpStatus(input.httpStatus),
    source: GRAPH_FAILURE_SOURCE.httpStatus,
    code: 0,
    ...(input.httpStatus === undefined ? {} : { httpStatus: input.httpStatus }),
    message: `HTTP ${input.httpStatus ?? 'unknown'} without a Graph API error body`,
    ...withRetry,
  };
}

/**
 * Returns the kind of a Meta error code, or undefined for a code Meta's error table does not
 * list (then the HTTP status decides).
 */
export function classifyGraphCode(
  code: number,
  subcode?: number,
  isTransient?: boolean,
): GraphErrorKind | undefined {
  if (isTransient === true || TRANSIENT_CODES.has(code)) return GRAPH_ERROR_KIND.transient;
  if (THROTTLED_CODES.has(code) || (code >= 80000 && code <= 80014)) {
    return GRAPH_ERROR_KIND.throttled;
  }
  if (APP_LIMITED_CODES.has(code)) return GRAPH_ERROR_KIND.appLimited;
  if (code === 100) {
    return subcode === UNKNOWN_OBJECT_SUBCODE
      ? GRAPH_ERROR_KIND.configuration
      : GRAPH_ERROR_KIND.permanent;
  }
  if (CONFIGURATION_CODES.has(code) || (code >= 200 && code <= 299)) {
    return GRAPH_ERROR_KIND.configuration;
  }
  return undefined;
}

/**
 * Returns the kind of a response that carried no Meta error. 5xx and a missing status (no
 * response at all) are transient, 429 throttled. 401, 403 and 404 mean a wrong token, base URL or
 * version, so they are configuration errors. Any other status is permanent.
 */
function kindFromHttpStatus(httpStatus: number | undefined): GraphErrorKind {
  if (httpStatus === undefined || httpStatus >= 500) return GRAPH_ERROR_KIND.transient;
  if (httpStatus === 429) return GRAPH_ERROR_KIND.throttled;
  if (httpStatus === 401 || httpStatus === 403 || httpStatus === 404) {
    return GRAPH_ERROR_KIND.configuration;
  }
  return GRAPH_ERROR_KIND.permanent;
}

function readGraphError(body: unknown): GraphErrorBody['error'] | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as Partial<GraphErrorBody['error']>;
  if (typeof candidate.code !== 'number') return undefined;
  const subcode = typeof candidate.error_subcode === 'number' ? candidate.error_subcode : undefined;
  return {
    ...(candidate as GraphErrorBody['error']),
    error_subcode: subcode,
    is_transient: candidate.is_transient === true,
  };
}

/**
 * Reads the delay a response requests, in milliseconds: `Retry-After` in seconds, or the largest
 * `estimated_time_to_regain_access` (minutes) over the entries of `X-Business-Use-Case-Usage`.
 * When both are present the longer wait wins.
 */
export function readRetryAfterMs(
  headers: Record<string, string | string[] | undefined>,
): number | undefined {
  const waits: number[] = [];

  const retryAfter = firstHeader(headers['retry-after']);
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) {
    waits.push(Number(retryAfter.trim()) * 1000);
  }

  const usage = firstHeader(headers['x-business-use-case-usage']);
  if (usage !== undefined) {
    const minutes = readRegainAccessMinutes(usage);
    if (minutes !== undefined) waits.push(minutes * 60_000);
  }

  return waits.length > 0 ? Math.max(...waits) : undefined;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Returns the max regain time in minutes. The header maps each business id to a list of usage entries:
 * `{"<business id>": [{"type": "ads_management", "estimated_time_to_regain_access": 5, ...}]}`.
 */
function readRegainAccessMinutes(header: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;

  let max: number | undefined;
  for (const entries of Object.values(parsed)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const minutes = (entry as { estimated_time_to_regain_access?: unknown })
        .estimated_time_to_regain_access;
      if (typeof minutes === 'number' && minutes > 0) max = Math.max(max ?? 0, minutes);
    }
  }
  return max;
}
