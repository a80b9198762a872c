/*
 * Signal scan over synthetic profiles, on SQLite and on PostgreSQL. It inserts the profiles, then
 * runs the scan's page activity over every enabled signal twice. The first scan is the one after
 * the signals are turned on: most candidates qualified long ago, so it records them as skipped.
 * The second is the steady-state scan, which finds only the candidates still within Meta's window. Starting the conversions is not part of it: that is
 * the conversion workflow's cost, measured by bench/run.ts. Prints one JSON line on stdout.
 *
 *   npm run build && node dist/bench/signals-scan.js [--profiles 1000000]
 *     [--engines sqlite,postgres] [--page-size 500] [--threshold 1000] [--windows 30,60]
 *
 * PostgreSQL is read from BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test; the
 * run uses a fresh schema and drops it at the end. SQLite uses a file in the system temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Pool } from 'pg';
import { createSignalActivities, type SignalActivities } from '../src/activities/signals';
import { createLogger } from '../src/logging';
import { insertSyntheticProfiles, openProfileStore, type ProfileStore } from '../src/profiles';
import { parseSignalsConfig, type SignalsConfig } from '../src/signals';

interface BenchOptions {
  profiles: number;
  engines: Array<'sqlite' | 'postgres'>;
  pageSize: number;
  threshold: number;
  windows: number[];
}

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const NOW = Date.parse('2026-12-01T12:00:00Z');

function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    profiles: 1_000_000,
    engines: ['sqlite', 'postgres'],
    pageSize: 500,
    threshold: 1000,
    windows: [30, 60],
  };
  for (let index = 0; index < argv.length; index += 2) {
    const [name, value] = [argv[index], argv[index + 1] ?? ''];
    if (name === '--profiles') options.profiles = Number(value);
    else if (name === '--engines') options.engines = value.split(',') as BenchOptions['engines'];
    else if (name === '--page-size') options.pageSize = Number(value);
    else if (name === '--threshold') options.threshold = Number(value);
    else if (name === '--windows') options.windows = value.split(',').map(Number);
    else {
      throw new Error(
        `unknown option ${name}: expected --profiles, --engines, --page-size, --threshold or --windows`,
      );
    }
  }
  for (const engine of options.engines) {
    if (engine !== 'sqlite' && engine !== 'postgres') {
      throw new Error(`invalid --engines entry "${String(engine)}": expected sqlite or postgres`);
    }
  }
  return options;
}

interface ScanMeasure {
  ms: number;
  pages: number;
  pagesPerSecond: number;
  /** Customers the pages returned: sendable plus skipped. */
  candidates: number;
  /** Candidates within Meta's window, which would each start a conversion. */
  sendable: number;
  /** Candidates recorded as skipped: they qualified more than 7 days ago. */
  skipped: number;
}

/** Pages through every signal the way the scan workflow does, without starting conversions. */
async function scan(activities: SignalActivities, pageSize: number): Promise<ScanMeasure> {
  const plan = await activities.planSignalScan();
  const started = performance.now();
  const measure = { pages: 0, candidates: 0, sendable: 0, skipped: 0 };

  for (const signal of plan.signals) {
    let after: string | undefined;
    do {
      const page = await activities.scanSignalCandidates({
        signal,
        after,
        limit: pageSize,
        now: plan.now,
      });
      measure.pages += 1;
      measure.sendable += page.calls.length;
      measure.skipped += page.skipped;
      measure.candidates += page.calls.length + page.skipped;
      after = page.nextAfter;
    } while (after !== undefined);
  }

  const ms = performance.now() - started;
  return { ms: Math.round(ms), ...measure, pagesPerSecond: round1(measure.pages / (ms / 1000)) };
}

async function benchEngine(engine: 'sqlite' | 'postgres', options: BenchOptions) {
  const config: SignalsConfig = parseSignalsConfig({
    vip: { enabled: true, threshold: options.threshold },
    winback: { enabled: true, windowsDays: options.windows },
    pageSize: options.pageSize,
  });
  const schema = `cio_capi_bench_${process.pid}`;
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cio-capi-bench-'));

  let store: ProfileStore | undefined;
  try {
    store =
      engine === 'sqlite'
        ? await openProfileStore({
            sqlitePath: path.join(folder, 'profiles.db'),
            vipThreshold: options.threshold,
          })
        : await openProfileStore({
            databaseUrl,
            postgresSchema: schema,
            vipThreshold: options.threshold,
          });

    const insertStarted = performance.now();
    await insertSyntheticProfiles(store, { count: options.profiles, now: NOW });
    const insertMs = performance.now() - insertStarted;

    const activities = createSignalActivities({
      store,
      config,
      pixelId: '100000000000001',
      clock: () => new Date(NOW),
      logger: createLogger('bench', 'warn'),
    });
    // Without fresh statistics after the first scan's skip records, PostgreSQL picks a plan that
    // reads all of signals_sent for each page. Autovacuum analyzes a table some time after a bulk
    // change, so the bench runs ANALYZE itself rather than wait for it.
    const analyze = async () => {
      if (engine === 'postgres') await sql`analyze`.execute(store!.db);
    };
    await analyze();
    const firstScan = await scan(activities, options.pageSize);
    await analyze();
    const steadyScan = await scan(activities, options.pageSize);

    return {
      engine,
      insertMs: Math.round(insertMs),
      insertRowsPerSecond: Math.round(options.profiles / (insertMs / 1000)),
      firstScan,
      steadyScan,
      // maxRSS is the process's peak so far, in KiB: it includes the engines run before.
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await store?.close();
    rmSync(folder, { recursive: true, force: true });
    if (engine === 'postgres') await dropSchema(databaseUrl, schema);
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await pool.end();
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

async function run(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
  };

  const results = [];
  for (const engine of options.engines) results.push(await benchEngine(engine, options));
  process.stdout.write(
    `${JSON.stringify({
      bench: 'signals-scan',
      profiles: options.profiles,
      pageSize: options.pageSize,
      threshold: options.threshold,
      windows: options.windows,
      machine,
      results,
    })}\n`,
  );
}

run().catch((error: unknown) => {
  process.stderr.write(`signals-scan: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
