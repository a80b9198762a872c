import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { ConversionActivities } from '../activities';
import type { ServerEvent } from '../meta/types';
import { DELIVERY_STATUS_KEY, REASON_CODE } from '../temporal/search-attributes';
import { FAILURE_TYPES } from './failure-types';
import type { ConversionInput, ConversionResult, DeliveryStatus, Reason } from './types';

/** How often a held send tries again by itself, so a fixed token or pixel is picked up quickly. */
const HOLD_RECHECK_INTERVAL: Duration = '1 minute';

/**
 * How often an unconfirmed send checks whether it has left Meta's window. It never resends by
 * itself, so there is nothing to pick up sooner.
 */
const UNCONFIRMED_RECHECK_INTERVAL: Duration = '1 hour';

/** Held attempts in one run before it continues as new, keeping the event history small. */
const MAX_HOLD_ATTEMPTS_PER_RUN = 200;

const BUILD_RETRY = {
  initialInterval: '500 milliseconds',
  maximumInterval: '1 minute',
  maximumAttempts: 20,
} as const;

// Normalize and map are CPU work of a few milliseconds (normalize also reads the local profile
// store). As local activities they run inside the workflow task, which saves two activity task
// round trips through the server per conversion (see docs/benchmarks.md).
const local = proxyLocalActivities<ConversionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: BUILD_RETRY,
});

// Histories recorded before the switch hold regular activity events; they replay with these.
const regular = proxyActivities<ConversionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: BUILD_RETRY,
});

/** The patch id that marks histories whose normalize and map steps ran as local activities. */
const LOCAL_BUILD_PATCH = 'local-normalize-map';

// The Meta client aborts its request after its own timeout (10 s by default), well before this.
// There is no attempt limit: the activity reports `expired` once the event leaves Meta's window.
const { send } = proxyActivities<ConversionActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [FAILURE_TYPES.metaPermanent, FAILURE_TYPES.metaConfiguration],
  },
});

/** Options of the `retrySend` signal. */
export interface RetrySendOptions {
  /** Also resend when an earlier attempt may have reached Meta (`delivery_unconfirmed`). */
  resendUnconfirmed?: boolean;
}

/** Asks a held conversion to try its send now instead of at the next recheck. */
export const retrySendSignal = defineSignal<[RetrySendOptions?]>('retrySend');

/**
 * Tells a held conversion that an operator found its event in Events Manager, after an attempt
 * that ended without a response. The conversion then ends as sent without sending again.
 */
export const confirmDeliveredSignal = defineSignal('confirmDelivered');

/** The conversion's delivery status and reason, as shown in the Temporal UI's query tab. */
export const deliveryStatusQuery = defineQuery<{ status: DeliveryStatus; reason?: Reason }>(
  'deliveryStatus',
);

/** State carried across continue-as-new while a send is held. */
export interface HeldSend {
  event: ServerEvent;
  heldSince: string;
}

/**
 * One conversion: normalize the customer's identifiers, map the call to a Meta event, and send it.
 * Bad input fails the workflow with the reason. A configuration problem at Meta (token, pixel,
 * permission) puts the send on hold until it is fixed or the event leaves Meta's window.
 */
export async function conversionWorkflow(
  input: ConversionInput,
  held?: HeldSend,
): Promise<ConversionResult> {
  let status: DeliveryStatus = held ? 'held' : 'sending';
  let reason: Reason | undefined;
  let retryRequested = false;

  setHandler(deliveryStatusQuery, () => ({ status, reason }));
  let resendUnconfirmed = false;
  let confirmedByOperator = false;
  setHandler(confirmDeliveredSignal, () => {
    confirmedByOperator = true;
  });
  setHandler(retrySendSignal, (options?: RetrySendOptions) => {
    retryRequested = true;
    if (options?.resendUnconfirmed) resendUnconfirmed = true;
  });

  const setStatus = (next: DeliveryStatus, nextReason?: Reason) => {
    status = next;
    reason = nextReason;
    upsertSearchAttributes([
      { key: DELIVERY_STATUS_KEY, value: next },
      { key: REASON_CODE, value: nextReason?.code ?? null },
    ]);
    setCurrentDetails(nextReason ? `${next}: ${nextReason.code}: ${nextReason.message}` : next);
  };

  const event = held?.event ?? (await buildEvent(input, setStatus));

  for (let attempt = 1; ; attempt++) {
    let recheckAfter = HOLD_RECHECK_INTERVAL;
    // Reset before the attempt, so a signal that arrives while it runs is not lost.
    retryRequested = false;
    try {
      const outcome = await send({ pixelId: input.pixelId, event, resendUnconfirmed });
      if (outcome.status === 'expired') {
        setStatus('expired', outcome.reason);
        throw rejection(FAILURE_TYPES.conversionExpired, outcome.reason);
      }
      if (outcome.status === 'sent') {
        setStatus('sent');
        return {
          status: 'sent',
          metaEventName: event.event_name,
          eventId: event.event_id,
          fbtraceId: outcome.fbtraceId,
        };
      }
      // An earlier attempt may have reached Meta: only an operator's signal sends it again.
      setStatus('held', outcome.reason);
      recheckAfter = UNCONFIRMED_RECHECK_INTERVAL;
    } catch (error) {
      const failure = applicationCause(error);
      if (failure?.type === FAILURE_TYPES.metaPermanent) {
        const permanent = reasonOf(failure);
        setStatus('rejected', permanent);
        throw rejection(FAILURE_TYPES.conversionRejected, permanent);
      }
      if (failure?.type !== FAILURE_TYPES.metaConfiguration) throw error;
      setStatus('held', reasonOf(failure));
    }

    log.warn('Send held', { reasonCode: reason?.code, attempt });
    await condition(() => retryRequested || confirmedByOperator, recheckAfter);
    if (confirmedByOperator) {
      setStatus('sent', {
        code: 'confirmed_by_operator',
        message: 'an operator confirmed that Meta has this event; it was not sent again',
      });
      return { status: 'sent', metaEventName: event.event_name, eventId: event.event_id };
    }
    if (attempt >= MAX_HOLD_ATTEMPTS_PER_RUN) {
      return await continueAsNew<typeof conversionWorkflow>(input, {
        event,
        heldSince: held?.heldSince ?? new Date().toISOString(),
      });
    }
  }
}

async function buildEvent(
  input: ConversionInput,
  setStatus: (next: DeliveryStatus, reason?: Reason) => void,
): Promise<ServerEvent> {
  const { normalize, map } = patched(LOCAL_BUILD_PATCH) ? local : regular;
  const identity = await normalize(input);
  const mapped = await map(input, identity);
  if (mapped.outcome === 'send') return mapped.event;

  setStatus('rejected', mapped.reason);
  throw rejection(FAILURE_TYPES.conversionRejected, mapped.reason);
}

function applicationCause(error: unknown): ApplicationFailure | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure)
    return error.cause;
  return undefined;
}

function reasonOf(failure: ApplicationFailure): Reason {
  const [detail] = failure.details ?? [];
  if (detail && typeof detail === 'object' && 'code' in detail && 'message' in detail) {
    return detail as Reason;
  }
  return { code: failure.type ?? 'unknown', message: failure.message };
}

function rejection(type: string, reason: Reason): ApplicationFailure {
  const field = reason.field ? ` (${reason.field})` : '';
  return ApplicationFailure.create({
    type,
    message: `${reason.code}${field}: ${reason.message}`,
    nonRetryable: true,
    details: [reason],
  });
}
