import { parseTime } from './time';
import type { TraitNames } from './types';

/** The order totals an identify call carries; each is undefined when absent or unreadable. */
export interface OrderTraits {
  lifetimeValue?: number;
  ordersCount?: number;
  /** Epoch ms. */
  lastOrderAt?: number;
}

/**
 * Reads the order totals from identify traits. Senders write numbers as JSON numbers or numeric
 * strings; a value that is neither, or negative, is ignored rather than stored as 0.
 */
export function readOrderTraits(
  traits: Record<string, unknown> | undefined,
  names: TraitNames,
): OrderTraits {
  if (traits === undefined) return {};

  const lifetimeValue = readAmount(traits[names.lifetimeValue]);
  const ordersCount = readAmount(traits[names.ordersCount]);
  const lastOrderAt = parseTime(traits[names.lastOrderAt]);
  return {
    lifetimeValue,
    ordersCount: ordersCount === undefined ? undefined : Math.trunc(ordersCount),
    lastOrderAt,
  };
}

function readAmount(value: unknown): number | undefined {
  const amount =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(amount) && amount >= 0 ? amount : undefined;
}
