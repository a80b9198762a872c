import type { Body } from './calls';
import type { Profile } from './people';
import type { SeededRandom } from './random';
import type { TimedCall } from './sessions';

/**
 * Fills in order ids and order traits in time order, once every visit of the day is played, so
 * that order numbers rise through the day and each identify call reports the orders placed before
 * it. Half of the order ids are strings and half numbers, as shops send both.
 *
 * @param calls the day's calls sorted by time; bodies are changed in place.
 */
export function stampOrders(
  rng: SeededRandom,
  calls: readonly TimedCall[],
  profiles: ReadonlyMap<string, Profile>,
): void {
  let nextOrderId = rng.int(60_000, 89_999);
  const state = new Map<
    string,
    { lifetimeValue: number; ordersCount: number; lastOrderAt?: string }
  >();
  const stateOf = (userId: string, profile: Profile) => {
    let current = state.get(userId);
    if (current === undefined) {
      current = {
        lifetimeValue: profile.lifetimeValue,
        ordersCount: profile.ordersCount,
        lastOrderAt: profile.lastOrderAt,
      };
      state.set(userId, current);
    }
    return current;
  };

  for (const { timeMs, body } of calls) {
    const userId = typeof body.userId === 'string' ? body.userId : undefined;
    const profile = userId === undefined ? undefined : profiles.get(userId);

    if (body.type === 'track' && body.event === 'Order Completed') {
      const properties = body.properties as Body;
      properties.order_id = rng.chance(0.5) ? nextOrderId : String(nextOrderId);
      nextOrderId += rng.int(1, 4);
      if (userId !== undefined && profile !== undefined) {
        const current = stateOf(userId, profile);
        current.ordersCount += 1;
        current.lifetimeValue =
          Math.round((current.lifetimeValue + Number(properties.revenue)) * 100) / 100;
        current.lastOrderAt = new Date(timeMs).toISOString();
      }
    }

    if (body.type === 'identify' && userId !== undefined && profile !== undefined) {
      const traits = body.traits as Body;
      const current = stateOf(userId, profile);
      traits.lifetime_value = current.lifetimeValue;
      traits.orders_count = current.ordersCount;
      if (current.lastOrderAt === undefined) {
        delete traits.last_order_at;
      } else {
        traits.last_order_at = current.lastOrderAt;
      }
    }
  }
}
