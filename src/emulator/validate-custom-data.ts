import { invalidParameter } from './graph-errors';
import {
  expectArray,
  expectInteger,
  expectNonEmptyString,
  expectNumber,
  expectObject,
  expectString,
  reject,
  rejectUnknownKeys,
} from './param-checks';

/** The fields of one `contents` item, as Meta's business SDKs define its Content object. */
const CONTENT_ITEM_KEYS = new Set([
  'id',
  'quantity',
  'item_price',
  'title',
  'description',
  'brand',
  'category',
  'delivery_category',
]);
const DELIVERY_CATEGORIES = ['in_store', 'curbside', 'home_delivery'];
const CONTENT_TYPES = ['product', 'product_group'];
const CURRENCY_PATTERN = /^[A-Za-z]{3}$/;

/**
 * Validates the standard keys of `custom_data`. Other keys are custom properties, which Meta
 * accepts as they are.
 */
export function validateCustomData(customData: Record<string, unknown>, eventPath: string): void {
  const path = `${eventPath}['custom_data']`;

  for (const key of ['value', 'predicted_ltv', 'net_revenue']) {
    if (customData[key] !== undefined) expectNumber(customData[key], `${path}['${key}']`);
  }
  if (customData.num_items !== undefined) {
    expectInteger(customData.num_items, `${path}['num_items']`);
  }
  if (customData.currency !== undefined) {
    const currency = expectString(customData.currency, `${path}['currency']`);
    if (!CURRENCY_PATTERN.test(currency)) {
      throw reject(
        invalidParameter(
          `Invalid value "${currency}" for param "${path}['currency']": expected an ISO 4217 code`,
        ),
      );
    }
  }
  for (const key of ['content_name', 'content_category', 'order_id', 'search_string', 'status']) {
    if (customData[key] !== undefined) expectString(customData[key], `${path}['${key}']`);
  }
  if (customData.content_type !== undefined) {
    expectOneOf(customData.content_type, CONTENT_TYPES, `${path}['content_type']`);
  }
  if (customData.delivery_category !== undefined) {
    expectOneOf(customData.delivery_category, DELIVERY_CATEGORIES, `${path}['delivery_category']`);
  }
  if (customData.content_ids !== undefined) {
    const ids = expectArray(customData.content_ids, `${path}['content_ids']`);
    ids.forEach((id, position) => expectNonEmptyString(id, `${path}['content_ids'][${position}]`));
  }
  if (customData.contents !== undefined) {
    const contents = expectArray(customData.contents, `${path}['contents']`);
    contents.forEach((item, position) =>
      validateContentItem(item, `${path}['contents'][${position}]`),
    );
  }
}

function validateContentItem(item: unknown, path: string): void {
  const record = expectObject(item, path);
  rejectUnknownKeys(record, CONTENT_ITEM_KEYS, path);
  if (record.id === undefined || record.id === null) {
    throw reject(invalidParameter(`Missing required key "id" on param "${path}"`));
  }
  expectNonEmptyString(record.id, `${path}['id']`);
  if (record.quantity !== undefined) expectInteger(record.quantity, `${path}['quantity']`);
  if (record.item_price !== undefined) expectNumber(record.item_price, `${path}['item_price']`);
  for (const key of ['title', 'description', 'brand', 'category']) {
    if (record[key] !== undefined) expectString(record[key], `${path}['${key}']`);
  }
  if (record.delivery_category !== undefined) {
    expectOneOf(record.delivery_category, DELIVERY_CATEGORIES, `${path}['delivery_category']`);
  }
}

function expectOneOf(value: unknown, allowed: string[], path: string): void {
  const text = expectString(value, path);
  if (!allowed.includes(text)) {
    throw reject(
      invalidParameter(
        `Invalid value "${text}" for param "${path}": expected one of ${allowed.join(', ')}`,
      ),
    );
  }
}
