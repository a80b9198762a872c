import { WorkflowExecutionAlreadyStartedError, type Duration } from '@temporalio/common';
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  ScannedSignal,
  SentSignal,
  SignalActivities,
  SignalScanPlan,
} from '../activities/signals';
import {
  DELIVERY_STATUS_KEY,
  EVENT_TIME,
  META_EVENT,
  PIXEL_ID,
  SOURCE_EVENT,
} from '../temporal/search-attributes';
import { conversionWorkflow } from './conversion';
import { conversionWorkflowId } from './ids';
import type { ConversionInput } from './types';

const { planSignalScan, scanSignalCandidates, recordSignalsSent } =
  proxyActivities<SignalActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

export interface SignalScanInput {
  /** Customers read per page. @default the plan's pageSize (signals.pageSize, 500) */
  pageSize?: number;
  /** Conversions started at once; the next batch starts when these have ended. @default 50 */
  batchSize?: number;
  /** Pages one run reads before it continues as new, keeping its history small. @default 4 */
  pagesPerRun?: number;
  /**
   * How long the scan waits for a batch of conversions, in Temporal duration syntax. A
   * conversion still running then (held by a Meta configuration problem) keeps running by itself.
   * The next scan finds its workflow id in use and records the signal. @default '10 minutes'
   */
  batchTimeout?: Duration;
  /** The position where the previous run stopped, set by the scan when it continues as new. */
  resume?: ScanProgress;
}

/** The counts of one scan, summed over its runs. */
export interface SignalScanTotals {
  pages: number;
  /** Customers the pages returned, skipped ones included. */
  candidates: number;
  /** Conversions this scan started that ended `sent`. */
  sent: number;
  /** Candidates whose conversion workflow id was already in use: sent earlier, or still running. */
  alreadySent: number;
  /** Candidates recorded as skipped: they qualified more than 7 days ago. */
  skipped: number;
  /** Conversions rejected, expired, or still running at the batch timeout; a later scan retries them. */
  notSent: number;
}

export interface ScanProgress {
  plan: SignalScanPlan;
  /** Index in `plan.signals` of the signal being scanned. */
  signalIndex: number;
  /** Cursor: the last customer id of the previous page of this signal. */
  after?: string;
  totals: SignalScanTotals;
}

const DEFAULT_BATCH_SIZE = 50;
const DEFAULT_PAGES_PER_RUN = 4;
const DEFAULT_BATCH_TIMEOUT: Duration = '10 minutes';

type ChildOutcome = 'pending' | 'sent' | 'alreadySent' | 'notSent';

/**
 * Scans every configured signal once. It pages through each signal's candidates in customer id
 * order and starts one conversion workflow per candidate as an abandoned child. It records each
 * signal once its conversion has been sent, so a signal is sent once even after Temporal has
 * forgotten the conversion. It continues as new every few pages, so a million profiles never
 * make one history or payload large.
 */
export async function signalScanWorkflow(input: SignalScanInput = {}): Promise<SignalScanTotals> {
  const plan = input.resume?.plan ?? (await planSignalScan());
  const pageSize = input.pageSize ?? plan.pageSize;
  const pagesPerRun = input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;
  const progress: ScanProgress = input.resume ?? {
    plan,
    signalIndex: 0,
    totals: { pages: 0, candidates: 0, sent: 0, alreadySent: 0, skipped: 0, notSent: 0 },
  };

  for (let pagesThisRun = 0; progress.signalIndex < plan.signals.length; pagesThisRun++) {
    if (pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
      return await continueAsNew<typeof signalScanWorkflow>({ ...input, resume: progress });
    }

    const signal = plan.signals[progress.signalIndex]!;
    const page = await scanSignalCandidates({
      signal,
      after: progress.after,
      limit: pageSize,
      now: plan.now,
    });
    const { totals } = progress;
    totals.pages += 1;
    totals.candidates += page.calls.length + page.skipped;
    totals.skipped += page.skipped;

    const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
    for (let start = 0; start < page.calls.length; start += batchSize) {
      const batch = page.calls.slice(start, start + batchSize);
      await sendBatch(batch, plan, input.batchTimeout ?? DEFAULT_BATCH_TIMEOUT, totals);
    }

    if (page.nextAfter === undefined) {
      progress.signalIndex += 1;
      progress.after = undefined;
    } else {
      progress.after = page.nextAfter;
    }
  }

  log.info('Signal scan finished', { ...progress.totals });
  return progress.totals;
}

/** Starts one batch of conversions, waits for them (up to the timeout), and records the sent ones. */
async function sendBatch(
  batch: ScannedSignal[],
  plan: SignalScanPlan,
  timeout: Duration,
  totals: SignalScanTotals,
): Promise<void> {
  const outcomes: ChildOutcome[] = batch.map(() => 'pending');

  await Promise.all(
    batch.map(async (call, index) => {
      const input = signalConversionInput(call, plan);
      try {
        const child = await startChild(conversionWorkflow, {
          workflowId: conversionWorkflowId(input.pixelId, input.metaEventName, input.eventId),
          args: [input],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          // The same policy as every other conversion: a sent event never runs again.
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
          typedSearchAttributes: [
            { key: META_EVENT, value: input.metaEventName },
            { key: PIXEL_ID, value: input.pixelId },
            { key: SOURCE_EVENT, value: input.sourceEvent },
            { key: DELIVERY_STATUS_KEY, value: 'sending' },
            { key: EVENT_TIME, value: new Date(call.eventTime * 1000) },
          ],
        });
        void child.result().then(
          (result) => (outcomes[index] = result.status === 'sent' ? 'sent' : 'notSent'),
          () => (outcomes[index] = 'notSent'),
        );
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        outcomes[index] = 'alreadySent';
      }
    }),
  );

  await condition(() => outcomes.every((outcome) => outcome !== 'pending'), timeout);

  const done: SentSignal[] = [];
  batch.forEach((call, index) => {
    const outcome = outcomes[index]!;
    if (outcome === 'pending' || outcome === 'notSent') {
      totals.notSent += 1;
      return;
    }
    totals[outcome] += 1;
    done.push({
      signal: call.signal,
      customerId: call.customerId,
      period: call.period,
      eventId: call.eventId,
    });
  });
  if (done.length > 0) await recordSignalsSent(done);
}

/**
 * Builds the conversion of one signal: a synthetic track call named after the signal's event,
 * whose userId is the customer key (already a SHA-256 digest), so normalize reads the stored
 * identifiers and no raw id enters Temporal.
 */
export function signalConversionInput(call: ScannedSignal, plan: SignalScanPlan): ConversionInput {
  return {
    pixelId: plan.pixelId,
    metaEventName: call.eventName,
    eventId: call.eventId,
    sourceEvent: call.eventName,
    call: {
      type: 'track',
      event: call.eventName,
      messageId: call.eventId,
      timestamp: new Date(call.eventTime * 1000).toISOString(),
      userId: call.customerId,
      properties: { ...call.customData },
    },
    identityWarnings: [],
    origin: 'signal',
    receivedAt: new Date(plan.now).toISOString(),
  };
}
