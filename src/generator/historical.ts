import { PRODUCTS } from './catalog';
import type { Body, LineItem, PageRef } from './calls';
import { cartTotals, productProperties, trackCall } from './calls';
import { MARKETS } from './catalog';
import type { GeneratedCall } from './labels';
import { labelCleanCall } from './labels';
import type { HistoricalOptions } from './options';
import { checkCount, checkEnd, checkSeed } from './options';
import { createCustomers } from './people';
import { SeededRandom } from './random';

const SPAN_MS = 6 * 86_400_000;

/** Share of checkouts that end in an order. */
const ORDER_SHARE = 0.6;

/**
 * Yields `events` clean Checkout Started and Order Completed calls, in time order, spread evenly
 * over the 6 days before `end`, for backfill runs and benchmarks. Each one is labelled `send`.
 * Calls are made one at a time, so a caller can stream any number of them in constant memory.
 *
 * @throws GeneratorOptionsError when an option is out of range.
 */
export function* generateHistorical(options: HistoricalOptions): Generator<GeneratedCall, void> {
  checkSeed(options.seed);
  checkCount('events', options.events, 0);
  checkCount('customers', options.customers ?? 1000, 1);
  const endMs = checkEnd(options.end);

  const rng = new SeededRandom(options.seed + 0x6a09e6);
  const customers = createCustomers(rng, options.customers ?? 1000, endMs);
  const startMs = endMs - SPAN_MS;
  let nextOrderId = 1_000_000 + rng.int(0, 99_999);
  let pendingOrder: { body: Body } | undefined;

  for (let index = 0; index < options.events; index += 1) {
    // Spread evenly with jitter inside each slot, so time never goes backwards.
    const slotMs = SPAN_MS / options.events;
    const timeMs = Math.min(endMs - 1000, startMs + Math.floor((index + rng.next()) * slotMs));
    const timestamp = Math.floor(timeMs / 1000) * 1000;

    if (pendingOrder !== undefined) {
      const body = pendingOrder.body;
      pendingOrder = undefined;
      body.timestamp = new Date(timestamp).toISOString();
      yield { body, expect: labelCleanCall(body) };
      continue;
    }

    const shopper = rng.pick(customers);
    const items: LineItem[] = rng
      .sample(PRODUCTS, rng.int(1, 3))
      .map((product) => ({ product, quantity: rng.int(1, 2) }));
    const totals = cartTotals(shopper, items, 0);
    const currency = MARKETS[shopper.country].currency;
    const products = items.map((item) => productProperties(shopper, item));
    const checkoutId = rng.hex(24);
    const clickIds = { fbp: shopper.fbp };
    const page: PageRef = { path: `/checkouts/${checkoutId}`, title: 'Checkout' };

    const checkout = trackCall(
      rng,
      timestamp,
      shopper,
      page,
      'Checkout Started',
      {
        checkout_id: checkoutId,
        value: totals.revenue,
        revenue: totals.revenue,
        currency,
        products,
      },
      clickIds,
    );

    if (rng.chance(ORDER_SHARE)) {
      const orderId = rng.chance(0.5) ? nextOrderId : String(nextOrderId);
      nextOrderId += rng.int(1, 3);
      const thankYou: PageRef = { path: `/checkouts/${checkoutId}/thank-you`, title: 'Thank you' };
      // The timestamp is set when the order's turn comes, one slot later.
      pendingOrder = {
        body: trackCall(
          rng,
          timestamp,
          shopper,
          thankYou,
          'Order Completed',
          {
            order_id: orderId,
            checkout_id: checkoutId,
            total: totals.total,
            subtotal: totals.subtotal,
            revenue: totals.revenue,
            shipping: totals.shipping,
            tax: totals.tax,
            discount: 0,
            currency,
            products,
          },
          clickIds,
        ),
      };
    }
    yield { body: checkout, expect: labelCleanCall(checkout) };
  }
}
