import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  defineQuery,
  log,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { BackfillActivities } from '../activities/backfill';
import {
  addCounts,
  BACKFILL_FAILURE_TYPES,
  BACKFILL_PROGRESS_QUERY,
  emptyCounts,
  MAX_REJECTED_DETAILS,
  type BackfillInput,
  type BackfillProgress,
  type ChunkResult,
} from '../backfill/types';
import { FAILURE_TYPES } from './failure-types';

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_CHUNKS_PER_RUN = 100;

// One chunk is one request, plus the requests bisection adds when Meta rejects an event. The Meta
// client times out each request after 10 s by default and the activity heartbeats before each one.
// There is no attempt limit: the activity counts events past Meta's window as too old, so a
// backfill that waits out a long outage ends.
const { sendBackfillChunk } = proxyActivities<BackfillActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [
      FAILURE_TYPES.metaConfiguration,
      FAILURE_TYPES.metaPermanent,
      BACKFILL_FAILURE_TYPES.spoolUnreadable,
    ],
  },
});

const { removeBackfillSpool } = proxyActivities<BackfillActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

/** The backfill's counts so far, across continue-as-new. */
export const backfillProgressQuery = defineQuery<BackfillProgress>(BACKFILL_PROGRESS_QUERY);

/**
 * Sends the prepared chunks of a backfill, `concurrency` at a time, and returns what happened to
 * every event. Its input names the spool folder, never the events, so history stays small however
 * large the file. A wrong token, pixel or permission stops the backfill at once: no other chunk
 * could succeed, and rerunning the same file after the fix sends only what was not sent.
 */
export async function backfillWorkflow(input: BackfillInput): Promise<BackfillProgress> {
  const { spool } = input;
  const concurrency = input.concurrency ?? DEFAULT_CONCURRENCY;
  const chunksPerRun = input.chunksPerRun ?? DEFAULT_CHUNKS_PER_RUN;
  const counts = { ...emptyCounts(), ...input.resume?.counts };
  const rejectedEvents = [...(input.resume?.rejected ?? [])];
  let nextChunk = input.resume?.nextChunk ?? 0;

  const progress = (): BackfillProgress => ({
    ...counts,
    chunksDone: nextChunk,
    chunkCount: spool.chunkCount,
    eventCount: spool.eventCount,
    rejectedEvents,
  });
  setHandler(backfillProgressQuery, progress);

  const runEnd = Math.min(spool.chunkCount, nextChunk + chunksPerRun);
  try {
    while (nextChunk < runEnd) {
      const wave: number[] = [];
      for (let index = nextChunk; index < Math.min(runEnd, nextChunk + concurrency); index++) {
        wave.push(index);
      }
      const results = await Promise.all(
        wave.map((chunkIndex) => sendBackfillChunk({ spoolDir: spool.spoolDir, chunkIndex })),
      );
      for (const result of results) addResult(counts, rejectedEvents, result);
      nextChunk += wave.length;
    }
  } catch (error) {
    await removeSpoolQuietly(spool.spoolDir);
    throw stopFailure(error, nextChunk, spool.chunkCount);
  }

  if (nextChunk < spool.chunkCount) {
    return await continueAsNew<typeof backfillWorkflow>({
      ...input,
      resume: { nextChunk, counts, rejected: rejectedEvents },
    });
  }
  await removeBackfillSpool({ spoolDir: spool.spoolDir });
  return progress();
}

// A failed removal leaves chunk files behind, which the next run of the file does not reuse, so
// it must not replace the failure that stopped the backfill.
async function removeSpoolQuietly(spoolDir: string): Promise<void> {
  try {
    await removeBackfillSpool({ spoolDir });
  } catch (error) {
    log.warn('backfill spool folder not removed', { spoolDir, error: String(error) });
  }
}

function addResult(
  counts: ReturnType<typeof emptyCounts>,
  rejectedEvents: BackfillProgress['rejectedEvents'],
  result: ChunkResult,
): void {
  addCounts(counts, result);
  const room = MAX_REJECTED_DETAILS - rejectedEvents.length;
  if (room > 0) rejectedEvents.push(...result.rejectedEvents.slice(0, room));
}

/** Turns a failed chunk into the failure that ends the backfill, with what to do next. */
function stopFailure(error: unknown, nextChunk: number, chunkCount: number): unknown {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return error;

  const advice =
    cause.type === FAILURE_TYPES.metaConfiguration
      ? 'Fix the token, the pixel id or its permissions, then run the same file again: ' +
        'events already sent are skipped.'
      : 'Run the same file again once the cause is fixed: events already sent are skipped.';
  return ApplicationFailure.create({
    type: BACKFILL_FAILURE_TYPES.stopped,
    message:
      `backfill stopped after ${nextChunk} of ${chunkCount} chunks: ` +
      `${cause.message}. ${advice}`,
    nonRetryable: true,
    details: cause.details ?? [],
  });
}
