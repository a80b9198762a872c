import type { Product } from './catalog';
import { MARKETS, SHOP_NAME, SHOP_ORIGIN, priceIn } from './catalog';
import type { Shopper } from './people';
import type { SeededRandom } from './random';

/**
 * Builders of single Data Pipelines calls, with keys in the order Customer.io's webhook
 * destination writes them. Timestamps are ISO 8601 strings with whole seconds.
 */

export type Body = Record<string, unknown>;

/** The page a call was made on, as analytics.js records it in `context.page`. */
export interface PageRef {
  path: string;
  title: string;
  /** Query string appended to the URL, with its `?`; empty for none. */
  search?: string;
  referrer?: string;
}

/** A product in a cart or an order. */
export interface LineItem {
  product: Product;
  quantity: number;
}

/** Cookie values the site copies into track properties for Meta. */
export interface ClickIds {
  fbp?: string;
  fbc?: string;
}

export function pageUrl(page: PageRef): string {
  return `${SHOP_ORIGIN}${page.path}${page.search ?? ''}`;
}

export function productPage(product: Product): PageRef {
  return { path: `/products/${product.handle}`, title: `${product.name} | ${SHOP_NAME}` };
}

/** Starts a call: the envelope keys and the context, which every call shares. */
function envelope(
  rng: SeededRandom,
  type: string,
  timeMs: number,
  shopper: Shopper,
  page: PageRef | undefined,
  campaign?: Record<string, string>,
): Body {
  const context: Body = { ip: shopper.ip, userAgent: shopper.userAgent, locale: shopper.locale };

  const profile = shopper.profile;
  if (profile !== undefined) {
    context.traits =
      profile.sharesPhone && profile.phone !== undefined
        ? { email: profile.email, phone: profile.phone }
        : { email: profile.email };
  }
  if (page !== undefined) {
    const contextPage: Body = { path: page.path };
    if (page.referrer !== undefined) {
      contextPage.referrer = page.referrer;
    }
    if (page.search !== undefined) {
      contextPage.search = page.search;
    }
    contextPage.title = page.title;
    contextPage.url = pageUrl(page);
    context.page = contextPage;
  }
  if (campaign !== undefined) {
    context.campaign = campaign;
  }

  const body: Body = {
    type,
    messageId: rng.uuid(),
    timestamp: new Date(timeMs).toISOString(),
    context,
  };
  if (shopper.userId !== undefined) {
    body.userId = shopper.userId;
  }
  body.anonymousId = shopper.anonymousId;
  return body;
}

export function pageCall(
  rng: SeededRandom,
  timeMs: number,
  shopper: Shopper,
  page: PageRef & { name: string },
  campaign?: Record<string, string>,
): Body {
  const body = envelope(rng, 'page', timeMs, shopper, page, campaign);
  body.name = page.name;
  const properties: Body = { path: page.path };
  if (page.referrer !== undefined) {
    properties.referrer = page.referrer;
  }
  properties.title = page.title;
  properties.url = pageUrl(page);
  body.properties = properties;
  return body;
}

export function trackCall(
  rng: SeededRandom,
  timeMs: number,
  shopper: Shopper,
  page: PageRef,
  event: string,
  properties: Body,
  clickIds: ClickIds,
): Body {
  const body = envelope(rng, 'track', timeMs, shopper, page);
  body.event = event;
  if (clickIds.fbp !== undefined) {
    properties.fbp = clickIds.fbp;
  }
  if (clickIds.fbc !== undefined) {
    properties.fbc = clickIds.fbc;
  }
  body.properties = properties;
  return body;
}

/**
 * Builds an identify call with the full profile. The order traits (`lifetime_value`,
 * `orders_count`, `last_order_at`) are filled in later, in time order, by `stampOrders`.
 */
export function identifyCall(rng: SeededRandom, timeMs: number, shopper: Shopper): Body {
  const body = envelope(rng, 'identify', timeMs, shopper, undefined);
  const profile = shopper.profile;
  if (profile === undefined) {
    throw new Error('identifyCall needs a customer with a profile');
  }

  const traits: Body = { email: profile.email };
  if (profile.phone !== undefined) {
    traits.phone = profile.phone;
  }
  traits.first_name = profile.firstName;
  traits.last_name = profile.lastName;
  traits.city = profile.city;
  traits.state = profile.state;
  traits.zip = profile.zip;
  traits.country = profile.countryName;
  if (profile.gender !== undefined) {
    traits.gender = profile.gender;
  }
  if (profile.birthday !== undefined) {
    traits.birthday = profile.birthday;
  }
  traits.lifetime_value = null;
  traits.orders_count = null;
  traits.last_order_at = null;
  body.traits = traits;
  return body;
}

/** Builds an anonymous newsletter sign-up: an identify call whose only trait is an email. */
export function signUpCall(rng: SeededRandom, timeMs: number, shopper: Shopper): Body {
  const body = envelope(rng, 'identify', timeMs, shopper, undefined);
  body.traits = { email: `reader.${rng.hex(6)}@example.net`, newsletter: true };
  return body;
}

/** Builds the Segment product object, priced in the shopper's currency. */
export function productProperties(shopper: Shopper, item: LineItem): Body {
  return {
    product_id: item.product.productId,
    sku: item.product.sku,
    category: item.product.category,
    name: item.product.name,
    brand: SHOP_NAME,
    variant: item.product.variant,
    price: priceIn(item.product, shopper.country),
    quantity: item.quantity,
  };
}

/** Money amounts of a cart, in the shopper's currency, rounded to cents. */
export interface CartTotals {
  subtotal: number;
  discount: number;
  /** Subtotal less discount, without shipping and tax: what Purchase reports as value. */
  revenue: number;
  shipping: number;
  tax: number;
  total: number;
}

export function cartTotals(shopper: Shopper, items: LineItem[], discountRate: number): CartTotals {
  const market = MARKETS[shopper.country];
  const subtotal = cents(
    items.reduce((sum, item) => sum + priceIn(item.product, shopper.country) * item.quantity, 0),
  );
  const discount = cents(subtotal * discountRate);
  const revenue = cents(subtotal - discount);
  const shipping = revenue >= market.freeShippingFrom ? 0 : market.shipping;
  const tax = cents(revenue * market.taxRate);
  return { subtotal, discount, revenue, shipping, tax, total: cents(revenue + shipping + tax) };
}

export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
