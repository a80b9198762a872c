import { dispatchCalls, type DispatchDeps } from '../ingest/dispatch';
import type { CallResult } from '../ingest/types';
import { CALL_OUTCOME } from '../ingest/types';
import type { RejectedCall, RejectedCallStore } from './store';

export interface ReplayRejectedResult {
  id: string;
  messageId?: string;
  result: CallResult;
  /** True when the call got past validation and left the store. */
  removed: boolean;
}

/**
 * Sends kept calls through the ingest server's own validation and start logic again, after an
 * operator fixed the cause (a mapping rule, a sender bug). A call that is accepted leaves the
 * store; one that is still invalid stays, with its new errors in the result.
 */
export async function replayRejectedCalls(
  store: RejectedCallStore,
  calls: RejectedCall[],
  deps: DispatchDeps,
  receivedAt: string,
): Promise<ReplayRejectedResult[]> {
  const replayed: ReplayRejectedResult[] = [];
  for (const kept of calls) {
    if (kept.route === 'journeys') {
      // A kept journeys body has lost its customer fields and the delivery headers; Customer.io
      // renders both again when the journey step runs again.
      replayed.push({
        id: kept.id,
        messageId: kept.messageId,
        removed: false,
        result: {
          index: 0,
          outcome: CALL_OUTCOME.rejected,
          reason: {
            code: 'journeys_not_replayable',
            message: 'fix the journey webhook body, then re-run the journey step in Customer.io',
          },
        },
      });
      continue;
    }
    if (kept.call === undefined) {
      replayed.push({
        id: kept.id,
        messageId: kept.messageId,
        removed: false,
        result: {
          index: 0,
          outcome: CALL_OUTCOME.rejected,
          reason: {
            code: 'nothing_kept',
            message: 'the rejected body could not be kept, so it cannot be replayed',
          },
        },
      });
      continue;
    }
    const origin = kept.route === 'journeys' ? 'journeys' : 'pipelines';
    const outcome = await dispatchCalls(
      [{ index: 0, value: kept.call, path: [] }],
      origin,
      receivedAt,
      deps,
    );
    if (outcome.failure) throw outcome.failure.error;

    const result = outcome.results[0]!;
    const accepted =
      result.outcome !== CALL_OUTCOME.rejected && result.outcome !== CALL_OUTCOME.notStarted;
    if (accepted) await store.remove(kept.id);
    replayed.push({ id: kept.id, messageId: kept.messageId, result, removed: accepted });
  }
  return replayed;
}
