import type { PipelinesCall } from '../customerio/call';
import type { FieldWarning } from '../identity/types';

/** Where a conversion entered cio-capi. */
export const CONVERSION_ORIGINS = ['pipelines', 'journeys', 'signal', 'backfill'] as const;
export type ConversionOrigin = (typeof CONVERSION_ORIGINS)[number];

/** The delivery status kept in the `DeliveryStatus` search attribute of each conversion. */
export const DELIVERY_STATUS = {
  sending: 'sending',
  held: 'held',
  sent: 'sent',
  rejected: 'rejected',
  expired: 'expired',
} as const;
export type DeliveryStatus = (typeof DELIVERY_STATUS)[keyof typeof DELIVERY_STATUS];

/** Why an event was not sent: a stable code, the field at fault, and a message an operator can act on. */
export interface Reason {
  code: string;
  field?: string;
  message: string;
}

/** The input of one conversion workflow. It carries no raw email or phone: see `sealCall`. */
export interface ConversionInput {
  pixelId: string;
  /** The Meta event name the call maps to, such as `Purchase`. */
  metaEventName: string;
  /** Meta's deduplication key, stable across redeliveries and replays. */
  eventId: string;
  /** The Customer.io event name, or the call type for page and identify calls. */
  sourceEvent: string;
  /** The call, with each personal value replaced by its SHA-256 digest. */
  call: PipelinesCall;
  /** Values that sealing left out as blank or invalid. */
  identityWarnings: FieldWarning[];
  origin: ConversionOrigin;
  /** When cio-capi received the call, ISO 8601. */
  receivedAt: string;
}

export interface ConversionResult {
  status: DeliveryStatus;
  metaEventName: string;
  eventId: string;
  fbtraceId?: string;
  reason?: Reason;
}
