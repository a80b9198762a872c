import { ApplicationFailure, Context } from '@temporalio/activity';
import { sendWithBisection } from '../backfill/bisect';
import { partitionBatch } from '../backfill/batching';
import { readChunk, removeSpool, SpoolError } from '../backfill/spool';
import { BACKFILL_FAILURE_TYPES, type ChunkResult, type ChunkFile } from '../backfill/types';
import { MissingSecretError, readSecret } from '../config/secrets';
import { MetaApiError } from '../meta/errors';
import type { ServerEvent } from '../meta/types';
import {
  answeredByMeta,
  configurationFailure,
  DELIVERY_LEDGER_STATUS,
  toFailure,
  type DeliveryLedgerStatus,
  type SendDeps,
} from './send';

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
 * past Meta's window. An event-level rejection is bisected (see sendWithBisection). The ledger marks
 * each request's events `attempting` before it goes out, `sent` after Meta's success and `failed`
 * when Meta responded with an error. Events still `attempting` on a later attempt (a timeout, a
 * dropped connection, a killed worker) may be at Meta already: they are counted as unconfirmed and
 * not sent again, as in the per-event path.
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

  const statuses = await findLedgerStatuses(deps, chunk);
  const nowSeconds = Math.floor(deps.clock().getTime() / 1000);
  const partition = partitionBatch(chunk.events, {
    ledgerStatus: (event) => statuses.get(deliveryKey(event)),
    nowSeconds,
  });
  if (partition.unconfirmed.length > 0) {
    deps.logger.warn(
      { ...ids, unconfirmed: partition.unconfirmed.length },
      'backfill events held: an earlier attempt may have reached Meta',
    );
  }
  const result: ChunkResult = {
    sent: 0,
    alreadySent: partition.alreadySent.length,
    tooOld: partition.tooOld.length,
    unconfirmed: partition.unconfirmed.length,
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
    await recordStatus(deps, chunk.pixelId, events, DELIVERY_LEDGER_STATUS.attempting);
    let body: Awaited<ReturnType<SendDeps['sender']['sendEvents']>>;
    try {
      body = await deps.sender.sendEvents({
        pixelId: chunk.pixelId,
        events,
        accessToken,
        testEventCode: deps.testEventCode,
        signal: context.cancellationSignal,
      });
    } catch (error) {
      if (error instanceof MetaApiError && answeredByMeta(error)) {
        await recordStatus(deps, chunk.pixelId, events, DELIVERY_LEDGER_STATUS.failed);
      }
      throw error;
    }
    await recordStatus(deps, chunk.pixelId, events, DELIVERY_LEDGER_STATUS.sent, body.fbtrace_id);
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

/** Returns the ledger status of each of the chunk's events that the ledger has. */
async function findLedgerStatuses(deps: SendDeps, chunk: ChunkFile): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  if (!deps.deliveries) return statuses;
  for (const event of chunk.events) {
    const key = { pixelId: chunk.pixelId, eventName: event.event_name, eventId: event.event_id };
    const delivery = await deps.deliveries.findDelivery(key);
    if (delivery) statuses.set(deliveryKey(event), delivery.status);
  }
  return statuses;
}

async function recordStatus(
  deps: SendDeps,
  pixelId: string,
  events: ServerEvent[],
  status: DeliveryLedgerStatus,
  fbtraceId?: string,
): Promise<void> {
  if (!deps.deliveries) return;
  const sentAt = deps.clock().getTime();
  for (const event of events) {
    await deps.deliveries.recordDelivery({
      pixelId,
      eventName: event.event_name,
      eventId: event.event_id,
      status,
      fbtraceId,
      sentAt,
    });
  }
}
