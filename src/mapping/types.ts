import type { FieldWarning } from '../identity/types';
import type { ServerEvent, UserDataKey } from '../meta/types';
import type { Reason } from '../workflows/types';

/** Codes of calls that are not conversions and are left alone on purpose. */
export const SKIP_CODES = {
  /** An identify call only updates a profile. */
  identifyCall: 'identify_call',
  /** No rule of the mapping names this event. */
  unmappedEvent: 'unmapped_event',
  /** A rule names the event but is switched off. */
  eventDisabled: 'event_disabled',
} as const;

/** Codes of calls that are conversions but cannot be sent as they are. None is ever retried. */
export const REJECT_CODES = {
  mappingFailed: 'mapping_failed',
  invalidEventId: 'invalid_event_id',
  invalidJson: 'invalid_json',
  invalidCall: 'invalid_call',
  invalidTimestamp: 'invalid_timestamp',
  eventTooOld: 'event_too_old',
  eventInFuture: 'event_in_future',
  websiteEventMissingUrl: 'website_event_missing_url',
  websiteEventMissingUserAgent: 'website_event_missing_user_agent',
  invalidValue: 'invalid_value',
  missingValue: 'missing_value',
  invalidCurrency: 'invalid_currency',
  missingCurrency: 'missing_currency',
  invalidDataProcessingOptions: 'invalid_data_processing_options',
} as const;

/** Codes of values that mapping left out or replaced; the event still goes. */
export const WARNING_CODES = {
  eventIdFallback: 'event_id_fallback',
  valueFallback: 'value_fallback',
  valueWithoutCurrency: 'value_without_currency',
  invalidCurrency: 'invalid_currency',
  productWithoutId: 'product_without_id',
  invalidProductField: 'invalid_product_field',
  invalidPredictedLtv: 'invalid_predicted_ltv',
  allowlistedValueDropped: 'allowlisted_value_dropped',
  eventTimeClamped: 'event_time_clamped',
} as const;

/** A value that mapping left out or replaced, naming the call field it came from. */
export interface MappingWarning {
  code: string;
  /** The call field, such as `properties.products[2]`. */
  field?: string;
  message: string;
}

/** The Meta event a call maps to, resolved before any personal data is read. */
export type ResolvedEvent =
  | { kind: 'map'; metaEventName: string; eventId: string; sourceEvent: string }
  | { kind: 'skip'; reason: Reason }
  | { kind: 'reject'; reason: Reason };

export type MapOutcome =
  | { outcome: 'send'; event: ServerEvent; warnings: MappingWarning[] }
  | { outcome: 'reject'; reason: Reason }
  | { outcome: 'skip'; reason: Reason };

/** One line of `preview` output: what the workflow would do with one call. */
export interface PreviewLine {
  /** The call's messageId, or null when the input had none or was not JSON. */
  messageId: string | null;
  /** The 1-based input line, set by the CLI for NDJSON input. */
  line?: number;
  outcome: 'send' | 'skip' | 'reject';
  event?: ServerEvent;
  reason?: Reason;
  /** Values left out of user_data or custom_data; the event still goes. */
  warnings?: Array<MappingWarning | FieldWarning>;
  /** For each user_data key sent, the call path it was read from. */
  sources?: Partial<Record<UserDataKey, string>>;
}

/** A step of mapping that either produced a value or decided the call cannot be sent. */
export type Step<T> = { ok: true; value: T } | { ok: false; reason: Reason };
