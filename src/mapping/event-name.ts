/**
 * Turns an event name into its lookup key: lowercase, without spaces, underscores or hyphens, so
 * `Order Completed`, `order_completed` and `order-completed` find the same rule.
 */
export function eventNameKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Call types whose calls are looked up by their type, because they carry no event name. */
export const TYPE_KEYED_CALLS = ['page', 'screen'] as const;
