import { ApplicationFailure, Context } from '@temporalio/activity';
import { readSecret, type SecretSource, MissingSecretError } from '../config/secrets';
import type { Logger } from '../logging';
import { isPastMetaWindow, maxEventAgeDays } from '../mapping/event-time';
import { GRAPH_FAILURE_SOURCE, MetaApiError } from '../meta/errors';
import type { EventsSuccessBody, ServerEvent } from '../meta/types';
import { FAILURE_TYPES } from '../workflows/failure-types';
import type { Reason } from '../workflows/types';

/** Sends events to the Graph API; implemented by the Meta client. */
export interface EventSender {
  sendEvents(request: {
    pixelId: string;
    events: ServerEvent[];
    accessToken: string;
    testEventCode?: string;
    signal?: AbortSignal;
  }): Promise<EventsSuccessBody>;
}

/** The record of events Meta accepted, checked before each send so an event goes out once. */
export interface DeliveryLedger {
  findDelivery(
    key: DeliveryKey,
  ): Promise<{ status: string; fbtraceId?: string | null; sentAt: number } | undefined>;
  recordDelivery(
    delivery: DeliveryKey & { status: DeliveryLedgerStatus; fbtraceId?: string; sentAt: number },
  ): Promise<void>;
}

/**
 * The ledger status of one event. `attempting` is written before the request and stays when the
 * attempt ends without a response from Meta (timeout, dropped connection, killed worker), because
 * Meta may then have the event already.
 */
export const DELIVERY_LEDGER_STATUS = {
  attempting: 'attempting',
  failed: 'failed',
  sent: 'sent',
} as const;
export type DeliveryLedgerStatus =
  (typeof DELIVERY_LEDGER_STATUS)[keyof typeof DELIVERY_LEDGER_STATUS];

export interface DeliveryKey {
  pixelId: string;
  eventName: string;
  eventId: string;
}

export interface SendDeps {
  sender: EventSender;
  /** Read at every attempt, so a rotated token is used without a restart. */
  accessToken: SecretSource;
  testEventCode?: string;
  clock: () => Date;
  deliveries?: DeliveryLedger;
  logger: Logger;
}

export interface SendInput {
  pixelId: string;
  event: ServerEvent;
  /**
   * Send even though an earlier attempt ended without a response and may have reached Meta. Set only
   * by an operator who checked Events Manager. @default false
   */
  resendUnconfirmed?: boolean;
}

export type SendOutcome =
  | { status: 'sent'; fbtraceId?: string; alreadySent?: boolean }
  | { status: 'expired'; reason: Reason }
  | { status: 'unconfirmed'; reason: Reason };

/** The retry delay after a throttling response that named none. */
const THROTTLED_DEFAULT_DELAY_MS = 5 * 60_000;
/** The retry delay after an application limit or temporary block (codes 341 and 368). */
const APP_LIMITED_DELAY_MS = 30 * 60_000;

/**
 * Sends one event to Meta. Meta's response decides what Temporal does next: a transient failure is
 * retried with backoff, throttling after the delay Meta asked for, a configuration failure holds the
 * send in the workflow, and a rejected payload is never retried.
 */
export function createSendActivity(deps: SendDeps) {
  return async function send({
    pixelId,
    event,
    resendUnconfirmed,
  }: SendInput): Promise<SendOutcome> {
    const context = Context.current();
    const ids = {
      workflowId: context.info.workflowExecution?.workflowId,
      eventId: event.event_id,
      eventName: event.event_name,
      pixelId,
      attempt: context.info.attempt,
    };
    const key = { pixelId, eventName: event.event_name, eventId: event.event_id };

    const earlier = await deps.deliveries?.findDelivery(key);
    if (earlier?.status === DELIVERY_LEDGER_STATUS.sent) {
      deps.logger.info(ids, 'event already delivered; not sending again');
      return { status: 'sent', fbtraceId: earlier.fbtraceId ?? undefined, alreadySent: true };
    }
    if (earlier?.status === DELIVERY_LEDGER_STATUS.attempting && !resendUnconfirmed) {
      const at = new Date(earlier.sentAt).toISOString();
      const reason = {
        code: 'delivery_unconfirmed',
        message:
          `an attempt at ${at} ended without a response from Meta, so Meta may have the event already; ` +
          'check Events Manager, then resend with `cio-capi replay --status held --resend-unconfirmed`',
      };
      deps.logger.warn({ ...ids, reasonCode: reason.code }, 'earlier send unconfirmed; holding');
      return { status: 'unconfirmed', reason };
    }

    const nowSeconds = Math.floor(deps.clock().getTime() / 1000);
    if (isPastMetaWindow(event.event_time, event.action_source, nowSeconds)) {
      const days = maxEventAgeDays(event.action_source);
      const reason = {
        code: 'event_too_old',
        field: 'event_time',
        message: `event_time ${event.event_time} is more than ${days} days old; Meta no longer accepts it`,
      };
      deps.logger.warn(
        { ...ids, reasonCode: reason.code },
        'event expired before it could be sent',
      );
      return { status: 'expired', reason };
    }

    let accessToken: string;
    try {
      accessToken = await readSecret('META_ACCESS_TOKEN', deps.accessToken);
    } catch (error) {
      if (!(error instanceof MissingSecretError)) throw error;
      throw configurationFailure({ code: 'missing_access_token', message: error.message });
    }

    await deps.deliveries?.recordDelivery({
      ...key,
      status: DELIVERY_LEDGER_STATUS.attempting,
      sentAt: deps.clock().getTime(),
    });
    context.heartbeat();
    try {
      const body = await deps.sender.sendEvents({
        pixelId,
        events: [event],
        accessToken,
        testEventCode: deps.testEventCode,
        signal: context.cancellationSignal,
      });
      await deps.deliveries?.recordDelivery({
        ...key,
        status: 'sent',
        fbtraceId: body.fbtrace_id,
        sentAt: deps.clock().getTime(),
      });
      deps.logger.info({ ...ids, fbtraceId: body.fbtrace_id }, 'event sent to Meta');
      return { status: 'sent', fbtraceId: body.fbtrace_id };
    } catch (error) {
      if (!(error instanceof MetaApiError)) throw error;
      if (answeredByMeta(error)) {
        // Meta responded, so it did not take the event, and the next attempt may send it.
        await deps.deliveries?.recordDelivery({
          ...key,
          status: DELIVERY_LEDGER_STATUS.failed,
          sentAt: deps.clock().getTime(),
        });
      }
      const failure = toFailure(error);
      deps.logger.warn(
        {
          ...ids,
          kind: error.classification.kind,
          metaCode: error.classification.code,
          metaSubcode: error.classification.subcode,
          fbtraceId: error.classification.fbtraceId,
        },
        'send to Meta failed',
      );
      throw failure;
    }
  };
}

/** Maps a failed Graph API call to the ApplicationFailure that decides whether and when Temporal retries. */
export function toFailure(error: MetaApiError): ApplicationFailure {
  const { kind, code, subcode, fbtraceId } = error.classification;
  const reason: Reason = {
    code: subcode === undefined ? `meta_${code}` : `meta_${code}_${subcode}`,
    message: fbtraceId ? `${error.message}` : error.message,
  };
  switch (kind) {
    case 'permanent':
      return ApplicationFailure.create({
        type: FAILURE_TYPES.metaPermanent,
        message: error.message,
        nonRetryable: true,
        details: [reason],
      });
    case 'configuration':
      return configurationFailure(reason);
    case 'throttled':
      return ApplicationFailure.create({
        type: 'MetaThrottledError',
        message: error.message,
        nextRetryDelay: error.classification.retryAfterMs ?? THROTTLED_DEFAULT_DELAY_MS,
        details: [reason],
      });
    case 'app_limited':
      return ApplicationFailure.create({
        type: 'MetaAppLimitedError',
        message: error.message,
        nextRetryDelay: error.classification.retryAfterMs ?? APP_LIMITED_DELAY_MS,
        details: [reason],
      });
    case 'transient':
      return ApplicationFailure.create({
        type: 'MetaTransientError',
        message: error.message,
        details: [reason],
      });
  }
}

/** A non-retryable failure for a wrong token, pixel or permission. */
export /**
 * True when a response came back, so the event was not taken. A timeout or a dropped connection
 * leaves that open; a refused connection never reached Meta.
 */
function answeredByMeta(error: MetaApiError): boolean {
  const { source } = error.classification;
  if (source === GRAPH_FAILURE_SOURCE.timeout) return false;
  if (source === GRAPH_FAILURE_SOURCE.connection) {
    return (error.cause as { code?: unknown } | undefined)?.code === 'ECONNREFUSED';
  }
  return true;
}

export function configurationFailure(reason: Reason): ApplicationFailure {
  return ApplicationFailure.create({
    type: FAILURE_TYPES.metaConfiguration,
    message: reason.message,
    nonRetryable: true,
    details: [reason],
  });
}
