import type { CustomData, UserData } from '../meta/types';
import type { Profile, SignalRecord } from '../profiles/types';
import type { Reason } from '../workflows/types';
import { DAY_MS, VIP_PERIOD, signalName, utcDay } from './definitions';
import type { SignalDefinition } from './definitions';

/*
 * Pure functions, free of I/O and Node built-ins, so a workflow may import this file directly.
 */

/**
 * Meta rejects events more than 7 days old (subcode 2804003). One hour of margin covers the
 * time between the scan and the send, so an event built here is never rejected for age.
 */
export const MAX_SIGNAL_AGE_MS = 7 * DAY_MS - 60 * 60 * 1000;

export const SIGNAL_SKIP_CODES = {
  tooOld: 'signal_too_old',
  notQualified: 'signal_not_qualified',
} as const;

/** A signal event ready for the conversion workflow. */
export interface SignalCall {
  /** The signals_sent name, such as `winback:30d`. */
  signal: string;
  /** The signals_sent period: `lifetime` for VIP, the last order's UTC date for winback. */
  period: string;
  customerId: string;
  /** The Meta custom event name. */
  eventName: string;
  /** `vip_qualified:<customerId>` or `winback:<days>d:<customerId>:<YYYYMMDD>`. */
  eventId: string;
  /** Unix seconds: when the customer qualified. */
  eventTime: number;
  customData: CustomData;
  /** The profile's stored user_data, already hashed. */
  userData: UserData;
}

export type SignalDecision =
  | { action: 'send'; call: SignalCall }
  /** Record `record` so the scan stops returning this customer for this period. */
  | { action: 'skip'; reason: Reason; record: SignalRecord }
  /** The profile does not qualify; nothing to record. */
  | { action: 'none'; reason: Reason };

/**
 * Decides what to do with one scanned profile: send the signal event, or skip it because its
 * qualifying moment is already older than Meta accepts.
 *
 * @param now epoch ms of the scan.
 */
export function buildSignalCall(
  profile: Profile,
  signal: SignalDefinition,
  now: number,
): SignalDecision {
  const qualified = qualification(profile, signal, now);
  if (qualified === undefined) {
    return {
      action: 'none',
      reason: {
        code: SIGNAL_SKIP_CODES.notQualified,
        message: `customer ${profile.customerId} does not qualify for ${signalName(signal)}`,
      },
    };
  }

  const { period, eventId, qualifiedAt } = qualified;
  const name = signalName(signal);
  if (now - qualifiedAt > MAX_SIGNAL_AGE_MS) {
    return {
      action: 'skip',
      reason: {
        code: SIGNAL_SKIP_CODES.tooOld,
        message: `${name} for customer ${profile.customerId} qualified at ${new Date(qualifiedAt).toISOString()}, more than 7 days ago, so Meta would reject it`,
      },
      record: {
        signal: name,
        customerId: profile.customerId,
        period,
        eventId,
        status: 'skipped',
        sentAt: now,
      },
    };
  }

  return {
    action: 'send',
    call: {
      signal: name,
      period,
      customerId: profile.customerId,
      eventName: signal.eventName,
      eventId,
      eventTime: Math.floor(qualifiedAt / 1000),
      customData: customDataOf(profile, signal),
      userData: profile.userData,
    },
  };
}

/** Builds the signals_sent record to write once Meta has accepted the call's event. */
export function sentRecord(call: SignalCall, sentAt: number): SignalRecord {
  return {
    signal: call.signal,
    customerId: call.customerId,
    period: call.period,
    eventId: call.eventId,
    status: 'sent',
    sentAt,
  };
}

interface Qualification {
  period: string;
  eventId: string;
  /** Epoch ms. */
  qualifiedAt: number;
}

function qualification(
  profile: Profile,
  signal: SignalDefinition,
  now: number,
): Qualification | undefined {
  if (signal.kind === 'vip') {
    if (profile.vipQualifiedAt === null) return undefined;
    // A source timestamp ahead of the scan clock would make a future event_time, which Meta
    // handles badly, so the event is dated no later than the scan.
    const qualifiedAt = Math.min(profile.vipQualifiedAt, now);
    return { period: VIP_PERIOD, eventId: `vip_qualified:${profile.customerId}`, qualifiedAt };
  }

  if (profile.lastOrderAt === null) return undefined;
  const qualifiedAt = profile.lastOrderAt + signal.windowDays * DAY_MS;
  if (qualifiedAt > now) return undefined;

  const period = utcDay(profile.lastOrderAt);
  const eventId = `winback:${signal.windowDays}d:${profile.customerId}:${period}`;
  return { period, eventId, qualifiedAt };
}

function customDataOf(profile: Profile, signal: SignalDefinition): CustomData {
  if (signal.kind === 'vip') {
    return { value: profile.lifetimeValue, currency: signal.currency };
  }
  return { winback_days: signal.windowDays, orders_count: profile.ordersCount };
}
