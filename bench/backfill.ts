/*
 * Backfill throughput: generated historical calls through the batched path (`cio-capi backfill`:
 * map, spool, one request per 1,000 events) and through the per-event path (ingest, one
 * conversion workflow and one request per event), against the Meta emulator at each latency.
 * Prints one JSON line per run on stdout.
 *
 *   npm run build && node dist/bench/backfill.js [--events 100000] [--per-event 2000]
 *     [--latency 0,150] [--seed 1]
 *
 * It starts a Temporal dev server per run unless TEMPORAL_ADDRESS is set. The machine and its
 * 1-minute load average at the start of each run are part of each line.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareBackfill } from '../src/backfill/prepare';
import { runBackfill } from '../src/backfill/run';
import { loadMappingConfig } from '../src/config/mapping';
import { startStack, type Stack } from '../src/demo/stack';
import { awaitConversions, postCalls } from '../src/demo/traffic';
import { generateHistorical } from '../src/generator';
import { createLogger } from '../src/logging';
import { ensureTemporalCli } from '../src/temporal/binary';
import { startDevServer, type DevServer } from '../src/temporal/dev-server';
import { installTemporalLogging } from '../src/temporal/runtime';

interface BenchOptions {
  /** Calls sent through the batched path. @default 100000 */
  events: number;
  /** Calls sent through the per-event path, whose rate is then extrapolated. @default 2000 */
  perEvent: number;
  /** Emulator latencies to run, in milliseconds. @default [0, 150] */
  latencies: number[];
  seed: number;
}

function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = { events: 100_000, perEvent: 2_000, latencies: [0, 150], seed: 1 };
  for (let index = 0; index < argv.length; index += 2) {
    const [name, value] = [argv[index], argv[index + 1] ?? ''];
    if (name === '--events') options.events = Number(value);
    else if (name === '--per-event') options.perEvent = Number(value);
    else if (name === '--latency') options.latencies = value.split(',').map(Number);
    else if (name === '--seed') options.seed = Number(value);
    else
      throw new Error(
        `unknown option ${name}: expected --events, --per-event, --latency or --seed`,
      );
  }
  return options;
}

/** Writes generated historical calls as NDJSON, 1,000 lines per write, and returns the path. */
function writeCalls(folder: string, seed: number, events: number, end: Date): string {
  const file = path.join(folder, `calls-${seed}-${events}.ndjson`);
  const fd = openSync(file, 'w');
  let buffer = '';
  let lines = 0;
  for (const call of generateHistorical({ seed, events, end })) {
    buffer += `${JSON.stringify(call.body)}\n`;
    lines += 1;
    if (lines % 1000 === 0) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
  return file;
}

async function benchBatched(
  stack: Stack,
  folder: string,
  options: BenchOptions,
  latencyMs: number,
  seed: number,
) {
  const file = writeCalls(folder, seed, options.events, new Date());
  const started = performance.now();
  const prepared = await prepareBackfill({
    file,
    pixelId: stack.settings.meta.pixelId,
    config: { mapping: loadMappingConfig(undefined), identity: { defaultCountry: 'US' } },
    now: new Date(),
    spoolRoot: path.join(folder, 'spool'),
  });
  const prepareMs = performance.now() - started;
  const run = await runBackfill(prepared, {
    client: stack.starter.client,
    taskQueue: stack.settings.temporal.taskQueue,
  });
  const totalMs = performance.now() - started;
  const sendMs = totalMs - prepareMs;
  const emulator = stack.emulator.store.summary();

  return {
    bench: 'backfill',
    path: 'batched',
    latencyMs,
    events: prepared.mapping.mapped,
    sent: run.progress.sent,
    requests: emulator.requests,
    acceptedByEmulator: emulator.acceptedEvents,
    prepareMs: Math.round(prepareMs),
    sendMs: Math.round(sendMs),
    totalMs: Math.round(totalMs),
    eventsPerSecond: Math.round(run.progress.sent / (totalMs / 1000)),
    sendEventsPerSecond: Math.round(run.progress.sent / (sendMs / 1000)),
  };
}

async function benchPerEvent(stack: Stack, options: BenchOptions, latencyMs: number, seed: number) {
  stack.emulator.store.reset();
  const bodies: unknown[] = [];
  for (const call of generateHistorical({
    seed,
    events: options.perEvent,
    end: new Date(),
  })) {
    bodies.push(call.body);
  }
  const started = performance.now();
  const results = await postCalls(stack, bodies, { batchSize: 100 });
  const ids = results.flatMap((result) => (result.workflowId ? [result.workflowId] : []));
  const ends = await awaitConversions(stack.starter.client, ids, 256);
  const totalMs = performance.now() - started;
  const sent = ends.filter((end) => end.status === 'sent').length;
  const eventsPerSecond = sent / (totalMs / 1000);

  return {
    bench: 'backfill',
    path: 'per-event',
    latencyMs,
    events: options.perEvent,
    sent,
    requests: stack.emulator.store.summary().requests,
    totalMs: Math.round(totalMs),
    eventsPerSecond: Math.round(eventsPerSecond),
    // An extrapolation from the measured rate, not a measurement.
    extrapolatedTo: options.events,
    extrapolatedTotalMs: Math.round((options.events / eventsPerSecond) * 1000),
  };
}

/**
 * Runs each path at each latency on its own Temporal dev server, so no workflow id of one run
 * (such as an order id both runs generate) makes another run's conversion a duplicate.
 */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  installTemporalLogging(createLogger('temporal', 'error'), 'ERROR');
  const cliPath = process.env.TEMPORAL_ADDRESS
    ? undefined
    : await ensureTemporalCli({ projectRoot: process.cwd() });
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    loadAverage1m: 0,
  };

  let runIndex = 0;
  for (const latencyMs of options.latencies) {
    for (const run of ['batched', 'per-event'] as const) {
      runIndex += 1;
      const seed = options.seed * 100 + runIndex;
      const devServer: DevServer | undefined = cliPath
        ? await startDevServer({ cliPath })
        : undefined;
      const folder = mkdtempSync(path.join(os.tmpdir(), 'cio-capi-bench-backfill-'));
      const stack = await startStack({
        temporalAddress: devServer?.address ?? process.env.TEMPORAL_ADDRESS!,
        taskQueue: `bench-backfill-${run}-${latencyMs}-${Date.now()}`,
        emulatorLatencyMs: latencyMs,
        logLevel: 'error',
      });
      try {
        machine.loadAverage1m = Number(os.loadavg()[0]!.toFixed(2));
        const result =
          run === 'batched'
            ? await benchBatched(stack, folder, options, latencyMs, seed)
            : await benchPerEvent(stack, options, latencyMs, seed);
        process.stdout.write(`${JSON.stringify({ ...result, seed, ...machine })}\n`);
      } finally {
        await stack.stop();
        await devServer?.stop();
        rmSync(folder, { recursive: true, force: true });
      }
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/backfill: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
