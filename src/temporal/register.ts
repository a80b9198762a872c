import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { CONVERSION_SEARCH_ATTRIBUTES } from './search-attributes';

/** gRPC ALREADY_EXISTS: another process registered the attributes first. */
const ALREADY_EXISTS = 6;

/**
 * Registers the conversion search attributes on a namespace, once. Safe to call at every start:
 * attributes that exist already are left as they are.
 */
export async function registerSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = CONVERSION_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return;

  const searchAttributes: Record<string, number> = {};
  for (const key of missing)
    searchAttributes[key.name] = encodeSearchAttributeIndexedValueType(key.type) ?? 0;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (error) {
    if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
  }
}
