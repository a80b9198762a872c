import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { PROFILE_ERROR_CODES, ProfileStoreError } from './errors';
import { IDENTIFIER_COLUMNS } from './identifiers';

/*
 * Migrations live in code, not in files on disk, so the compiled build runs them without a
 * migrations folder next to it. Names sort in the order they run; never rename or edit a
 * migration that has shipped, add a new one instead.
 */
const migrations: Record<string, Migration> = {
  '0001_profile_store': {
    async up(db: Kysely<unknown>): Promise<void> {
      let profiles = db.schema
        .createTable('profiles')
        .addColumn('customer_id', 'text', (col) => col.primaryKey());
      for (const column of IDENTIFIER_COLUMNS) {
        profiles = profiles.addColumn(column, 'text');
      }
      await profiles
        .addColumn('identifiers_updated_at', 'bigint')
        .addColumn('trait_lifetime_value', 'double precision')
        .addColumn('trait_lifetime_value_at', 'bigint')
        .addColumn('trait_orders_count', 'integer')
        .addColumn('trait_orders_count_at', 'bigint')
        .addColumn('lifetime_value', 'double precision', (col) => col.notNull().defaultTo(0))
        .addColumn('orders_count', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('last_order_at', 'bigint')
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addColumn('vip_qualified_at', 'bigint')
        .execute();

      // The signal scans walk customers in customer_id order. These partial indexes contain only
      // the rows each scan can return, so a page skips customers without orders or VIP status.
      await db.schema
        .createIndex('profiles_vip_scan')
        .on('profiles')
        .column('customer_id')
        .where(sql.ref('vip_qualified_at'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('profiles_winback_scan')
        .on('profiles')
        .columns(['customer_id', 'last_order_at'])
        .where(sql.ref('last_order_at'), 'is not', null)
        .execute();

      await db.schema
        .createTable('orders')
        .addColumn('order_id', 'text', (col) => col.primaryKey())
        .addColumn('customer_id', 'text', (col) => col.notNull())
        .addColumn('order_value', 'double precision', (col) => col.notNull())
        .addColumn('ordered_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('orders_by_customer')
        .on('orders')
        .columns(['customer_id', 'ordered_at'])
        .execute();

      await db.schema
        .createTable('signals_sent')
        .addColumn('signal', 'text', (col) => col.notNull())
        .addColumn('customer_id', 'text', (col) => col.notNull())
        .addColumn('period', 'text', (col) => col.notNull())
        .addColumn('event_id', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('sent_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('signals_sent_pkey', ['signal', 'customer_id', 'period'])
        .execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('pixel_id', 'text', (col) => col.notNull())
        .addColumn('event_name', 'text', (col) => col.notNull())
        .addColumn('event_id', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('fbtrace_id', 'text')
        .addColumn('sent_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('deliveries_pkey', ['pixel_id', 'event_name', 'event_id'])
        .execute();
    },
  },
  '0002_rejected_calls': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Calls the ingest server rejected, sealed, kept for an operator to read and replay.
      await db.schema
        .createTable('rejected_calls')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('received_at', 'bigint', (col) => col.notNull())
        .addColumn('route', 'text', (col) => col.notNull())
        .addColumn('request_id', 'text', (col) => col.notNull())
        .addColumn('message_id', 'text')
        .addColumn('errors', 'text', (col) => col.notNull())
        .addColumn('call', 'text')
        .execute();
      await db.schema
        .createIndex('rejected_calls_by_time')
        .on('rejected_calls')
        .column('received_at')
        .execute();
    },
  },
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

export interface MigrateOptions {
  /** Schema of kysely's own migration tables (PostgreSQL); unset on SQLite. */
  migrationTableSchema?: string;
  /** Set when the caller has already opened a transaction around the migrations (SQLite). */
  disableTransactions?: boolean;
}

/**
 * Brings the schema up to date. Running it again is a no-op. On PostgreSQL, kysely's Migrator
 * holds a session advisory lock while it migrates, so two processes starting at once run each
 * migration once. On SQLite the caller holds the write lock instead (see `withSqliteWriteLock`).
 *
 * @returns the names of the migrations this call ran, empty when the schema was current.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  options: MigrateOptions = {},
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableSchema: options.migrationTableSchema,
    disableTransactions: options.disableTransactions,
  });
  const { error, results } = await migrator.migrateToLatest();

  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const name = failed?.migrationName ?? 'the migration setup';
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProfileStoreError(
      PROFILE_ERROR_CODES.migrationFailed,
      `profile store migration failed at ${name}: ${reason}`,
      undefined,
      { cause: error },
    );
  }
  return (results ?? []).map((result) => result.migrationName);
}
