import { sql } from 'kysely';
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import { IDENTIFIER_COLUMNS, fromIdentifierRow } from './identifiers';
import type { IdentifierRow } from './identifiers';
import type { Database, ProfilesTable } from './schema';
import type { OrderTraits } from './traits';
import type { Profile } from './types';

/*
 * Every write follows the same steps inside one transaction:
 * 1. Upsert the profile's identifiers. On PostgreSQL, ON CONFLICT DO UPDATE locks the row until
 *    commit, so concurrent writes to one customer queue here; SQLite has a single writer anyway.
 * 2. Record the new facts (an order row, trait values, the last order time), each guarded by the
 *    source time of what is stored, so an older write never replaces a newer one.
 * 3. Recompute the totals from the stored facts, in a new statement that reads every committed
 *    order, and set or clear the VIP time.
 */

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Step 1. Identifiers form one field group guarded by identifiers_updated_at: a newer write
 * replaces the columns it carries, and an older write only fills columns that are still empty.
 */
export async function upsertIdentifiers(
  db: Db,
  customerId: string,
  identifiers: IdentifierRow,
  at: number,
): Promise<void> {
  const carriesIdentifiers = IDENTIFIER_COLUMNS.some((column) => identifiers[column] !== null);
  const isNewer = sql<boolean>`excluded.identifiers_updated_at >= coalesce(profiles.identifiers_updated_at, -1)`;

  const set: Record<string, RawBuilder<unknown>> = {};
  for (const column of IDENTIFIER_COLUMNS) {
    const incoming = sql.ref(`excluded.${column}`);
    const stored = sql.ref(`profiles.${column}`);
    set[column] =
      sql`case when ${isNewer} then coalesce(${incoming}, ${stored}) else coalesce(${stored}, ${incoming}) end`;
  }
  set.identifiers_updated_at = sql`case when ${isNewer} then excluded.identifiers_updated_at else profiles.identifiers_updated_at end`;
  set.updated_at = sql`case when excluded.updated_at > profiles.updated_at then excluded.updated_at else profiles.updated_at end`;

  await db
    .insertInto('profiles')
    .values({
      customer_id: customerId,
      ...identifiers,
      // A write without identifiers leaves the group's time alone: NULL never compares newer.
      identifiers_updated_at: carriesIdentifiers ? at : null,
      lifetime_value: 0,
      orders_count: 0,
      updated_at: at,
    })
    .onConflict((conflict) => conflict.column('customer_id').doUpdateSet(set))
    .execute();
}

/** Step 2 for identify: each trait is its own field group with its own source time. */
export async function storeOrderTraits(
  db: Db,
  customerId: string,
  traits: OrderTraits,
  at: number,
): Promise<void> {
  if (traits.lifetimeValue !== undefined) {
    await db
      .updateTable('profiles')
      .set({ trait_lifetime_value: traits.lifetimeValue, trait_lifetime_value_at: at })
      .where('customer_id', '=', customerId)
      .where((eb) =>
        eb.or([eb('trait_lifetime_value_at', 'is', null), eb('trait_lifetime_value_at', '<=', at)]),
      )
      .execute();
  }
  if (traits.ordersCount !== undefined) {
    await db
      .updateTable('profiles')
      .set({ trait_orders_count: traits.ordersCount, trait_orders_count_at: at })
      .where('customer_id', '=', customerId)
      .where((eb) =>
        eb.or([eb('trait_orders_count_at', 'is', null), eb('trait_orders_count_at', '<=', at)]),
      )
      .execute();
  }
  if (traits.lastOrderAt !== undefined) {
    await raiseLastOrderAt(db, customerId, traits.lastOrderAt);
  }
}

/** Step 2 for orders: inserts the order once. Returns false when the order id was already there. */
export async function insertOrder(
  db: Db,
  order: { orderId: string; customerId: string; orderValue: number; at: number },
): Promise<boolean> {
  const inserted = await db
    .insertInto('orders')
    .values({
      order_id: order.orderId,
      customer_id: order.customerId,
      order_value: order.orderValue,
      ordered_at: order.at,
    })
    .onConflict((conflict) => conflict.column('order_id').doNothing())
    .returning('order_id')
    .executeTakeFirst();
  if (inserted === undefined) return false;

  await raiseLastOrderAt(db, order.customerId, order.at);
  return true;
}

/** Raises the last order time. It only moves forward, so a late, older order never moves it back. */
async function raiseLastOrderAt(db: Db, customerId: string, lastOrderAt: number): Promise<void> {
  await db
    .updateTable('profiles')
    .set({ last_order_at: lastOrderAt })
    .where('customer_id', '=', customerId)
    .where((eb) => eb.or([eb('last_order_at', 'is', null), eb('last_order_at', '<', lastOrderAt)]))
    .execute();
}

/**
 * Step 3. A trait is a snapshot at its source time, so it already includes every order placed
 * before then: the totals are the trait plus the orders placed after it. Without a trait, every
 * order counts.
 */
export async function recomputeTotals(
  db: Db,
  customerId: string,
  at: number,
  vipThreshold: number | undefined,
): Promise<Profile> {
  const row = await db
    .selectFrom('profiles')
    .selectAll()
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();

  const valueSince = row.trait_lifetime_value_at ?? -1;
  const countSince = row.trait_orders_count_at ?? -1;
  const sums = await db
    .selectFrom('orders')
    .select([
      sql<number>`coalesce(sum(case when ordered_at > ${valueSince} then order_value else 0 end), 0)`.as(
        'value',
      ),
      sql<number>`coalesce(sum(case when ordered_at > ${countSince} then 1 else 0 end), 0)`.as(
        'count',
      ),
    ])
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();

  const lifetimeValue = (row.trait_lifetime_value ?? 0) + Number(sums.value);
  const ordersCount = (row.trait_orders_count ?? 0) + Number(sums.count);
  const vipQualifiedAt = nextVipTime(row.vip_qualified_at, lifetimeValue, at, vipThreshold);

  await db
    .updateTable('profiles')
    .set({
      lifetime_value: lifetimeValue,
      orders_count: ordersCount,
      vip_qualified_at: vipQualifiedAt,
    })
    .where('customer_id', '=', customerId)
    .execute();

  return toProfile({
    ...row,
    lifetime_value: lifetimeValue,
    orders_count: ordersCount,
    vip_qualified_at: vipQualifiedAt,
  });
}

/**
 * Returns the next VIP time, kept from the first write that reached the threshold. A profile that falls
 * below it (a refund lowered the lifetime_value trait) loses it, and a later rise sets a new one.
 */
function nextVipTime(
  current: number | null,
  lifetimeValue: number,
  at: number,
  threshold: number | undefined,
): number | null {
  if (threshold === undefined) return current;
  if (lifetimeValue < threshold) return null;
  return current ?? at;
}

export function toProfile(row: ProfilesTable): Profile {
  return {
    customerId: row.customer_id,
    userData: fromIdentifierRow(row),
    lifetimeValue: Number(row.lifetime_value),
    ordersCount: Number(row.orders_count),
    lastOrderAt: toNumberOrNull(row.last_order_at),
    updatedAt: Number(row.updated_at),
    vipQualifiedAt: toNumberOrNull(row.vip_qualified_at),
  };
}

function toNumberOrNull(value: number | null): number | null {
  return value === null ? null : Number(value);
}
