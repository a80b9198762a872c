import { GRAPH_ERROR_KIND, MetaApiError, type GraphErrorClassification } from '../meta/errors';
import type { ServerEvent } from '../meta/types';
import type { RejectedEvent } from './types';

/** Sends one batch in one request. Resolves on success; throws a MetaApiError otherwise. */
export type BatchSender = (events: ServerEvent[]) => Promise<void>;

export interface BisectionResult {
  /** Events Meta accepted. */
  sent: number;
  /** Requests made, the failed ones included. */
  requests: number;
  rejected: RejectedEvent[];
}

/**
 * Returns true when a rejection may be caused by one event of the batch, so splitting the batch
 * lets the others through. Meta rejects a whole request with code 100 for one invalid event and
 * does not name the event. The error classification treats 100/33 (an unknown pixel) as a
 * configuration error, so it never reaches here.
 */
export function isEventLevelRejection(classification: GraphErrorClassification): boolean {
  return classification.kind === GRAPH_ERROR_KIND.permanent && classification.code === 100;
}

/**
 * Sends a batch, and when Meta rejects it for an invalid event, sends each half again, recursively,
 * until every invalid event is alone in a rejected request and every valid one is sent. k invalid
 * events in n cost at most about 2k·log2(n) extra requests.
 *
 * A permanent rejection that is not event-level (no Meta code 100) is blamed on the whole batch,
 * because splitting cannot change its outcome. Every other error (transient, throttled,
 * configuration) is thrown as is, so the caller retries or stops. Halves sent before it stay sent.
 */
export async function sendWithBisection(
  events: ServerEvent[],
  send: BatchSender,
): Promise<BisectionResult> {
  const result: BisectionResult = { sent: 0, requests: 0, rejected: [] };
  if (events.length > 0) await sendPart(events, send, result);
  return result;
}

async function sendPart(
  events: ServerEvent[],
  send: BatchSender,
  result: BisectionResult,
): Promise<void> {
  result.requests += 1;
  try {
    await send(events);
    result.sent += events.length;
    return;
  } catch (error) {
    if (!(error instanceof MetaApiError)) throw error;
    const { classification } = error;
    if (classification.kind !== GRAPH_ERROR_KIND.permanent) throw error;

    if (events.length === 1 || !isEventLevelRejection(classification)) {
      for (const event of events) result.rejected.push(toRejected(event, classification));
      return;
    }
  }

  const middle = Math.ceil(events.length / 2);
  await sendPart(events.slice(0, middle), send, result);
  await sendPart(events.slice(middle), send, result);
}

function toRejected(event: ServerEvent, classification: GraphErrorClassification): RejectedEvent {
  const rejected: RejectedEvent = {
    eventId: event.event_id,
    eventName: event.event_name,
    code: classification.code,
    message: classification.message,
  };
  if (classification.subcode !== undefined) rejected.subcode = classification.subcode;
  if (classification.fbtraceId !== undefined) rejected.fbtraceId = classification.fbtraceId;
  return rejected;
}
