/**
 * The labelling rules of the traffic generator: what a correct pipeline does with each generated
 * call. Integration tests assert exact counts from these labels, so every rule lives here.
 *
 * Clean calls (no mess):
 * - identify -> skip `identify_call`.
 * - page -> send `PageView`.
 * - track -> send the mapped Meta event, or skip `unmapped_event` when the name is not in
 *   `META_EVENT_BY_SOURCE` (Quiz Completed, Coupon Applied, Order Refunded, Back In Stock Requested).
 * - The event id is String(properties.order_id) for Order Completed and the messageId otherwise.
 *   Order ids are unique per order, so only a redelivery repeats one.
 *
 * Messy calls carry exactly one kind of mess, so the label follows from that kind alone (see
 * `MESS_OUTCOMES`). The pipeline rejects a call for the first failing check in this order:
 * schema (`invalid_call`), event time (`invalid_timestamp`, `event_too_old`, `event_in_future`),
 * identifiers (`no_customer_information`, `weak_identifiers`), website needs
 * (`website_event_missing_user_agent`, `website_event_missing_url`), values (`invalid_value`,
 * `missing_value`, `missing_currency`). A messy call passes every other check, so the first failing
 * check is the one its mess breaks. The rejecting kinds apply only to calls that would otherwise be
 * sent, because whether a pipeline skips an unmapped call before or after validating it is its own
 * choice. `invalid_timestamp`, `weak_identifiers`, `website_event_missing_url` and `missing_value`
 * are never generated.
 *
 * These labels assume the following of the pipeline. Its clock reads the generator's `end`, and
 * Purchase takes its value from `revenue`. A missing currency is not filled from a default. Every
 * Data Pipelines track and page call is a website event. The anonymousId is not a customer
 * identifier, and an anonymous messy call gets a fresh one that matches no stored profile.
 * An IP address with a user agent is enough to send: anonymous visitors' clean page calls carry
 * nothing else.
 */

/** The Meta event of each mapped Customer.io track event. Page calls map to `PageView`. */
export const META_EVENT_BY_SOURCE = {
  'Order Completed': 'Purchase',
  'Checkout Started': 'InitiateCheckout',
  'Product Added': 'AddToCart',
  'Product Viewed': 'ViewContent',
  'Products Searched': 'Search',
} as const;

export const PAGE_META_EVENT = 'PageView';

export const SKIP_REASONS = ['identify_call', 'unmapped_event'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const REJECT_REASONS = [
  'invalid_call',
  'event_too_old',
  'event_in_future',
  'no_customer_information',
  'website_event_missing_user_agent',
  'invalid_value',
  'missing_currency',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The handling a correct pipeline must give one generated call. */
export type ExpectedOutcome =
  | { outcome: 'send'; metaEvent: string; eventId: string }
  | { outcome: 'duplicate'; of: string }
  | { outcome: 'skip'; reason: SkipReason }
  | { outcome: 'reject'; reason: RejectReason };

/** The kinds of mess. `applyMess` gives each call at most one kind. */
export const MESS_KINDS = [
  'invalidCall',
  'tooOld',
  'inFuture',
  'anonymous',
  'missingUserAgent',
  'priceWithSymbol',
  'missingCurrency',
  'priceAsString',
  'currencyOddCase',
  'epochMillis',
  'redelivery',
] as const;
export type MessKind = (typeof MESS_KINDS)[number];

/**
 * The outcome of a call that carries one kind of mess. `keep` means the mess is harmless and the
 * call keeps its clean label; `redelivery` is labelled `duplicate` of the first delivery.
 */
export const MESS_OUTCOMES = {
  invalidCall: { outcome: 'reject', reason: 'invalid_call' },
  tooOld: { outcome: 'reject', reason: 'event_too_old' },
  inFuture: { outcome: 'reject', reason: 'event_in_future' },
  anonymous: { outcome: 'reject', reason: 'no_customer_information' },
  missingUserAgent: { outcome: 'reject', reason: 'website_event_missing_user_agent' },
  priceWithSymbol: { outcome: 'reject', reason: 'invalid_value' },
  missingCurrency: { outcome: 'reject', reason: 'missing_currency' },
  priceAsString: 'keep',
  currencyOddCase: 'keep',
  epochMillis: 'keep',
  redelivery: 'duplicate',
} as const satisfies Record<
  MessKind,
  { outcome: 'reject'; reason: RejectReason } | 'keep' | 'duplicate'
>;

/** Labels a call that carries no mess, from its type, event name and order id. */
export function labelCleanCall(body: Record<string, unknown>): ExpectedOutcome {
  const messageId = String(body.messageId);

  if (body.type === 'identify') {
    return { outcome: 'skip', reason: 'identify_call' };
  }
  if (body.type === 'page') {
    return { outcome: 'send', metaEvent: PAGE_META_EVENT, eventId: messageId };
  }

  const event = String(body.event);
  const metaEvent = (META_EVENT_BY_SOURCE as Record<string, string>)[event];
  if (metaEvent === undefined) {
    return { outcome: 'skip', reason: 'unmapped_event' };
  }

  const properties = body.properties as Record<string, unknown>;
  const eventId = event === 'Order Completed' ? String(properties.order_id) : messageId;
  return { outcome: 'send', metaEvent, eventId };
}

/** Labels a call from its clean label and the one kind of mess applied to it. */
export function labelMessyCall(
  clean: ExpectedOutcome,
  mess: MessKind,
  firstDeliveryId: string,
): ExpectedOutcome {
  const rule = MESS_OUTCOMES[mess];
  if (rule === 'keep') {
    return clean;
  }
  if (rule === 'duplicate') {
    return { outcome: 'duplicate', of: firstDeliveryId };
  }
  return { ...rule };
}

/** One generated call and what a correct pipeline must do with it. */
export interface GeneratedCall {
  /** The call exactly as Customer.io would send it; JSON-serialisable. */
  body: Record<string, unknown>;
  expect: ExpectedOutcome;
  /** The one kind of mess applied to the call; absent on clean calls. */
  mess?: MessKind;
}
