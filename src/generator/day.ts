import type { GeneratedCall } from './labels';
import { labelCleanCall } from './labels';
import { applyMess } from './mess';
import type { GeneratorOptions } from './options';
import { checkCount, checkEnd, checkSeed, resolveMessRates } from './options';
import { stampOrders } from './orders';
import type { Profile } from './people';
import { createCustomers, createVisitor } from './people';
import { SeededRandom } from './random';
import type { TimedCall } from './sessions';
import { playSession } from './sessions';

const DAY_MS = 86_400_000;

/** Share of visits made by registered, logged-in customers; the rest are anonymous visitors. */
const CUSTOMER_VISIT_SHARE = 0.68;

/**
 * Generates one day of a shop's Data Pipelines traffic in delivery order, each call labelled with
 * what a correct pipeline must do with it. The same options always yield the same calls.
 *
 * @throws GeneratorOptionsError when an option is out of range.
 */
export function generateDay(options: GeneratorOptions): GeneratedCall[] {
  checkSeed(options.seed);
  checkCount('customers', options.customers, 0);
  checkCount('calls', options.calls, 0);
  const endMs = checkEnd(options.end);
  const rates = resolveMessRates(options.mess);

  // Separate streams, so that changing the mess rates leaves the clean traffic unchanged.
  const peopleRng = new SeededRandom(options.seed);
  const trafficRng = new SeededRandom(options.seed + 0x51ed27);
  const messRng = new SeededRandom(options.seed + 0x3c6ef3);

  const customers = createCustomers(peopleRng, options.customers, endMs);
  const profiles = new Map<string, Profile>();
  for (const customer of customers) {
    if (customer.userId !== undefined && customer.profile !== undefined) {
      profiles.set(customer.userId, customer.profile);
    }
  }

  const timed: TimedCall[] = [];
  while (timed.length < options.calls) {
    const shopper =
      customers.length > 0 && trafficRng.chance(CUSTOMER_VISIT_SHARE)
        ? trafficRng.pick(customers)
        : createVisitor(trafficRng, endMs);
    const startMs = endMs - trafficRng.int(0, DAY_MS / 1000) * 1000;
    const visit = playSession(trafficRng, shopper, startMs).filter((call) => call.timeMs <= endMs);
    timed.push(...visit.slice(0, options.calls - timed.length));
  }

  // Array.prototype.sort is stable, so calls at the same second keep the order they were made in.
  timed.sort((a, b) => a.timeMs - b.timeMs);
  stampOrders(trafficRng, timed, profiles);

  const clean = timed.map(({ body }) => ({ body, expect: labelCleanCall(body) }));
  return applyMess(messRng, clean, rates, endMs);
}
