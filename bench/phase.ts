import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { LOAD_CONFIG_ENV, type LoadConfig, type LoadResult } from './load-config';
import { sampleProcess } from './proc';
import type { BenchStack } from './stack';
import { percentiles, round, type Percentiles } from './stats';

/** A phase passes while its ack p99 stays under this, in milliseconds. */
export const MAX_ACK_P99_MS = 1_000;

/** A phase passes while the work left at its end is no more than this many seconds of load. */
export const MAX_BACKLOG_SECONDS = 1;

/** Maximum wait for the work of a phase to finish after its load stops, in milliseconds. */
const DRAIN_TIMEOUT_MS = 30_000;

/** Maximum wait, before a phase, for the workflows of earlier phases to end, in milliseconds. */
const SETTLE_TIMEOUT_MS = 180_000;

export interface PhaseSpec {
  mode: LoadConfig['mode'];
  /** Calls (or starts) per second; unset for closed loop. */
  rate?: number;
  concurrency: number;
  durationMs: number;
  batchSize: number;
  /** Wait for each conversion or workflow to end; false for ingest-only phases. */
  awaitCompletion: boolean;
}

/** The processes whose CPU time a phase reads. */
export interface PhaseTargets {
  ingestUrl: string;
  ingestPid?: number;
  workerPid?: number;
  /** Lists baseline workflows; required for `baseline` phases. */
  client?: Client;
}

export interface PhaseResult {
  mode: LoadConfig['mode'];
  offeredRate?: number;
  concurrency: number;
  batchSize: number;
  durationS: number;
  requests: number;
  acked: number;
  failed: number;
  skipped: number;
  /** Acknowledged calls or starts per second. */
  ackedPerSecond: number;
  /** Acknowledgement latency of each request, in milliseconds. */
  ack: Percentiles;
  /** Conversions accepted by the emulator (or baseline workflows closed). */
  completed: number;
  /** Completions inside the load window, per second. */
  completedPerSecond: number;
  /** From the request's send to the emulator's acceptance (or the workflow's close), in ms. */
  endToEnd: Percentiles;
  /** Acknowledged work not done one second after the load stopped. */
  backlogAtEnd: number;
  /** CPU milliseconds per completed conversion (per acknowledged call in ingest-only phases). */
  cpuMsPerItem: { worker?: number; ingest?: number; temporal?: number };
  sustained: boolean;
  failures: string[];
}

/** Runs one load phase in a separate process and measures it. */
export async function runPhase(
  stack: BenchStack,
  targets: PhaseTargets,
  spec: PhaseSpec,
  tag: string,
  seed: number,
): Promise<PhaseResult> {
  const folder = mkdtempSync(path.join(tmpdir(), 'cio-capi-bench-'));
  const resultPath = path.join(folder, 'load.json');
  const config: LoadConfig = {
    mode: spec.mode,
    ingestUrl: targets.ingestUrl,
    ingestSecret: stack.ingestSecret,
    temporalAddress: stack.temporal.address,
    taskQueue: stack.taskQueue,
    rate: spec.rate,
    concurrency: spec.concurrency,
    durationMs: spec.durationMs,
    batchSize: spec.batchSize,
    seed,
    tag,
    resultPath,
  };

  // A failed phase leaves a backlog, which would slow the next phase down.
  if (spec.awaitCompletion && targets.client) await settle(targets.client);
  const acceptedBefore = stack.emulator.store.events().length;
  const cpuBefore = readCpu(stack, targets);
  await runLoadProcess(config);
  const load = JSON.parse(readFileSync(resultPath, 'utf8')) as LoadResult;
  rmSync(folder, { recursive: true, force: true });

  const completions = spec.awaitCompletion
    ? await awaitCompletions(stack, targets, spec, load, acceptedBefore, tag)
    : new Map<string, number>();
  const cpuAfter = readCpu(stack, targets);
  return summarize(spec, load, completions, cpuBefore, cpuAfter);
}

function runLoadProcess(config: LoadConfig): Promise<void> {
  const script = path.join(__dirname, 'load.js');
  // The config travels in the environment, because a command line (with the ingest secret) is
  // readable by every user in `ps`.
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, [LOAD_CONFIG_ENV]: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const limitMs = config.durationMs + 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      if (code === 0) resolve();
      else reject(new Error(`the load process exited with code ${String(code)}`));
    });
  });
}

/** Waits until every acknowledged item is done or the drain timeout passes; returns end times. */
async function awaitCompletions(
  stack: BenchStack,
  targets: PhaseTargets,
  spec: PhaseSpec,
  load: LoadResult,
  acceptedBefore: number,
  tag: string,
): Promise<Map<string, number>> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  const expected = load.sendTimes.length;

  if (spec.mode === 'calls') {
    while (Date.now() < deadline) {
      if (stack.emulator.store.events().length - acceptedBefore >= expected) break;
      await sleep(200);
    }
    const ends = new Map<string, number>();
    for (const event of stack.emulator.store.events().slice(acceptedBefore)) {
      if (!ends.has(event.eventId)) ends.set(event.eventId, Date.parse(event.receivedAt));
    }
    return ends;
  }

  const client = targets.client!;
  const running = `WorkflowType="baselineWorkflow" AND ExecutionStatus="Running"`;
  while (Date.now() < deadline) {
    const { count } = await client.workflow.count(running);
    if (count === 0) break;
    await sleep(500);
  }
  const ends = new Map<string, number>();
  const closed = `WorkflowType="baselineWorkflow" AND ExecutionStatus="Completed"`;
  for await (const info of client.workflow.list({ query: closed })) {
    if (info.workflowId.startsWith(`${tag}-`) && info.closeTime) {
      ends.set(info.workflowId, info.closeTime.getTime());
    }
  }
  return ends;
}

/** Waits until no workflow runs, or SETTLE_TIMEOUT_MS has passed. */
async function settle(client: Client): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const { count } = await client.workflow.count('ExecutionStatus="Running"');
    if (count === 0) return;
    await sleep(1_000);
  }
  process.stderr.write(`workflows still running after ${SETTLE_TIMEOUT_MS} ms; measuring anyway\n`);
}

interface CpuReading {
  worker?: number;
  ingest?: number;
  temporal?: number;
}

function readCpu(stack: BenchStack, targets: PhaseTargets): CpuReading {
  const cpu = (pid: number | undefined) => (pid ? sampleProcess(pid)?.cpuMs : undefined);
  return {
    worker: cpu(targets.workerPid),
    ingest: cpu(targets.ingestPid),
    temporal: cpu(stack.temporalPid),
  };
}

function summarize(
  spec: PhaseSpec,
  load: LoadResult,
  completions: Map<string, number>,
  cpuBefore: CpuReading,
  cpuAfter: CpuReading,
): PhaseResult {
  const durationS = (load.endedAtMs - load.startedAtMs) / 1000;
  const endToEnd: number[] = [];
  let inWindow = 0;
  let backlogAtEnd = 0;
  for (const [id, sentAtMs] of load.sendTimes) {
    const end = completions.get(id);
    if (end !== undefined) endToEnd.push(end - sentAtMs);
    if (end !== undefined && end <= load.endedAtMs) inWindow += 1;
    if (end === undefined || end > load.endedAtMs + 1000) backlogAtEnd += 1;
  }
  if (!spec.awaitCompletion) backlogAtEnd = 0;

  const items = spec.awaitCompletion ? completions.size : load.acked;
  const perItem = (key: keyof CpuReading) => {
    const before = cpuBefore[key];
    const after = cpuAfter[key];
    if (before === undefined || after === undefined || items === 0) return undefined;
    return round((after - before) / items, 2);
  };

  const ack = percentiles(load.ackLatenciesMs);
  const completed = spec.awaitCompletion ? completions.size : 0;
  const backlogLimit = Math.max(5, (spec.rate ?? 0) * MAX_BACKLOG_SECONDS);
  const sustained =
    load.failed === 0 &&
    load.skipped === 0 &&
    ack.p99 <= MAX_ACK_P99_MS &&
    (!spec.awaitCompletion || (backlogAtEnd <= backlogLimit && completed >= load.acked * 0.99));

  return {
    mode: spec.mode,
    offeredRate: spec.rate,
    concurrency: spec.concurrency,
    batchSize: spec.batchSize,
    durationS: round(durationS, 2),
    requests: load.requests,
    acked: load.acked,
    failed: load.failed,
    skipped: load.skipped,
    ackedPerSecond: round(load.acked / durationS),
    ack,
    completed,
    completedPerSecond: round(inWindow / durationS),
    endToEnd: percentiles(endToEnd),
    backlogAtEnd,
    cpuMsPerItem: {
      worker: perItem('worker'),
      ingest: perItem('ingest'),
      temporal: perItem('temporal'),
    },
    sustained,
    failures: load.failures,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
