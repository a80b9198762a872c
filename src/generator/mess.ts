import type { Body } from './calls';
import type { GeneratedCall, MessKind } from './labels';
import { labelMessyCall } from './labels';
import type { MessRates } from './options';
import type { SeededRandom } from './random';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type Eligibility = (call: GeneratedCall) => boolean;

const isSend: Eligibility = (call) => call.expect.outcome === 'send';
const eventOf = (call: GeneratedCall) => call.body.event;
const isOrder: Eligibility = (call) => isSend(call) && eventOf(call) === 'Order Completed';
const isPriced: Eligibility = (call) =>
  isOrder(call) || (isSend(call) && eventOf(call) === 'Checkout Started');

/**
 * Eligibility rules: the clean calls each kind may apply to. Rejecting kinds apply only to calls that would be sent.
 * A redelivery repeats a clean sent call, so the duplicate differs from nothing but its position.
 */
const ELIGIBLE: Record<MessKind, Eligibility> = {
  invalidCall: (call) => isSend(call) && call.body.type === 'track',
  tooOld: isSend,
  inFuture: isSend,
  anonymous: isSend,
  missingUserAgent: (call) => isSend(call) && call.body.userId !== undefined,
  priceWithSymbol: isPriced,
  missingCurrency: isOrder,
  priceAsString: isPriced,
  currencyOddCase: (call) => isSend(call) && typeof properties(call.body).currency === 'string',
  epochMillis: () => true,
  redelivery: isSend,
};

/**
 * The order in which kinds pick their calls: the kinds with the smallest pools first, so that
 * a call messed by one kind never leaves another without candidates. Redelivery comes last because
 * it may only repeat a call that is still clean.
 */
const PICK_ORDER: readonly MessKind[] = [
  'missingCurrency',
  'priceWithSymbol',
  'priceAsString',
  'invalidCall',
  'missingUserAgent',
  'currencyOddCase',
  'anonymous',
  'tooOld',
  'inFuture',
  'epochMillis',
  'redelivery',
];

/**
 * Applies mess to the clean calls of a day: each chosen call gets one kind, its body is changed
 * and its label set by `labelMessyCall`. Redeliveries are inserted 1 to 40 positions after the first
 * delivery, with the exact same body.
 *
 * @param calls clean calls in delivery order; they are not changed.
 * @param endMs the day's last moment, in epoch milliseconds.
 */
export function applyMess(
  rng: SeededRandom,
  calls: readonly GeneratedCall[],
  rates: MessRates,
  endMs: number,
): GeneratedCall[] {
  const result = calls.map((call) => ({ ...call }));
  const messed = new Set<number>();
  const redeliveries = new Map<number, GeneratedCall[]>();

  for (const kind of PICK_ORDER) {
    const eligible = calls.flatMap((call, index) => (ELIGIBLE[kind](call) ? [index] : []));
    const count =
      rates[kind] > 0 && eligible.length > 0
        ? Math.max(1, Math.round(rates[kind] * eligible.length))
        : 0;
    const chosen = pickFree(
      rng,
      eligible,
      count,
      messed,
      kind === 'redelivery' ? calls : undefined,
    );

    chosen.forEach((index, nth) => {
      messed.add(index);
      const original = result[index] as GeneratedCall;
      if (kind === 'redelivery') {
        const copy: GeneratedCall = {
          body: structuredClone(original.body),
          expect: labelMessyCall(original.expect, kind, String(original.body.messageId)),
          mess: kind,
        };
        const at = Math.min(index + rng.int(1, 40), calls.length - 1);
        redeliveries.set(at, [...(redeliveries.get(at) ?? []), copy]);
        return;
      }
      const body = structuredClone(original.body);
      MESS[kind](rng, body, endMs, nth);
      result[index] = { body, expect: labelMessyCall(original.expect, kind, ''), mess: kind };
    });
  }

  return result.flatMap((call, index) => [call, ...(redeliveries.get(index) ?? [])]);
}

/**
 * Picks up to `count` indexes not yet messed. For redeliveries, the first pick is an Order
 * Completed call when one is free, so a purchase redelivery is always present.
 */
function pickFree(
  rng: SeededRandom,
  eligible: number[],
  count: number,
  messed: ReadonlySet<number>,
  ordersFrom: readonly GeneratedCall[] | undefined,
): number[] {
  const free = eligible.filter((index) => !messed.has(index));
  if (ordersFrom === undefined || count === 0) {
    return rng.sample(free, count);
  }
  const orders = free.filter((index) => ordersFrom[index]?.body.event === 'Order Completed');
  const first = rng.sample(orders, 1);
  const rest = rng.sample(
    free.filter((index) => index !== first[0]),
    count - first.length,
  );
  return [...first, ...rest];
}

function properties(body: Body): Body {
  return (body.properties ?? {}) as Body;
}

const CURRENCY_SYMBOLS: Record<string, (amount: number) => string> = {
  USD: (amount) => `$${amount.toFixed(2)}`,
  CAD: (amount) => `$${amount.toFixed(2)}`,
  GBP: (amount) => `£${amount.toFixed(2)}`,
  EUR: (amount) => `${amount.toFixed(2).replace('.', ',')} €`,
  BRL: (amount) => `R$ ${amount.toFixed(2).replace('.', ',')}`,
};

/** Rewrites the value fields a mapping may read on Order Completed and Checkout Started. */
function rewriteValues(body: Body, rewrite: (amount: number) => string): void {
  const props = properties(body);
  const fields = body.event === 'Order Completed' ? ['revenue'] : ['value', 'revenue'];
  for (const field of fields) {
    props[field] = rewrite(Number(props[field]));
  }
}

function isoSeconds(timeMs: number): string {
  return new Date(Math.floor(timeMs / 1000) * 1000).toISOString();
}

type MessApplier = (rng: SeededRandom, body: Body, endMs: number, nth: number) => void;

/** The change each kind makes to a body. Each change breaks exactly one check, or none. */
const MESS: Record<Exclude<MessKind, 'redelivery'>, MessApplier> = {
  invalidCall: (_rng, body, _endMs, nth) => {
    // Alternate the ways the schema fails: no messageId, then a track call without its event.
    if (nth % 2 === 0) {
      delete body.messageId;
    } else {
      delete body.event;
    }
  },
  tooOld: (rng, body, endMs) => {
    body.timestamp = isoSeconds(endMs - 7 * DAY_MS - rng.int(HOUR_MS, 40 * HOUR_MS));
  },
  inFuture: (rng, body, endMs) => {
    body.timestamp = isoSeconds(endMs + 2 * HOUR_MS + rng.int(0, 20 * 60_000));
  },
  anonymous: (rng, body) => {
    // No identifier is left: no user id, traits, IP, user agent, cookies, or fbclid in the URL.
    // The fresh anonymousId matches no profile a store may keep.
    delete body.userId;
    body.anonymousId = rng.uuid();
    const context = body.context as Body;
    delete context.ip;
    delete context.userAgent;
    delete context.traits;
    delete context.campaign;
    const page = context.page as Body | undefined;
    if (page !== undefined) {
      delete page.search;
      page.url = String(page.url).split('?')[0];
    }
    const props = properties(body);
    delete props.fbp;
    delete props.fbc;
    if (typeof props.url === 'string') {
      props.url = props.url.split('?')[0];
    }
  },
  missingUserAgent: (_rng, body) => {
    delete (body.context as Body).userAgent;
  },
  priceWithSymbol: (_rng, body) => {
    const format = CURRENCY_SYMBOLS[String(properties(body).currency)] ?? CURRENCY_SYMBOLS.USD;
    rewriteValues(body, format as (amount: number) => string);
  },
  missingCurrency: (_rng, body) => {
    delete properties(body).currency;
  },
  priceAsString: (_rng, body) => {
    rewriteValues(body, (amount) => amount.toFixed(2));
  },
  currencyOddCase: (rng, body) => {
    const props = properties(body);
    const code = String(props.currency);
    const title = code.charAt(0) + code.slice(1).toLowerCase();
    props.currency = rng.pick([
      code.toLowerCase(),
      ` ${title} `,
      `${code.toLowerCase()} `,
      ` ${code}`,
    ]);
  },
  epochMillis: (_rng, body) => {
    body.timestamp = Date.parse(String(body.timestamp));
  },
};
