import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The custom search attributes on every conversion workflow. With them, "all held Purchases for
 * pixel X" is one query in the Temporal UI:
 * `DeliveryStatus = "held" AND MetaEvent = "Purchase" AND PixelId = "X"`.
 */
export const META_EVENT = defineSearchAttributeKey('MetaEvent', SearchAttributeType.KEYWORD);
export const PIXEL_ID = defineSearchAttributeKey('PixelId', SearchAttributeType.KEYWORD);
export const SOURCE_EVENT = defineSearchAttributeKey('SourceEvent', SearchAttributeType.KEYWORD);
export const DELIVERY_STATUS_KEY = defineSearchAttributeKey(
  'DeliveryStatus',
  SearchAttributeType.KEYWORD,
);
export const REASON_CODE = defineSearchAttributeKey('ReasonCode', SearchAttributeType.KEYWORD);
/** When the conversion happened, so replays can skip events past Meta's window. */
export const EVENT_TIME = defineSearchAttributeKey('EventTime', SearchAttributeType.DATETIME);

export const CONVERSION_SEARCH_ATTRIBUTES = [
  META_EVENT,
  PIXEL_ID,
  SOURCE_EVENT,
  DELIVERY_STATUS_KEY,
  REASON_CODE,
  EVENT_TIME,
];
