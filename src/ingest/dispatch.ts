import type { TemporalUnavailableError } from '../client';
import { pipelinesCallSchema, type PipelinesCall } from '../customerio/call';
import type { ConversionOrigin, Reason } from '../workflows/types';
import { fieldErrors, jsonPath } from './field-errors';
import type { CallResult, FieldError, PrepareCall, ProfileSink, WorkflowStarter } from './types';
import { CALL_OUTCOME } from './types';
import { asTemporalUnavailable } from './unavailable';
import { checkEventId } from '../mapping/resolve-event';

/** One call of a request, before validation. */
export interface IncomingCall {
  index: number;
  /** The call as parsed from JSON, or already converted from a journeys body. */
  value: unknown;
  /** Where the call sits in the request body, for error paths: `['batch', 3]` or `[]`. */
  path: ReadonlyArray<PropertyKey>;
  /** Bytes of the call's JSON text, when it must be checked against the per-call limit. */
  bytes?: number;
  /** The Meta event id the sender chose, which wins over the one `prepare` derives. */
  eventId?: string;
}

export interface DispatchDeps {
  starter: WorkflowStarter;
  prepare: PrepareCall;
  profileSink?: ProfileSink;
  maxCallBytes: number;
  concurrency: number;
}

/** Why a request could not be acknowledged: Temporal (or the profile store) failed. */
export type DispatchFailure =
  { kind: 'unavailable'; error: TemporalUnavailableError } | { kind: 'error'; error: unknown };

export interface DispatchOutcome {
  results: CallResult[];
  failure?: DispatchFailure;
}

type Work = { index: number; run: () => Promise<CallResult> };

const NOT_STARTED_REASON: Reason = {
  code: 'not_started',
  message: 'not started because an earlier start in this request failed; deliver it again',
};

/**
 * Validates, prepares and starts the calls of one request. Starts run at most `concurrency` at
 * once; after the first failure no new one is issued, so a request against a down Temporal fails
 * fast. Each result states what happened to its call, and a call is reported `started` or
 * `duplicate` only once Temporal has durably accepted it.
 */
export async function dispatchCalls(
  calls: IncomingCall[],
  origin: ConversionOrigin,
  receivedAt: string,
  deps: DispatchDeps,
): Promise<DispatchOutcome> {
  const results = new Array<CallResult | undefined>(calls.length);
  const work: Work[] = [];

  for (const incoming of calls) {
    const checked = checkCall(incoming, deps.maxCallBytes);
    if (!checked.ok) {
      results[incoming.index] = {
        index: incoming.index,
        messageId: messageIdOf(incoming.value),
        outcome: CALL_OUTCOME.rejected,
        reason: { code: 'invalid_call', message: 'the call is invalid; see errors' },
        errors: checked.errors,
      };
      continue;
    }
    const call = checked.call;
    const base = { index: incoming.index, messageId: call.messageId };

    if (call.type === 'identify') {
      work.push({ index: incoming.index, run: () => recordIdentify(call, base, deps.profileSink) });
      continue;
    }

    const prepared = await deps.prepare(call, { origin, receivedAt });
    if (prepared.kind === 'skip') {
      results[incoming.index] = { ...base, outcome: CALL_OUTCOME.skipped, reason: prepared.reason };
      continue;
    }
    const invalidId =
      prepared.kind === 'reject'
        ? prepared.reason
        : incoming.eventId === undefined
          ? undefined
          : checkEventId(incoming.eventId, 'event_id');
    if (invalidId) {
      results[incoming.index] = { ...base, outcome: CALL_OUTCOME.rejected, reason: invalidId };
      continue;
    }
    if (prepared.kind !== 'start') continue;
    const input =
      incoming.eventId === undefined
        ? prepared.input
        : { ...prepared.input, eventId: incoming.eventId };
    work.push({
      index: incoming.index,
      run: async () => {
        const started = await deps.starter.start(input);
        return { ...base, outcome: started.status, workflowId: started.workflowId };
      },
    });
  }

  const failure = await runBounded(work, deps.concurrency, results);
  // Array.from visits every index; map would skip the holes left by calls that never finished.
  const complete = Array.from(
    { length: calls.length },
    (_, index): CallResult =>
      results[index] ?? {
        index,
        messageId: messageIdOf(calls[index]?.value),
        outcome: CALL_OUTCOME.notStarted,
        reason: failure ? failureReason(failure) : NOT_STARTED_REASON,
      },
  );
  return failure ? { results: complete, failure } : { results: complete };
}

async function runBounded(
  work: Work[],
  concurrency: number,
  results: Array<CallResult | undefined>,
): Promise<DispatchFailure | undefined> {
  let next = 0;
  let failure: DispatchFailure | undefined;

  const lane = async (): Promise<void> => {
    while (failure === undefined && next < work.length) {
      const item = work[next++]!;
      try {
        results[item.index] = await item.run();
      } catch (error) {
        const unavailable = asTemporalUnavailable(error);
        failure ??= unavailable
          ? { kind: 'unavailable', error: unavailable }
          : { kind: 'error', error };
      }
    }
  };

  const lanes = Array.from({ length: Math.min(concurrency, work.length) }, lane);
  await Promise.all(lanes);
  return failure;
}

async function recordIdentify(
  call: PipelinesCall,
  base: { index: number; messageId: string },
  profileSink: ProfileSink | undefined,
): Promise<CallResult> {
  if (!profileSink) {
    return {
      ...base,
      outcome: CALL_OUTCOME.skipped,
      reason: {
        code: 'no_profile_store',
        message: 'identify calls are kept only by a profile store',
      },
    };
  }
  await profileSink.recordIdentify(call);
  return { ...base, outcome: CALL_OUTCOME.profileUpdated };
}

function checkCall(
  incoming: IncomingCall,
  maxCallBytes: number,
): { ok: true; call: PipelinesCall } | { ok: false; errors: FieldError[] } {
  if (incoming.bytes !== undefined && incoming.bytes > maxCallBytes) {
    return {
      ok: false,
      errors: [
        {
          path: jsonPath(incoming.path),
          code: 'call_too_large',
          message: `the call is ${incoming.bytes} bytes; the limit is ${maxCallBytes} bytes per call`,
        },
      ],
    };
  }
  const parsed = pipelinesCallSchema.safeParse(incoming.value);
  if (!parsed.success)
    return { ok: false, errors: fieldErrors(parsed.error.issues, incoming.path) };
  return { ok: true, call: parsed.data };
}

function failureReason(failure: DispatchFailure): Reason {
  return failure.kind === 'unavailable'
    ? { code: 'temporal_unavailable', message: 'Temporal is unavailable; deliver the call again' }
    : NOT_STARTED_REASON;
}

/** The messageId of a call that may be invalid, when it has a usable one. */
export function messageIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const messageId = (value as { messageId?: unknown }).messageId;
  return typeof messageId === 'string' && messageId.length <= 200 ? messageId : undefined;
}
