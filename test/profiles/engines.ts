import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { openProfileStore } from '../../src/profiles';
import type { ProfileStore, ProfileStoreOptions } from '../../src/profiles';

/*
 * The store tests run on both engines. SQLite uses a temporary file per store; PostgreSQL uses
 * the server at 127.0.0.1:5432 (database `test`, trust auth) with a fresh schema per store,
 * because other test runs share that database. Every schema made here is dropped in `dispose`.
 */

const POSTGRES_CANDIDATES = [
  ...(process.env.TEST_DATABASE_URL ? [process.env.TEST_DATABASE_URL] : []),
  'postgres://postgres@127.0.0.1:5432/test',
  'postgres://root@127.0.0.1:5432/test',
];

/** Where a store lives, so a test can open a second store on the same data. */
export interface StoreLocation {
  sqlitePath?: string;
  databaseUrl?: string;
  postgresSchema?: string;
}

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** Why this engine's tests are skipped; undefined when they run. */
  skipReason?: string;
  /** A new, empty location. */
  newLocation(): StoreLocation;
  open(location: StoreLocation, options?: ProfileStoreOptions): Promise<ProfileStore>;
  /** Removes every location this engine made. */
  dispose(): Promise<void>;
}

function findPostgresUrl(): string | undefined {
  // Jest collects tests synchronously, so the reachability check runs in a child process.
  const script = `
    const { Client } = require('pg');
    (async () => {
      for (const url of ${JSON.stringify(POSTGRES_CANDIDATES)}) {
        const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
        try { await client.connect(); await client.end(); process.stdout.write(url); return; }
        catch { await client.end().catch(() => {}); }
      }
    })();`;
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
    timeout: 10_000,
  });
  const url = result.stdout.trim();
  return url === '' ? undefined : url;
}

function sqliteEngine(): TestEngine {
  const folders: string[] = [];
  return {
    name: 'sqlite',
    newLocation() {
      const folder = mkdtempSync(join(tmpdir(), 'cio-capi-profiles-'));
      folders.push(folder);
      return { sqlitePath: join(folder, 'nested', 'profiles.db') };
    },
    open: (location, options) => openProfileStore({ ...options, ...location }),
    dispose() {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function postgresEngine(url: string | undefined): TestEngine {
  const schemas: string[] = [];
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  if (url === undefined && process.env.CI) {
    // CI provides PostgreSQL, so a missing server there is a failure, not a reason to skip.
    throw new Error(`PostgreSQL is unreachable in CI: tried ${POSTGRES_CANDIDATES.join(', ')}`);
  }
  return {
    name: 'postgres',
    skipReason:
      url === undefined
        ? `PostgreSQL tests skipped: no server accepted ${POSTGRES_CANDIDATES.join(' or ')}`
        : undefined,
    newLocation() {
      const schema = `cio_capi_test_${runId}_${schemas.length}`;
      schemas.push(schema);
      return { databaseUrl: url, postgresSchema: schema };
    },
    open: (location, options) => openProfileStore({ ...options, ...location }),
    async dispose() {
      if (url === undefined || schemas.length === 0) return;
      const pool = new Pool({ connectionString: url, max: 1 });
      try {
        for (const schema of schemas) await pool.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await pool.end();
      }
    },
  };
}

/** Both engines; PostgreSQL carries a skip reason when its server is unreachable. */
export function testEngines(): TestEngine[] {
  return [sqliteEngine(), postgresEngine(findPostgresUrl())];
}

/**
 * Declares `body` once per engine, skipping PostgreSQL with a message when it is unreachable.
 * `body` gets a function that opens a fresh store, closed and removed after the suite.
 */
export function describeEachEngine(
  title: string,
  body: (
    open: (options?: ProfileStoreOptions) => Promise<ProfileStore>,
    engine: TestEngine,
  ) => void,
): void {
  for (const engine of testEngines()) {
    const describeEngine = engine.skipReason === undefined ? describe : describe.skip;
    if (engine.skipReason !== undefined) console.warn(engine.skipReason);

    describeEngine(`${title} (${engine.name})`, () => {
      const opened: ProfileStore[] = [];
      const open = async (options?: ProfileStoreOptions): Promise<ProfileStore> => {
        const store = await engine.open(engine.newLocation(), options);
        opened.push(store);
        return store;
      };

      afterAll(async () => {
        for (const store of opened) await store.close();
        await engine.dispose();
      });

      body(open, engine);
    });
  }
}
