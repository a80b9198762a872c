import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool, types } from 'pg';
import { invalidInput } from './errors';
import type { MigrateOptions } from './migrations';
import { withSqliteWriteLock } from './sqlite-lock';
import type { Database } from './schema';
import { STORE_ENGINES } from './types';
import type { StoreEngine } from './types';

export interface ConnectOptions {
  /** PostgreSQL connection URL; when set, the store uses PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** SQLite file, created with its parent folder when missing. @default .cio-capi/profiles.db */
  sqlitePath?: string;
  /**
   * PostgreSQL schema that contains the tables, created when missing. Tests use one per run.
   * @default public
   */
  postgresSchema?: string;
  /** Maximum number of PostgreSQL connections the store opens at once. @default 10 */
  postgresPoolSize?: number;
  /** How long a SQLite write waits for another process's write to finish, in ms. @default 5000 */
  sqliteBusyTimeoutMs?: number;
}

export interface Connection {
  engine: StoreEngine;
  db: Kysely<Database>;
  /** The schema that contains kysely's migration tables; undefined on SQLite. */
  postgresSchema?: string;
  /** Runs the migrations under a lock that other processes respect; see `migrateToLatest`. */
  migrate(run: (options: MigrateOptions) => Promise<string[]>): Promise<string[]>;
}

export const DEFAULT_SQLITE_PATH = '.cio-capi/profiles.db';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;
/** How long a SQLite store waits for another process to finish migrating, in ms. */
const MIGRATION_LOCK_TIMEOUT_MS = 60_000;

/** Opens the store's database: PostgreSQL when a URL is given, else SQLite in WAL mode. */
export function connect(options: ConnectOptions): Connection {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    return connectPostgres(options.databaseUrl, options);
  }
  return connectSqlite(options.sqlitePath ?? DEFAULT_SQLITE_PATH, options);
}

/** The SQLite path of a database that lives in memory and ends with the process. */
export const SQLITE_IN_MEMORY = ':memory:';

function connectSqlite(path: string, options: ConnectOptions): Connection {
  let file = path;
  if (path !== SQLITE_IN_MEMORY) {
    file = resolve(path);
    mkdirSync(dirname(file), { recursive: true });
  }

  const database = new BetterSqlite3(file);
  // WAL lets the scans read while the worker writes. busy_timeout makes a second process wait
  // for the write lock instead of failing at once with SQLITE_BUSY.
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${Math.trunc(options.sqliteBusyTimeoutMs ?? 5000)}`);
  database.pragma('synchronous = NORMAL');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    engine: STORE_ENGINES.sqlite,
    db,
    // The outer BEGIN IMMEDIATE is the transaction, so kysely must not open its own inside it.
    migrate: (run) =>
      withSqliteWriteLock(database, MIGRATION_LOCK_TIMEOUT_MS, () =>
        run({ disableTransactions: true }),
      ),
  };
}

const readInt8AsNumber = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID
    ? (value: string) => Number(value)
    : types.getTypeParser(oid, format)) as typeof types.getTypeParser;

function connectPostgres(url: string, options: ConnectOptions): Connection {
  const schema = options.postgresSchema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw invalidInput(
      'postgresSchema',
      `invalid schema name "${schema}": expected lowercase letters, digits and underscores`,
    );
  }

  const pool = new Pool({
    connectionString: url,
    max: options.postgresPoolSize ?? 10,
    // Every connection resolves the unqualified table names in the store's schema.
    options: `-c search_path=${schema}`,
    // Times are epoch ms in bigint columns, which pg returns as strings by default. Epoch ms stay
    // far below 2^53, so reading them as numbers loses nothing.
    types: { getTypeParser: readInt8AsNumber },
  });

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: STORE_ENGINES.postgres,
    db,
    postgresSchema: schema,
    // kysely's Migrator holds a PostgreSQL advisory lock while it migrates.
    migrate: (run) => run({ migrationTableSchema: schema }),
  };
}
