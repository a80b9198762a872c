import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import type { Settings } from '../config/settings';
import {
  classifyGraphError,
  GRAPH_ERROR_KIND,
  GRAPH_FAILURE_SOURCE,
  MetaApiError,
  type GraphErrorClassification,
} from './errors';
import {
  MAX_EVENTS_PER_REQUEST,
  type EventsRequestBody,
  type EventsSuccessBody,
  type ServerEvent,
} from './types';

export interface GraphClientOptions {
  /** Graph API base URL, without a trailing slash. @default https://graph.facebook.com */
  graphBaseUrl: Settings['meta']['graphBaseUrl'];
  /** Graph API version, such as `v24.0`. */
  graphApiVersion: Settings['meta']['graphApiVersion'];
  /** Deadline of one request, headers and body together, in milliseconds. @default 10000 */
  requestTimeoutMs?: Settings['meta']['requestTimeoutMs'];
  /** The Meta app secret. When set, each request carries `appsecret_proof`. @default unset */
  appSecret?: string;
  /** Max open connections to the Graph origin. @default 16 */
  connections?: number;
}

export interface SendEventsRequest {
  pixelId: string;
  /** 1 to 1,000 events, sent in one request. */
  events: ServerEvent[];
  /** Sent in the JSON body, never in the URL. */
  accessToken: string;
  /** Routes the events to Events Manager's Test Events tab. They are still processed for real. */
  testEventCode?: string;
  /** Aborts the request. The client then rethrows the signal's reason. */
  signal?: AbortSignal;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const PIXEL_ID_PATTERN = /^\d{1,32}$/;

/**
 * The Graph API client for the Conversions API events endpoint. It keeps one undici Pool, with
 * keep-alive connections, to the Graph origin, so create one client per process and reuse it.
 */
export class GraphClient {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: GraphClientOptions) {
    const base = new URL(options.graphBaseUrl);
    this.pool = new Pool(base.origin, { connections: options.connections ?? 16 });
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /**
   * Posts the events to `/{version}/{pixel_id}/events`. Returns Meta's success body, whose
   * `events_received` equals the number of events sent. Throws a MetaApiError on every other
   * outcome, and the signal's reason when the caller aborts.
   */
  async sendEvents(request: SendEventsRequest): Promise<EventsSuccessBody> {
    validateRequest(request);

    const body: EventsRequestBody = { data: request.events, access_token: request.accessToken };
    if (request.testEventCode) body.test_event_code = request.testEventCode;
    if (this.options.appSecret) {
      body.appsecret_proof = computeAppSecretProof(request.accessToken, this.options.appSecret);
    }

    const path = `${this.basePath}/${this.options.graphApiVersion}/${request.pixelId}/events`;
    const deadline = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;

    let statusCode: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const response = await this.pool.request({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'user-agent': 'cio-capi' },
        body: JSON.stringify(body),
        headersTimeout: this.requestTimeoutMs,
        bodyTimeout: this.requestTimeoutMs,
        signal,
      });
      statusCode = response.statusCode;
      headers = response.headers;
      text = await response.body.text();
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      throw new MetaApiError(classifyTransportError(error, deadline.aborted), { cause: error });
    }

    return readResponse(statusCode, headers, text, request.events.length);
  }

  /** Closes the connections once the requests in flight have finished. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** Returns the hex HMAC-SHA256 of the access token keyed with the app secret. */
export function computeAppSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

function validateRequest(request: SendEventsRequest): void {
  const problems: string[] = [];
  if (!PIXEL_ID_PATTERN.test(request.pixelId)) {
    problems.push(`invalid pixelId "${request.pixelId}": expected digits only`);
  }
  const count = request.events.length;
  if (count < 1 || count > MAX_EVENTS_PER_REQUEST) {
    problems.push(`invalid events: ${count} events, expected 1 to ${MAX_EVENTS_PER_REQUEST}`);
  }
  if (!request.accessToken) problems.push('accessToken is missing');
  if (problems.length === 0) return;

  const kind = request.accessToken ? GRAPH_ERROR_KIND.permanent : GRAPH_ERROR_KIND.configuration;
  throw new MetaApiError({
    kind,
    source: GRAPH_FAILURE_SOURCE.invalidRequest,
    code: 0,
    message: problems.join('; '),
  });
}

function readResponse(
  statusCode: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  sentCount: number,
): EventsSuccessBody {
  const body = parseJson(text);
  const contentType = String(headers['content-type'] ?? '');
  const htmlBody = body === undefined && (contentType.includes('html') || /^\s*</.test(text));

  const success = statusCode >= 200 && statusCode < 300 ? readSuccessBody(body) : undefined;
  if (!success) {
    throw new MetaApiError(classifyGraphError({ httpStatus: statusCode, body, htmlBody, headers }));
  }

  if (success.events_received !== sentCount) {
    throw new MetaApiError({
      kind: GRAPH_ERROR_KIND.transient,
      source: GRAPH_FAILURE_SOURCE.eventsReceivedMismatch,
      code: 0,
      httpStatus: statusCode,
      fbtraceId: success.fbtrace_id,
      message: `events_received is ${success.events_received}, expected ${sentCount}`,
    });
  }
  return success;
}

/** Returns the body when it has Meta's success shape; a 2xx without it counts as a failure. */
function readSuccessBody(body: unknown): EventsSuccessBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = body as Partial<EventsSuccessBody>;
  if (typeof candidate.events_received !== 'number') return undefined;
  return {
    events_received: candidate.events_received,
    messages: Array.isArray(candidate.messages) ? candidate.messages : [],
    fbtrace_id: typeof candidate.fbtrace_id === 'string' ? candidate.fbtrace_id : '',
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Classifies a request that got no complete response. Every such failure is transient,
 * because a timeout or a broken connection proves nothing about the payload.
 */
function classifyTransportError(error: unknown, timedOut: boolean): GraphErrorClassification {
  const errorCode = (error as { code?: unknown }).code;
  const isTimeout =
    timedOut ||
    errorCode === 'UND_ERR_HEADERS_TIMEOUT' ||
    errorCode === 'UND_ERR_BODY_TIMEOUT' ||
    errorCode === 'UND_ERR_CONNECT_TIMEOUT';
  const detail = error instanceof Error ? error.message : String(error);

  if (isTimeout) {
    return {
      kind: GRAPH_ERROR_KIND.transient,
      source: GRAPH_FAILURE_SOURCE.timeout,
      code: 0,
      message: `request timed out: ${detail}`,
    };
  }
  return {
    kind: GRAPH_ERROR_KIND.transient,
    source: GRAPH_FAILURE_SOURCE.connection,
    code: 0,
    message: `connection failed${typeof errorCode === 'string' ? ` (${errorCode})` : ''}: ${detail}`,
  };
}
