import type { ContentItem } from '../meta/types';
import { isAbsent, parseAmount } from './amount';
import { WARNING_CODES, type MappingWarning } from './types';

type Properties = Record<string, unknown>;

/** custom_data.contents of one call, with the product count for num_items. */
export interface Contents {
  items: ContentItem[];
  /** Sum of the items' quantities, an item without one counting as 1. */
  numItems: number;
  warnings: MappingWarning[];
}

/**
 * Builds contents from `properties.products[]`, or, for single-product events such as Product
 * Viewed, from the properties themselves. Each item's id is product_id, else sku, else id; an
 * item with none is left out, and the count of those becomes one warning.
 */
export function buildContents(properties: Properties): Contents {
  const warnings: MappingWarning[] = [];

  if (Array.isArray(properties.products)) {
    const items: ContentItem[] = [];
    let withoutId = 0;
    for (const [index, product] of properties.products.entries()) {
      const field = `properties.products[${index}]`;
      const item = isObject(product) ? toItem(product, field, warnings) : undefined;
      if (item) items.push(item);
      else withoutId += 1;
    }
    if (withoutId > 0) {
      warnings.push({
        code: WARNING_CODES.productWithoutId,
        field: 'properties.products',
        message: `${withoutId} of ${properties.products.length} products in properties.products have no product_id, sku or id: left out of contents`,
      });
    }
    return { items, numItems: countItems(items), warnings };
  }

  if (!isAbsent(properties.product_id) || !isAbsent(properties.sku)) {
    const item = toItem(properties, 'properties', warnings);
    const items = item ? [item] : [];
    return { items, numItems: countItems(items), warnings };
  }
  return { items: [], numItems: 0, warnings };
}

function toItem(
  product: Properties,
  field: string,
  warnings: MappingWarning[],
): ContentItem | undefined {
  const id = firstId(product.product_id, product.sku, product.id);
  if (id === undefined) return undefined;

  const item: ContentItem = { id };
  if (!isAbsent(product.quantity)) {
    const quantity = parseAmount(product.quantity, `${field}.quantity`);
    if (quantity.ok && Number.isInteger(quantity.value) && quantity.value > 0) {
      item.quantity = quantity.value;
    } else {
      warnings.push(badField(`${field}.quantity`, product.quantity, 'a positive whole number'));
    }
  }
  if (!isAbsent(product.price)) {
    const price = parseAmount(product.price, `${field}.price`);
    if (price.ok) item.item_price = price.value;
    else warnings.push(badField(`${field}.price`, product.price, 'a number'));
  }
  return item;
}

function firstId(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
    if (typeof candidate === 'number' && Number.isFinite(candidate)) return String(candidate);
  }
  return undefined;
}

function countItems(items: ContentItem[]): number {
  return items.reduce((sum, item) => sum + (item.quantity ?? 1), 0);
}

function badField(field: string, raw: unknown, expected: string): MappingWarning {
  return {
    code: WARNING_CODES.invalidProductField,
    field,
    message: `${field} ${JSON.stringify(raw)} is not ${expected}: left out of contents`,
  };
}

function isObject(value: unknown): value is Properties {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
