import { ApplicationFailure, Context } from '@temporalio/activity';
import { sendWithBisection } from '../backfill/bisect';
import { partitionBatch } from '../backfill/batching';
import { readChunk, removeSpool, SpoolError } from '../backfill/spool';
import { BACKFILL_FAILURE_TYPES, type ChunkResult, type ChunkFile } from '../backfill/types';
import { MissingSecretError, readSecret } from '../config/secrets';
import { MetaApiError } from '../meta/errors';
import type { ServerEvent } from '../meta/types';
import { configurationFailure, DELIVERY_LEDGER_STATUS, toFailure, type SendDeps } from './send';

export interface SendChunkInput {
  /** Absolute path of the spool folder written by the backfill command. */
  spoolDir: string;
  /** 0-based index of the chunk file. */
  chunkIndex: number;
}

/** The backfill activities, registered next to the conversion activities. */
export interface BackfillActivities {
  sendBackfillChunk(input: SendChunkInput): Promise<ChunkResult>;
  removeBackfillSpool(input: { spoolDir: string }): Promise<void>;
}

/**
 * Builds the backfill activities. They share the conversion send's dependencies: the Graph client,
 * the token read at each attempt, and the delivery ledger that keeps an event from going out twice.
 */
export function createBackfillActivities(deps: SendDeps): BackfillActivities {
  return {
    sendBackfillChunk: (input) => sendBackfillChunk(deps, input),
    removeBackfillSpool: ({ spoolDir }) => removeSpool(spoolDir),
  };
}

/**
 * Sends one chunk of a backfill in one request, minus the events the ledger lists as sent and those
 * past Meta's window. An event-level rejection is bisected (see sendWithBisection). Every accepted
 * batch is written to the ledger at once, so a retry after a transient failure sends only the rest.
 *
 * NOTE: an event is sent twice only when the worker dies between Meta's response and the ledger
 * write, the same window as the per-event send.
 */
async function sendBackfillChunk(deps: SendDeps, input: SendChunkInput): Promise<ChunkResult> {
  const context = Context.current();
  const chunk = await readChunkOrFail(input);
  const ids = {
    workflowId: context.info.workflowExecution?.workflowId,
    pixelId: chunk.pixelId,
    chunkIndex: input.chunkIndex,
    attempt: context.info.attempt,
  };

  const delivered = await findDelivered(deps, chunk);
  const nowSeconds = Math.floor(deps.clock().getTime() / 1000);
  const partition = partitionBatch(chunk.events, {
    isDelivered: (event) => delivered.has(deliveryKey(event)),
    nowSeconds,
  });
  const result: ChunkResult = {
    sent: 0,
    alreadySent: partition.alreadySent.length,
    tooOld: partition.tooOld.length,
    rejected: 0,
    requests: 0,
    rejectedEvents: [],
  };
  if (partition.sendable.length === 0) return result;

  const accessToken = await readAccessToken(deps);
  let requests = 0;
  const send = async (events: ServerEvent[]): Promise<void> => {
    requests += 1;
    context.heartbeat();
    const body = await deps.sender.sendEvents({
      pixelId: chunk.pixelId,
      events,
      accessToken,
      testEventCode: deps.testEventCode,
      signal: context.cancellationSignal,
    });
    await recordSent(deps, chunk.pixelId, events, body.fbtrace_id);
  };

  try {
    const outcome = await sendWithBisection(partition.sendable, send);
    result.sent = outcome.sent;
    result.requests = outcome.requests;
    result.rejected = outcome.rejected.length;
    result.rejectedEvents = outcome.rejected;
  } catch (error) {
    if (!(error instanceof MetaApiError)) throw error;
    deps.logger.warn(
      {
        ...ids,
        requests,
        kind: error.classification.kind,
        metaCode: error.classification.code,
        metaSubcode: error.classification.subcode,
        fbtraceId: error.classification.fbtraceId,
      },
      'backfill chunk send failed',
    );
    throw toFailure(error);
  }

  deps.logger.info(
    { ...ids, ...result, rejectedEvents: undefined, events: chunk.events.length },
    'backfill chunk sent',
  );
  for (const rejected of result.rejectedEvents) {
    deps.logger.warn(
      { ...ids, eventId: rejected.eventId, metaCode: rejected.code, metaSubcode: rejected.subcode },
      'Meta rejected a backfill event',
    );
  }
  return result;
}

async function readChunkOrFail(input: SendChunkInput): Promise<ChunkFile> {
  try {
    return await readChunk(input.spoolDir, input.chunkIndex);
  } catch (error) {
    if (!(error instanceof SpoolError)) throw error;
    throw ApplicationFailure.create({
      type: BACKFILL_FAILURE_TYPES.spoolUnreadable,
      message: error.message,
      nonRetryable: true,
    });
  }
}

async function readAccessToken(deps: SendDeps): Promise<string> {
  try {
    return await readSecret('META_ACCESS_TOKEN', deps.accessToken);
  } catch (error) {
    if (!(error instanceof MissingSecretError)) throw error;
    throw configurationFailure({ code: 'missing_access_token', message: error.message });
  }
}

function deliveryKey(event: ServerEvent): string {
  return JSON.stringify([event.event_name, event.event_id]);
}

/** Returns the keys of the chunk's events that the ledger lists as sent. */
async function findDelivered(deps: SendDeps, chunk: ChunkFile): Promise<Set<string>> {
  const delivered = new Set<string>();
  if (!deps.deliveries) return delivered;
  for (const event of chunk.events) {
    const key = { pixelId: chunk.pixelId, eventName: event.event_name, eventId: event.event_id };
    const delivery = await deps.deliveries.findDelivery(key);
    // NOTE: an event left `attempting` by a worker that died mid-request is sent again here,
    // unlike in the per-event path, which holds it for an operator.
    if (delivery?.status === DELIVERY_LEDGER_STATUS.sent) delivered.add(deliveryKey(event));
  }
  return delivered;
}

async function recordSent(
  deps: SendDeps,
  pixelId: string,
  events: ServerEvent[],
  fbtraceId: string,
): Promise<void> {
  if (!deps.deliveries) return;
  const sentAt = deps.clock().getTime();
  for (const event of events) {
    await deps.deliveries.recordDelivery({
      pixelId,
      eventName: event.event_name,
      eventId: event.event_id,
      status: DELIVERY_LEDGER_STATUS.sent,
      fbtraceId,
      sentAt,
    });
  }
}
