import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import { toEpochMs } from './time';
import type { TimeInput } from './time';
import type { ProfilesTable } from './schema';
import type { ProfileStore } from './types';

export interface SyntheticProfilesOptions {
  /** How many profiles to insert. */
  count: number;
  /** Seed of the pseudo-random values; the same seed gives the same profiles. @default 1 */
  seed?: number;
  /** The time the profiles are generated relative to; last orders fall in the 180 days before. */
  now: TimeInput;
  /** Index of the first profile, so several calls can fill one store. @default 0 */
  offset?: number;
  /** Rows per INSERT statement. @default 1000 */
  batchSize?: number;
  /** Called after each batch with the number of profiles inserted so far. */
  onProgress?: (inserted: number) => void;
}

const DAY_MS = 86_400_000;
/** 28 columns per row: 1000 rows stay under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const MAX_BATCH_SIZE = 1000;

/**
 * Inserts synthetic profiles for benchmarks, in batched multi-row INSERTs. Customer ids are
 * `synthetic-` and a 9-digit index, so they sort in insertion order. A profile that already
 * exists is left as it is, so a rerun inserts nothing. Identifiers are digests of made-up
 * `@example.com` addresses, never real people.
 *
 * @returns how many profiles were new.
 */
export async function insertSyntheticProfiles(
  store: ProfileStore,
  options: SyntheticProfilesOptions,
): Promise<number> {
  const now = toEpochMs(options.now, 'now');
  const random = mulberry32(options.seed ?? 1);
  const batchSize = Math.min(Math.max(1, options.batchSize ?? MAX_BATCH_SIZE), MAX_BATCH_SIZE);
  const offset = options.offset ?? 0;
  let inserted = 0;

  for (let start = 0; start < options.count; start += batchSize) {
    const size = Math.min(batchSize, options.count - start);
    const rows: Insertable<ProfilesTable>[] = [];
    for (let i = 0; i < size; i += 1) {
      rows.push(syntheticProfile(offset + start + i, random, now, store.vipThreshold));
    }

    const result = await store.db
      .insertInto('profiles')
      .values(rows)
      .onConflict((conflict) => conflict.column('customer_id').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    options.onProgress?.(start + size);
  }
  return inserted;
}

/**
 * Builds one profile. About 20% never ordered. The rest have 1 to 20 orders of 15 to 215 each,
 * the last one in the past 180 days, stored as an identify snapshot taken at that order.
 */
function syntheticProfile(
  index: number,
  random: () => number,
  now: number,
  vipThreshold: number | undefined,
): Insertable<ProfilesTable> {
  const customerId = `synthetic-${String(index).padStart(9, '0')}`;
  const hasOrders = random() >= 0.2;
  const ordersCount = hasOrders ? 1 + Math.floor(random() * 20) : 0;
  const lifetimeValue = hasOrders ? round2(ordersCount * (15 + random() * 200)) : 0;
  const lastOrderAt = hasOrders ? now - Math.floor(random() * 180 * DAY_MS) : null;
  const updatedAt = lastOrderAt ?? now - Math.floor(random() * 180 * DAY_MS);
  const isVip = vipThreshold !== undefined && lifetimeValue >= vipThreshold;

  return {
    customer_id: customerId,
    em: sha256(`${customerId}@example.com`),
    ph: random() < 0.6 ? sha256(`1555${String(index).padStart(7, '0')}`) : null,
    fn: null,
    ln: null,
    ge: null,
    db: null,
    ct: null,
    st: null,
    zp: null,
    country: sha256('us'),
    external_id: sha256(customerId),
    fbp: `fb.1.${updatedAt}.${index}`,
    fbc: null,
    client_ip_address: null,
    client_user_agent: null,
    identifiers_updated_at: updatedAt,
    trait_lifetime_value: lifetimeValue,
    trait_lifetime_value_at: updatedAt,
    trait_orders_count: ordersCount,
    trait_orders_count_at: updatedAt,
    lifetime_value: lifetimeValue,
    orders_count: ordersCount,
    last_order_at: lastOrderAt,
    updated_at: updatedAt,
    vip_qualified_at: isVip ? updatedAt : null,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function round2(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** A small seeded generator (mulberry32): the same seed gives the same profiles on any machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
