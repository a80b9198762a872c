import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from '../logging';
import type { ProfileStore, SignalKey } from '../profiles/types';
import { listSignals, scanSignalPage } from '../signals';
import type { SignalCall, SignalDefinition, SignalsConfig } from '../signals';

/** The dependencies of the signal scan activities, from the worker that hosts them. */
export interface SignalActivityDeps {
  store: ProfileStore;
  config: SignalsConfig;
  /** The pixel the signal events are sent to. */
  pixelId: string;
  /** The current time. Injected so tests can pin it. */
  clock: () => Date;
  logger: Logger;
}

/** One scan's fixed inputs, read once and carried across continue-as-new. */
export interface SignalScanPlan {
  /** Epoch ms the whole scan runs at, so every page and retry reads the same candidates. */
  now: number;
  pixelId: string;
  pageSize: number;
  signals: SignalDefinition[];
}

/**
 * A signal call without the customer's identifiers: the conversion's normalize activity reads
 * them from the store, so the scan's history and payloads stay small.
 */
export type ScannedSignal = Omit<SignalCall, 'userData'>;

export interface SignalPageInput {
  signal: SignalDefinition;
  after?: string;
  limit: number;
  now: number;
}

export interface SignalPageResult {
  calls: ScannedSignal[];
  /** Candidates recorded as skipped because they qualified more than 7 days ago. */
  skipped: number;
  nextAfter: string | undefined;
}

/** A signal to record as sent, with the event id its conversion was sent under. */
export interface SentSignal extends SignalKey {
  eventId: string;
}

export interface SignalActivities {
  planSignalScan(): Promise<SignalScanPlan>;
  scanSignalCandidates(input: SignalPageInput): Promise<SignalPageResult>;
  recordSignalsSent(signals: SentSignal[]): Promise<number>;
}

/** The `type` of the failure raised when the scan cannot run as configured. */
export const SIGNALS_MISCONFIGURED = 'SignalsMisconfigured';

/** Builds the activities of the signal scan workflow around the worker's profile store. */
export function createSignalActivities(deps: SignalActivityDeps): SignalActivities {
  return {
    planSignalScan() {
      const { vip } = deps.config;
      // Each process that writes profiles (ingest, the worker) records VIP times against the
      // threshold its store was opened with. A different threshold here would fire on stale times.
      if (vip.enabled && deps.store.vipThreshold !== vip.threshold) {
        throw ApplicationFailure.create({
          type: SIGNALS_MISCONFIGURED,
          nonRetryable: true,
          message: `the profile store records VIP times at threshold ${String(deps.store.vipThreshold)}, but signals.vip.threshold is ${String(vip.threshold)}: open the store with vipThreshold set to the signals threshold`,
        });
      }
      return Promise.resolve({
        now: deps.clock().getTime(),
        pixelId: deps.pixelId,
        pageSize: deps.config.pageSize,
        signals: listSignals(deps.config),
      });
    },

    async scanSignalCandidates(input) {
      const page = await scanSignalPage(deps.store, input.signal, {
        after: input.after,
        limit: input.limit,
        now: input.now,
      });
      if (page.skipped > 0) {
        deps.logger.info(
          { signal: input.signal.kind, skipped: page.skipped },
          'signal candidates skipped: they qualified more than 7 days ago',
        );
      }
      return {
        calls: page.calls.map(({ userData: _userData, ...call }) => call),
        skipped: page.skipped,
        nextAfter: page.nextAfter,
      };
    },

    recordSignalsSent(signals) {
      const sentAt = deps.clock().getTime();
      return deps.store.markSignalsSent(
        signals.map((signal) => ({ ...signal, status: 'sent' as const, sentAt })),
      );
    },
  };
}
