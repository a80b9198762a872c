import type { Product } from './catalog';
import { CONTENT_PAGES, COUPONS, MARKETS, PRODUCTS, REFERRERS, SEARCH_QUERIES } from './catalog';
import type { Body, ClickIds, LineItem, PageRef } from './calls';
import {
  cartTotals,
  identifyCall,
  pageCall,
  productPage,
  productProperties,
  signUpCall,
  trackCall,
} from './calls';
import type { Shopper } from './people';
import { makeFbclid } from './people';
import type { SeededRandom } from './random';

/** A call and when it happened, in epoch milliseconds. */
export interface TimedCall {
  timeMs: number;
  body: Body;
}

/**
 * Plays one shopper's visit: a landing page, browsing, maybe a search, a cart, a checkout and an
 * order, with the custom events the shop also sends. Order ids and order traits are left `null`
 * for `stampOrders`, which fills them in time order.
 */
export function playSession(rng: SeededRandom, shopper: Shopper, startMs: number): TimedCall[] {
  const visit = new Visit(rng, shopper, startMs);

  visit.land();
  if (shopper.profile !== undefined && rng.chance(0.25)) {
    visit.emit((timeMs) => identifyCall(rng, timeMs, shopper));
  }
  if (shopper.profile === undefined && rng.chance(0.04)) {
    visit.emit((timeMs) => signUpCall(rng, timeMs, shopper));
  }

  const viewed = visit.browse(rng.int(1, 3));
  if (rng.chance(0.22)) {
    visit.search();
    viewed.push(...visit.browse(rng.int(0, 2)));
  }
  visit.customEvents(viewed);

  const cart = visit.addToCart(viewed);
  if (cart.length > 0 && rng.chance(0.85)) {
    visit.checkout(cart);
  }
  return visit.calls;
}

class Visit {
  readonly calls: TimedCall[] = [];
  private readonly clickIds: ClickIds = {};
  private readonly currency: string;
  private clock: number;

  constructor(
    private readonly rng: SeededRandom,
    private readonly shopper: Shopper,
    startMs: number,
  ) {
    this.clock = startMs;
    this.currency = MARKETS[shopper.country].currency;
    if (rng.chance(0.8)) {
      this.clickIds.fbp = shopper.fbp;
    }
  }

  /** Records a call a few seconds to a couple of minutes after the previous one. */
  emit(build: (timeMs: number) => Body): void {
    if (this.calls.length > 0) {
      this.clock += this.rng.int(6, 150) * 1000;
    }
    this.calls.push({ timeMs: this.clock, body: build(this.clock) });
  }

  private track(page: PageRef, event: string, properties: Body): void {
    const { rng, shopper, clickIds } = this;
    this.emit((timeMs) => trackCall(rng, timeMs, shopper, page, event, properties, clickIds));
  }

  /**
   * Records the landing page. A visit from a Meta ad lands with `fbclid` in the URL, which the
   * site keeps as the `_fbc` cookie and copies into later track calls.
   */
  land(): void {
    const { rng, shopper } = this;
    let landing: PageRef & { name: string } = { ...rng.pick(CONTENT_PAGES) };
    let campaign: Record<string, string> | undefined;

    if (rng.chance(0.22)) {
      const fbclid = makeFbclid(rng);
      this.clickIds.fbc = `fb.1.${this.clock}.${fbclid}`;
      campaign = { source: 'meta', medium: 'paid_social', name: 'winter-glow' };
      landing = {
        name: 'Product',
        ...productPage(rng.pick(PRODUCTS)),
        search: `?fbclid=${fbclid}`,
      };
    } else if (rng.chance(0.5)) {
      landing = { ...landing, referrer: rng.pick(REFERRERS) };
    }
    this.emit((timeMs) => pageCall(rng, timeMs, shopper, landing, campaign));
  }

  browse(count: number): Product[] {
    const viewed: Product[] = [];
    for (let i = 0; i < count; i += 1) {
      const product = this.rng.pick(PRODUCTS);
      const page = productPage(product);
      viewed.push(product);
      // Storefronts often send Product Viewed without a page call for the same view.
      if (this.rng.chance(0.3)) {
        this.emit((timeMs) =>
          pageCall(this.rng, timeMs, this.shopper, { name: 'Product', ...page }),
        );
      }
      this.track(page, 'Product Viewed', {
        ...productProperties(this.shopper, { product, quantity: 1 }),
        currency: this.currency,
      });
    }
    return viewed;
  }

  search(): void {
    const query = this.rng.pick(SEARCH_QUERIES);
    const page: PageRef = {
      path: '/search',
      search: `?q=${encodeURIComponent(query)}`,
      title: `Search: ${query}`,
    };
    this.track(page, 'Products Searched', { query });
  }

  /** Records the shop's own events, which no Meta event maps to. */
  customEvents(viewed: Product[]): void {
    const { rng, shopper } = this;
    const profile = shopper.profile;

    if (rng.chance(0.05)) {
      const result = rng.pick(['dry', 'oily', 'combination', 'sensitive']);
      this.track({ path: '/pages/skin-quiz', title: 'Skin quiz' }, 'Quiz Completed', {
        quiz: 'skin-type',
        result,
        recommended_product_id: rng.pick(PRODUCTS).productId,
      });
    }
    const wanted = viewed[0];
    if (wanted !== undefined && rng.chance(0.04)) {
      this.track(productPage(wanted), 'Back In Stock Requested', {
        product_id: wanted.productId,
        sku: wanted.sku,
        variant: wanted.variant,
      });
    }
    if (profile !== undefined && profile.pastOrderIds.length > 0 && rng.chance(0.08)) {
      this.track({ path: '/account/orders', title: 'Your orders' }, 'Order Refunded', {
        order_id: String(rng.pick(profile.pastOrderIds)),
        total: rng.int(20, 120),
        currency: this.currency,
        reason: rng.pick(['damaged', 'not_as_expected', 'allergy']),
      });
    }
  }

  addToCart(viewed: Product[]): LineItem[] {
    const cart: LineItem[] = [];
    const cartId = `cart_${this.rng.hex(12)}`;
    for (const product of viewed) {
      if (!this.rng.chance(0.5)) {
        continue;
      }
      const quantity = this.rng.weighted([
        [1, 80],
        [2, 15],
        [3, 5],
      ] as const);
      const item = { product, quantity };
      cart.push(item);
      this.track(productPage(product), 'Product Added', {
        ...productProperties(this.shopper, item),
        currency: this.currency,
        cart_id: cartId,
      });
    }
    return cart;
  }

  checkout(cart: LineItem[]): void {
    const { rng, shopper } = this;
    const checkoutId = rng.hex(24);
    const checkoutPage: PageRef = { path: `/checkouts/${checkoutId}`, title: 'Checkout' };
    const coupon = rng.chance(0.2) ? rng.pick(COUPONS) : undefined;
    const totals = cartTotals(shopper, cart, coupon?.[1] ?? 0);
    const products = cart.map((item) => productProperties(shopper, item));

    // Checkout Started carries `value` and `revenue` with the same amount, so a mapping that reads
    // either field gets the same amount.
    this.track(checkoutPage, 'Checkout Started', {
      checkout_id: checkoutId,
      value: totals.revenue,
      revenue: totals.revenue,
      currency: this.currency,
      products,
    });
    if (coupon !== undefined) {
      this.track(checkoutPage, 'Coupon Applied', {
        checkout_id: checkoutId,
        coupon: coupon[0],
        discount: totals.discount,
      });
    }
    if (!rng.chance(0.9)) {
      return;
    }

    const properties: Body = {
      order_id: null,
      checkout_id: checkoutId,
      total: totals.total,
      subtotal: totals.subtotal,
      revenue: totals.revenue,
      shipping: totals.shipping,
      tax: totals.tax,
      discount: totals.discount,
    };
    if (coupon !== undefined) {
      properties.coupon = coupon[0];
    }
    properties.currency = this.currency;
    properties.products = products;
    this.track(
      { path: `/checkouts/${checkoutId}/thank-you`, title: 'Thank you' },
      'Order Completed',
      properties,
    );

    if (shopper.profile !== undefined && rng.chance(0.5)) {
      this.emit((timeMs) => identifyCall(rng, timeMs, shopper));
    }
  }
}
