import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { MAX_EVENT_AGE_DAYS } from '../mapping/event-time';
import { CONVERSION_WORKFLOW } from '../client';
import {
  DELIVERY_STATUS_KEY,
  EVENT_TIME,
  META_EVENT,
  PIXEL_ID,
  SOURCE_EVENT,
} from '../temporal/search-attributes';
import { retrySendSignal } from '../workflows/conversion';
import { listReplayCandidates, type ReplayCandidate } from './candidates';
import { readOriginalInput } from './original-input';
import { buildReplayQuery, type ReplayFilters } from './query';

/** How long after its event time Meta still accepts a website event, in milliseconds (7 days). */
export const META_SEND_WINDOW_MS = MAX_EVENT_AGE_DAYS.other * 86_400_000;

/** The outcome of one selected conversion in a replay. */
export const REPLAY_OUTCOME = {
  /** A failed conversion was started again under its workflow id. */
  replayed: 'replayed',
  /** A held conversion got the `retrySend` signal. */
  signalled: 'signalled',
  /** The event is past Meta's window, so nothing was done. */
  skippedTooOld: 'skipped_too_old',
  /** A run of that workflow id started in the meantime, so Temporal rejected a new one. */
  alreadyRunning: 'already_running',
  /** Dry run: the conversion would be started again. */
  wouldReplay: 'would_replay',
  /** Dry run: the conversion would get the signal. */
  wouldSignal: 'would_signal',
} as const;
export type ReplayOutcome = (typeof REPLAY_OUTCOME)[keyof typeof REPLAY_OUTCOME];

export interface ReplayResult {
  candidate: ReplayCandidate;
  outcome: ReplayOutcome;
}

/** The counts of the replay's summary line. A dry run counts nothing as replayed or signalled. */
export interface ReplayCounts {
  selected: number;
  replayed: number;
  signalled: number;
  skippedTooOld: number;
  alreadyRunning: number;
}

export interface ReplayReport {
  /** The visibility query the conversions were selected with. */
  query: string;
  dryRun: boolean;
  counts: ReplayCounts;
  /** One result per selected conversion, sorted by workflow id. */
  results: ReplayResult[];
}

export interface ReplayOptions {
  filters?: ReplayFilters;
  /** Task queue of the new runs: the one the conversion workers poll. */
  taskQueue: string;
  /** The current time, for Meta's 7-day window. @default the system clock */
  now?: Date;
  /** Lists what would be done without changing anything. @default false */
  dryRun?: boolean;
  /** Conversions handled at the same time. @default 8 */
  concurrency?: number;
  /**
   * Lets held sends whose earlier attempt may have reached Meta (`delivery_unconfirmed`) send again.
   * Use it after checking Events Manager. @default false
   */
  resendUnconfirmed?: boolean;
  /** Called once the conversions are selected, before any of them is handled. */
  onSelected?: (candidates: readonly ReplayCandidate[]) => void;
  /** Called after each conversion is handled. */
  onProgress?: (result: ReplayResult, done: number, total: number) => void;
}

/**
 * Replays the conversions the filters select. A rejected or expired conversion is started again
 * under the same workflow id with its original input, so it keeps its `event_id`. A held one gets
 * the `retrySend` signal. Events past Meta's window are skipped. Replaying twice sends nothing
 * twice: a delivered conversion is no longer selected, and Temporal's id reuse policy rejects a
 * new run after a successful one.
 */
export async function runReplay(client: Client, options: ReplayOptions): Promise<ReplayReport> {
  const query = buildReplayQuery(options.filters);
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const concurrency = Math.max(1, options.concurrency ?? 8);

  const candidates = await listReplayCandidates(client, query);
  options.onSelected?.(candidates);

  const results = new Array<ReplayResult>(candidates.length);
  let next = 0;
  let done = 0;
  const lanes = Array.from({ length: Math.min(concurrency, candidates.length) }, async () => {
    while (next < candidates.length) {
      const index = next++;
      const candidate = candidates[index]!;
      const outcome = await replayOne(client, candidate, {
        now,
        dryRun,
        taskQueue: options.taskQueue,
        resendUnconfirmed: options.resendUnconfirmed,
      });
      results[index] = { candidate, outcome };
      done += 1;
      options.onProgress?.(results[index], done, candidates.length);
    }
  });
  await Promise.all(lanes);

  return { query, dryRun, counts: countOutcomes(results), results };
}

/** Returns true when Meta no longer accepts the event at `now`. Unknown event times are kept. */
export function isPastMetaWindow(eventTime: Date | undefined, now: Date): boolean {
  if (eventTime === undefined) return false;
  return now.getTime() - eventTime.getTime() > META_SEND_WINDOW_MS;
}

async function replayOne(
  client: Client,
  candidate: ReplayCandidate,
  context: { now: Date; dryRun: boolean; taskQueue: string; resendUnconfirmed?: boolean },
): Promise<ReplayOutcome> {
  // NOTE: physical_store events have a 62-day window at Meta, but the search attributes do not
  // say which events are physical_store, so they are held to the 7-day window here too.
  if (isPastMetaWindow(candidate.eventTime, context.now)) return REPLAY_OUTCOME.skippedTooOld;

  if (candidate.status === 'held') {
    if (context.dryRun) return REPLAY_OUTCOME.wouldSignal;
    await client.workflow
      .getHandle(candidate.workflowId, candidate.runId)
      .signal(retrySendSignal, { resendUnconfirmed: context.resendUnconfirmed ?? false });
    return REPLAY_OUTCOME.signalled;
  }

  if (context.dryRun) return REPLAY_OUTCOME.wouldReplay;
  const input = await readOriginalInput(client, candidate.workflowId, candidate.runId);
  try {
    await client.workflow.start(CONVERSION_WORKFLOW, {
      taskQueue: context.taskQueue,
      workflowId: candidate.workflowId,
      args: [input],
      // The same policies as a first start: a new run only after a failed one, never beside one.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: restartAttributes(candidate),
    });
    return REPLAY_OUTCOME.replayed;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return REPLAY_OUTCOME.alreadyRunning;
    throw error;
  }
}

/** Copies the failed run's search attributes, with the delivery status back at `sending`. */
function restartAttributes(candidate: ReplayCandidate): SearchAttributePair[] {
  const attributes = candidate.description.typedSearchAttributes;
  const pairs: SearchAttributePair[] = [{ key: DELIVERY_STATUS_KEY, value: 'sending' }];
  for (const key of [META_EVENT, PIXEL_ID, SOURCE_EVENT]) {
    const value = attributes.get(key);
    if (value !== undefined) pairs.push({ key, value });
  }
  const eventTime = attributes.get(EVENT_TIME);
  if (eventTime !== undefined) pairs.push({ key: EVENT_TIME, value: eventTime });
  return pairs;
}

function countOutcomes(results: readonly ReplayResult[]): ReplayCounts {
  const count = (outcome: ReplayOutcome) =>
    results.filter((result) => result.outcome === outcome).length;
  return {
    selected: results.length,
    replayed: count(REPLAY_OUTCOME.replayed),
    signalled: count(REPLAY_OUTCOME.signalled),
    skippedTooOld: count(REPLAY_OUTCOME.skippedTooOld),
    alreadyRunning: count(REPLAY_OUTCOME.alreadyRunning),
  };
}
