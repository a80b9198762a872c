import type { Logger } from '../logging';
import { isAbsent, parseAmount } from '../mapping/amount';
import { eventNameKey } from '../mapping/event-name';
import type { UserData } from '../meta/types';
import { customerKey } from '../profiles/call-updates';
import { PROFILE_ERROR_CODES, ProfileStoreError } from '../profiles/errors';
import type { OrderUpdate } from '../profiles/types';
import type { ConversionInput } from '../workflows/types';

/** The source event whose conversions are orders that feed the profile store. */
export const ORDER_EVENT = 'Order Completed';

/** Records an order in the profile store; implemented by `ProfileStore.applyOrder`. */
export interface OrderRecorder {
  applyOrder(update: OrderUpdate): Promise<unknown>;
}

/**
 * Records the order of an `Order Completed` conversion in the profile store, so lifetime value
 * and the last order time follow the orders. It runs inside the normalize activity, so Temporal
 * retries it; the store counts each order id once, so a retry never counts an order twice.
 *
 * The value is `properties.total`, else `properties.revenue`. An order whose value cannot be read
 * is still recorded, with value 0: its time matters to winback even when its amount is unknown.
 * Input the store refuses (an order id over 512 characters, say) is logged and left out, because
 * no retry can fix it.
 */
export async function recordOrder(
  recorder: OrderRecorder,
  input: ConversionInput,
  userData: UserData,
  logger?: Logger,
): Promise<void> {
  if (eventNameKey(input.sourceEvent) !== eventNameKey(ORDER_EVENT)) return;
  const customerId = customerKey(input.call);
  if (customerId === undefined) return;

  const properties = input.call.properties ?? {};
  const orderId = readOrderId(properties.order_id) ?? input.eventId;
  const ids = { eventId: input.eventId, pixelId: input.pixelId };
  const value = readOrderValue(properties);
  if (value === undefined) {
    logger?.warn(
      { ...ids, reasonCode: 'order_value_unreadable' },
      'order recorded with value 0: properties.total and properties.revenue are missing or not numbers',
    );
  }

  try {
    await recorder.applyOrder({
      customerId,
      orderId,
      userData,
      orderValue: value ?? 0,
      at: input.call.timestamp,
    });
  } catch (error) {
    if (!(error instanceof ProfileStoreError) || error.code !== PROFILE_ERROR_CODES.invalidInput) {
      throw error;
    }
    logger?.warn(
      { ...ids, reasonCode: 'order_not_recorded', field: error.field },
      `order not recorded in the profile store: ${error.message}`,
    );
  }
}

function readOrderId(raw: unknown): string | undefined {
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return undefined;
}

function readOrderValue(properties: Record<string, unknown>): number | undefined {
  for (const field of ['total', 'revenue']) {
    if (isAbsent(properties[field])) continue;
    const parsed = parseAmount(properties[field], `properties.${field}`);
    if (parsed.ok && parsed.value >= 0) return parsed.value;
  }
  return undefined;
}
