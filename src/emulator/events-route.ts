import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerEvent } from '../meta/types';
import type { Fault, FaultQueue } from './faults';
import { graphRejection, newFbtraceId, type GraphRejection } from './graph-errors';
import type { EmulatorStore, RecordedRequest } from './store';
import type { TokenRegistry } from './tokens';
import { validateEvents } from './validate-events';

export interface EventsRouteContext {
  store: EmulatorStore;
  faults: FaultQueue;
  tokens: TokenRegistry;
  /** Delay before each response, in milliseconds. */
  latencyMs: number;
  /** Returns the emulator's current time. */
  clock: () => Date;
  /** When set, requests must carry a matching `appsecret_proof`. */
  appSecret?: string;
  /** Aborted when the emulator closes, to end pending delays. */
  closing: AbortSignal;
}

interface EventsParams {
  version: string;
  pixelId: string;
}

const VERSION_PATTERN = /^v\d+\.\d+$/;
const STOCK_HTML_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>502 Bad Gateway</h1></body></html>';

/** Registers `POST /{version}/{pixel_id}/events`. */
export function registerEventsRoute(app: FastifyInstance, context: EventsRouteContext): void {
  app.post<{ Params: EventsParams }>('/:version/:pixelId/events', async (request, reply) => {
    const { version, pixelId } = request.params;
    const body = readBody(request.body);
    const query = request.query as Record<string, unknown>;
    const token = readString(body.access_token) ?? readString(query.access_token);
    const data = readData(body.data);
    const eventNames = collectStrings(data, 'event_name');
    const recorded: RecordedRequest = {
      pixelId,
      status: 200,
      eventIds: collectStrings(data, 'event_id'),
      eventNames,
      fault: false,
      receivedAt: new Date().toISOString(),
    };

    if (context.latencyMs > 0)
      await sleep(context.latencyMs, undefined, { signal: context.closing });

    const fault = context.faults.take(pixelId, eventNames);
    if (fault?.delayMs) await sleep(fault.delayMs, undefined, { signal: context.closing });
    if (fault) applyFaultHeaders(reply, fault);
    if (fault && replacesAnswer(fault)) {
      recorded.fault = true;
      return sendFault(reply, fault, recorded, context.store);
    }

    const rejection =
      checkVersion(version) ??
      context.tokens.check(pixelId, token) ??
      checkAppSecretProof(body.appsecret_proof, token, context.appSecret) ??
      checkTestEventCode(body.test_event_code) ??
      (data.error ? data.error : validateEvents(data.value, nowSeconds(context.clock)));
    if (rejection) return sendRejection(reply, rejection, recorded, context.store);

    const events = data.value as ServerEvent[];
    context.store.accept(pixelId, events, readString(body.test_event_code));
    context.store.recordRequest(recorded);
    const fbtraceId = newFbtraceId();
    return reply
      .header('x-fb-trace-id', fbtraceId)
      .send({ events_received: events.length, messages: [], fbtrace_id: fbtraceId });
  });
}

function readBody(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

function readString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `data` arrives as an array in JSON bodies and as a JSON string in form bodies. */
function readData(raw: unknown): { value: unknown; error?: GraphRejection } {
  if (typeof raw !== 'string' || raw === '') return { value: raw };
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return {
      value: undefined,
      error: graphRejection({ code: 100, message: `Param "$['data']" must be a JSON array` }),
    };
  }
}

function collectStrings(data: { value: unknown }, key: 'event_name' | 'event_id'): string[] {
  if (!Array.isArray(data.value)) return [];
  const values: string[] = [];
  for (const event of data.value as unknown[]) {
    const value = (event as Record<string, unknown> | null)?.[key];
    if (typeof value === 'string') values.push(value);
  }
  return values;
}

function nowSeconds(clock: () => Date): number {
  return Math.floor(clock().getTime() / 1000);
}

function checkVersion(version: string): GraphRejection | undefined {
  if (VERSION_PATTERN.test(version)) return undefined;
  return graphRejection({ code: 2500, message: `Unknown path components: /${version}` });
}

function checkTestEventCode(value: unknown): GraphRejection | undefined {
  if (value === undefined || typeof value === 'string') return undefined;
  return graphRejection({ code: 100, message: `Param "$['test_event_code']" must be a string` });
}

function checkAppSecretProof(
  proof: unknown,
  token: string | undefined,
  appSecret: string | undefined,
): GraphRejection | undefined {
  if (appSecret === undefined || token === undefined) return undefined;
  const expected = createHmac('sha256', appSecret).update(token).digest();
  const given = typeof proof === 'string' ? Buffer.from(proof, 'hex') : Buffer.alloc(0);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  return graphRejection({
    code: 100,
    message:
      proof === undefined
        ? 'The parameter appsecret_proof is required'
        : 'Invalid appsecret_proof provided in the API argument',
  });
}

function replacesAnswer(fault: Fault): boolean {
  return (
    fault.body !== undefined ||
    fault.error !== undefined ||
    fault.html !== undefined ||
    fault.eventsReceived !== undefined ||
    fault.status !== undefined
  );
}

function applyFaultHeaders(reply: FastifyReply, fault: Fault): void {
  if (fault.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(fault.retryAfterSeconds));
  }
  if (fault.regainAccessMinutes !== undefined) {
    const usage = {
      '1000000000000001': [
        {
          type: 'ads_management',
          call_count: 100,
          total_cputime: 100,
          total_time: 100,
          estimated_time_to_regain_access: fault.regainAccessMinutes,
        },
      ],
    };
    reply.header('x-business-use-case-usage', JSON.stringify(usage));
  }
  for (const [name, value] of Object.entries(fault.headers ?? {})) reply.header(name, value);
}

function sendFault(
  reply: FastifyReply,
  fault: Fault,
  recorded: RecordedRequest,
  store: EmulatorStore,
): FastifyReply {
  if (fault.html !== undefined) {
    recorded.status = fault.status ?? 502;
    store.recordRequest(recorded);
    const page = fault.html === true ? STOCK_HTML_PAGE : fault.html;
    return reply.code(recorded.status).type('text/html; charset=utf-8').send(page);
  }

  let body: unknown = fault.body;
  if (fault.error !== undefined) {
    body = {
      error: {
        message: 'Scripted error',
        type: 'OAuthException',
        ...fault.error,
        fbtrace_id: fault.error.fbtrace_id ?? newFbtraceId(),
      },
    };
  } else if (fault.eventsReceived !== undefined) {
    body = { events_received: fault.eventsReceived, messages: [], fbtrace_id: newFbtraceId() };
  }

  const errorCode = readErrorCode(body);
  recorded.status = fault.status ?? (errorCode === undefined ? 200 : 400);
  if (errorCode !== undefined) recorded.error = errorCode;
  store.recordRequest(recorded);

  if (body === undefined) return reply.code(recorded.status).send();
  return reply
    .code(recorded.status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

function sendRejection(
  reply: FastifyReply,
  rejection: GraphRejection,
  recorded: RecordedRequest,
  store: EmulatorStore,
): FastifyReply {
  recorded.status = rejection.status;
  recorded.error = readErrorCode(rejection.body);
  store.recordRequest(recorded);
  return reply
    .code(rejection.status)
    .header('x-fb-trace-id', rejection.body.error.fbtrace_id)
    .send(rejection.body);
}

/** Returns `code/subcode` (or `code`) of a Graph API error body. */
function readErrorCode(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown; error_subcode?: unknown } } | null)?.error;
  if (typeof error?.code !== 'number') return undefined;
  return typeof error.error_subcode === 'number'
    ? `${error.code}/${error.error_subcode}`
    : String(error.code);
}
