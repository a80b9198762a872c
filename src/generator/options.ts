import type { MessKind } from './labels';
import { MESS_KINDS } from './labels';

/**
 * Rates of each kind of mess, each a fraction in [0, 1] of the calls that kind can apply to.
 * Any rate above 0 yields at least one messy call when an eligible call exists, so every kind
 * shows up even in small runs.
 */
export type MessRates = Record<MessKind, number>;

/** The default rates: a few percent each, close to the sample day of a small shop. */
export const DEFAULT_MESS_RATES: MessRates = {
  invalidCall: 0.004,
  tooOld: 0.01,
  inFuture: 0.006,
  anonymous: 0.012,
  missingUserAgent: 0.006,
  priceWithSymbol: 0.02,
  missingCurrency: 0.02,
  priceAsString: 0.02,
  currencyOddCase: 0.02,
  epochMillis: 0.01,
  redelivery: 0.02,
};

export interface GeneratorOptions {
  /** Seed of the pseudo-random stream: the same seed yields byte-identical output. */
  seed: number;
  /** Number of registered customers, such as 200. Anonymous visitors come on top. */
  customers: number;
  /** Number of distinct calls (distinct messageIds, invalid calls included); redeliveries add to it. */
  calls: number;
  /** The day's last moment. Clean calls fall in the 24 hours before it. */
  end: Date;
  /** Rates of each kind of mess. @default DEFAULT_MESS_RATES */
  mess?: Partial<MessRates>;
}

export interface HistoricalOptions {
  /** Seed of the pseudo-random stream: the same seed yields the same calls. */
  seed: number;
  /** Number of calls to produce, each a Checkout Started or an Order Completed. */
  events: number;
  /** The calls fall in the 6 days before this moment. */
  end: Date;
  /** Number of registered customers placing the orders. @default 1000 */
  customers?: number;
}

/** Raised for a generator option that is missing or out of range. */
export class GeneratorOptionsError extends Error {
  readonly code = 'INVALID_GENERATOR_OPTIONS';

  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`Invalid generator option ${field}: ${detail}`);
    this.name = 'GeneratorOptionsError';
  }
}

/** Fills the rates left out with the defaults and checks each is a fraction in [0, 1]. */
export function resolveMessRates(overrides: Partial<MessRates> | undefined): MessRates {
  const rates = { ...DEFAULT_MESS_RATES, ...overrides };
  for (const kind of MESS_KINDS) {
    const rate = rates[kind];
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new GeneratorOptionsError(
        `mess.${kind}`,
        `expected a number from 0 to 1, got ${String(rate)}`,
      );
    }
  }
  return rates;
}

export function checkCount(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new GeneratorOptionsError(
      field,
      `expected an integer of at least ${min}, got ${String(value)}`,
    );
  }
}

/** Returns the end as epoch milliseconds, truncated to whole seconds like every timestamp. */
export function checkEnd(end: Date): number {
  const time = end instanceof Date ? end.getTime() : Number.NaN;
  if (!Number.isFinite(time)) {
    throw new GeneratorOptionsError('end', `expected a valid Date, got ${String(end)}`);
  }
  return Math.floor(time / 1000) * 1000;
}

export function checkSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new GeneratorOptionsError('seed', `expected a finite number, got ${String(seed)}`);
  }
}
