import type { Kysely } from 'kysely';
import type { UserData } from '../meta/types';
import { connect } from './connect';
import type { ConnectOptions } from './connect';
import { invalidInput } from './errors';
import { toIdentifierRow } from './identifiers';
import { migrateToLatest } from './migrations';
import {
  insertOrder,
  recomputeTotals,
  storeOrderTraits,
  toProfile,
  upsertIdentifiers,
} from './profile-writes';
import type { Database } from './schema';
import { toEpochMs } from './time';
import { readOrderTraits } from './traits';
import { DEFAULT_TRAIT_NAMES } from './types';
import type {
  ApplyResult,
  Delivery,
  DeliveryKey,
  IdentifyUpdate,
  OrderUpdate,
  Profile,
  ProfileStore,
  SignalKey,
  SignalRecord,
  StoreEngine,
  TraitNames,
} from './types';
import { fromIdentifierRow } from './identifiers';

export interface ProfileStoreOptions extends ConnectOptions {
  /** Identify trait names that carry order totals. @default DEFAULT_TRAIT_NAMES */
  traitNames?: Partial<TraitNames>;
  /**
   * Lifetime value, in the store's currency, at which a profile becomes VIP and its VIP time is
   * recorded. Pass the signals config's `vip.threshold`. @default undefined: no VIP times
   */
  vipThreshold?: number;
}

/** Rows per INSERT when recording many signals; well under both engines' parameter limits. */
const SIGNAL_BATCH_SIZE = 500;
const MAX_ID_LENGTH = 512;

/**
 * Opens the profile store and runs its migrations. PostgreSQL when `databaseUrl` is set, else
 * SQLite at `sqlitePath`. Safe to call from several processes at once.
 */
export async function openProfileStore(options: ProfileStoreOptions = {}): Promise<ProfileStore> {
  if (
    options.vipThreshold !== undefined &&
    !(Number.isFinite(options.vipThreshold) && options.vipThreshold > 0)
  ) {
    throw invalidInput(
      'vipThreshold',
      `invalid threshold ${options.vipThreshold}: expected a positive amount`,
    );
  }

  const connection = connect(options);
  try {
    await connection.migrate((migrateOptions) =>
      migrateToLatest(connection.db as Kysely<unknown>, migrateOptions),
    );
  } catch (error) {
    await connection.db.destroy();
    throw error;
  }
  return new SqlProfileStore(connection.engine, connection.db, options);
}

class SqlProfileStore implements ProfileStore {
  readonly vipThreshold: number | undefined;
  private readonly traitNames: TraitNames;

  constructor(
    readonly engine: StoreEngine,
    readonly db: Kysely<Database>,
    options: ProfileStoreOptions,
  ) {
    this.vipThreshold = options.vipThreshold;
    this.traitNames = { ...DEFAULT_TRAIT_NAMES, ...options.traitNames };
  }

  async applyIdentify(update: IdentifyUpdate): Promise<Profile> {
    const customerId = checkId(update.customerId, 'customerId');
    const at = toEpochMs(update.at, 'at');
    const identifiers = toIdentifierRow(update.userData);
    const traits = readOrderTraits(update.traits, this.traitNames);

    return this.db.transaction().execute(async (trx) => {
      await upsertIdentifiers(trx, customerId, identifiers, at);
      await storeOrderTraits(trx, customerId, traits, at);
      return recomputeTotals(trx, customerId, at, this.vipThreshold);
    });
  }

  async applyOrder(update: OrderUpdate): Promise<ApplyResult> {
    const customerId = checkId(update.customerId, 'customerId');
    const orderId = checkId(update.orderId, 'orderId');
    const at = toEpochMs(update.at, 'at');
    const identifiers = toIdentifierRow(update.userData);
    if (!Number.isFinite(update.orderValue) || update.orderValue < 0) {
      throw invalidInput(
        'orderValue',
        `invalid order value ${String(update.orderValue)}: expected a number of 0 or more`,
      );
    }

    return this.db.transaction().execute(async (trx) => {
      await upsertIdentifiers(trx, customerId, identifiers, at);
      const counted = await insertOrder(trx, {
        orderId,
        customerId,
        orderValue: update.orderValue,
        at,
      });
      const profile = await recomputeTotals(trx, customerId, at, this.vipThreshold);
      return { counted, profile };
    });
  }

  async getProfile(customerId: string): Promise<Profile | undefined> {
    const row = await this.db
      .selectFrom('profiles')
      .selectAll()
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    return row === undefined ? undefined : toProfile(row);
  }

  async getUserData(customerId: string): Promise<UserData | undefined> {
    const row = await this.db
      .selectFrom('profiles')
      .selectAll()
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    return row === undefined ? undefined : fromIdentifierRow(row);
  }

  async recordDelivery(delivery: Delivery): Promise<void> {
    await this.db
      .insertInto('deliveries')
      .values({
        pixel_id: delivery.pixelId,
        event_name: delivery.eventName,
        event_id: delivery.eventId,
        status: delivery.status,
        fbtrace_id: delivery.fbtraceId ?? null,
        sent_at: delivery.sentAt,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['pixel_id', 'event_name', 'event_id'])
          .doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            fbtrace_id: eb.ref('excluded.fbtrace_id'),
            sent_at: eb.ref('excluded.sent_at'),
          }))
          .where((eb) => eb('excluded.sent_at', '>=', eb.ref('deliveries.sent_at'))),
      )
      .execute();
  }

  async findDelivery(key: DeliveryKey): Promise<Delivery | undefined> {
    const row = await this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('pixel_id', '=', key.pixelId)
      .where('event_name', '=', key.eventName)
      .where('event_id', '=', key.eventId)
      .executeTakeFirst();
    if (row === undefined) return undefined;

    return {
      pixelId: row.pixel_id,
      eventName: row.event_name,
      eventId: row.event_id,
      status: row.status,
      ...(row.fbtrace_id === null ? {} : { fbtraceId: row.fbtrace_id }),
      sentAt: Number(row.sent_at),
    };
  }

  async markSignalSent(record: SignalRecord): Promise<boolean> {
    return (await this.markSignalsSent([record])) === 1;
  }

  async markSignalsSent(records: SignalRecord[]): Promise<number> {
    let inserted = 0;
    for (let start = 0; start < records.length; start += SIGNAL_BATCH_SIZE) {
      const batch = records.slice(start, start + SIGNAL_BATCH_SIZE);
      const rows = await this.db
        .insertInto('signals_sent')
        .values(
          batch.map((record) => ({
            signal: record.signal,
            customer_id: record.customerId,
            period: record.period,
            event_id: record.eventId,
            status: record.status,
            sent_at: record.sentAt,
          })),
        )
        .onConflict((conflict) => conflict.columns(['signal', 'customer_id', 'period']).doNothing())
        .returning('signal')
        .execute();
      inserted += rows.length;
    }
    return inserted;
  }

  async isSignalSent(key: SignalKey): Promise<boolean> {
    const row = await this.db
      .selectFrom('signals_sent')
      .select('event_id')
      .where('signal', '=', key.signal)
      .where('customer_id', '=', key.customerId)
      .where('period', '=', key.period)
      .executeTakeFirst();
    return row !== undefined;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidInput(field, `missing ${field}: expected a non-empty string`);
  }
  if (value.length > MAX_ID_LENGTH) {
    throw invalidInput(
      field,
      `${field} is ${value.length} characters long: at most ${MAX_ID_LENGTH} are accepted`,
    );
  }
  return value;
}
