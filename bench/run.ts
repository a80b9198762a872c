import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { BenchArgsError, parseArgs, type BenchArgs } from './args';
import { runPhase, type PhaseResult, type PhaseSpec, type PhaseTargets } from './phase';
import { sampleProcess } from './proc';
import { appendDocsRow, runContext, writeResult } from './report';
import { BenchStack, PROJECT_ROOT, type WorkerSettings } from './stack';
import { round } from './stats';

/** Most rate steps of one step-up: the rate doubles each step, so 10/s reaches 1280/s. */
const MAX_STEPS = 8;

/** Bisection steps between the last passing and the first failing rate. */
const BISECTION_STEPS = 2;

/** Shares of the sustained rate at which latency is measured. */
const LATENCY_SHARES = [0.25, 0.5, 0.9] as const;

/** Maximum requests in flight in open-loop phases, unless --concurrency sets another. */
const DEFAULT_OPEN_LOOP_CONCURRENCY = 256;

interface StepUp {
  steps: PhaseResult[];
  /** The highest offered rate that passed, in calls or starts per second; 0 when none did. */
  sustainedRate: number;
}

interface LatencyAt {
  share: number;
  rate: number;
  phase: PhaseResult;
}

/** Everything one run measured, as written to bench/results. */
interface RunResult {
  context: ReturnType<typeof runContext>;
  args: BenchArgs;
  conversions?: { stepUp: StepUp; latency: LatencyAt[] };
  baseline?: StepUp;
  /** Sustained conversions per second over sustained baseline workflows per second. */
  baselineRatio?: number;
  ingest?: { single: PhaseResult; batch100: PhaseResult };
  /** Peak resident set sizes, in MiB. */
  peakRssMiB: { worker?: number; ingest?: number; temporal?: number; harness: number };
  profileDir?: string;
}

/** Runs one benchmark scenario, records it, and stops every process it started. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const context = runContext(PROJECT_ROOT, argv);
  const stamp = context.date.replace(/[:.]/g, '-');
  const profileDir = args.profile
    ? path.join(PROJECT_ROOT, 'bench', 'results', 'profiles', stamp)
    : undefined;

  const stack = await BenchStack.start({ latencyMs: args.latencyMs, profileDir });
  process.once('exit', () => stack.killNow());
  const interrupt = () => {
    process.stderr.write('interrupted: stopping the processes of this run\n');
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const connection = await Connection.connect({ address: stack.temporal.address });
  const client = new Client({ connection, namespace: 'default' });
  try {
    const result = await runScenario(stack, client, args);
    if (profileDir) result.profileDir = profileDir;
    const out =
      args.out ?? path.join(PROJECT_ROOT, 'bench', 'results', `${args.scenario}-${stamp}.json`);
    writeResult(out, { ...result, context });
    const summary = describe(result, args);
    if (args.docs) {
      appendDocsRow(path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'), context, summary);
    }
    process.stdout.write(`${summary}\nresult: ${out}\n`);
  } finally {
    await connection.close();
    await stack.stop();
  }
}

async function runScenario(
  stack: BenchStack,
  client: Client,
  args: BenchArgs,
): Promise<Omit<RunResult, 'context'>> {
  const ingest = await stack.startIngest();
  const targets: PhaseTargets = { ingestUrl: ingest.url, ingestPid: ingest.pid, client };
  const result: Omit<RunResult, 'context'> = { args, peakRssMiB: { harness: 0 } };
  let seed = 1;
  let phaseIndex = 0;
  const phase = (spec: PhaseSpec) => {
    phaseIndex += 1;
    const tag = `${spec.mode === 'calls' ? 'c' : 'b'}${phaseIndex}`;
    const described =
      spec.rate === undefined ? `closed loop ×${spec.concurrency}` : `${spec.rate}/s`;
    process.stderr.write(`phase ${tag}: ${spec.mode}, ${described}, batch ${spec.batchSize}\n`);
    return runPhase(stack, targets, spec, tag, seed++);
  };

  if (args.scenario === 'ingest') {
    result.ingest = await ingestOnly(args, phase);
  } else {
    targets.workerPid = await stack.startWorker(JSON.parse(args.worker) as WorkerSettings);
    if (args.scenario !== 'baseline') {
      const stepUp = await stepRateUp(args, 'calls', phase);
      const latency = await latencyPhases(args, stepUp.sustainedRate, phase);
      result.conversions = { stepUp, latency };
    }
    if (args.scenario !== 'conversions')
      result.baseline = await stepRateUp(args, 'baseline', phase);
    if (result.conversions && result.baseline && result.baseline.sustainedRate > 0) {
      result.baselineRatio = round(
        result.conversions.stepUp.sustainedRate / result.baseline.sustainedRate,
        2,
      );
    }
  }

  result.peakRssMiB = {
    worker: peak(targets.workerPid),
    ingest: peak(ingest.pid),
    temporal: peak(stack.temporalPid),
    harness: round(process.resourceUsage().maxRSS / 1024),
  };
  await stack.stopWorker();
  return result;
}

type RunOnePhase = (spec: PhaseSpec) => Promise<PhaseResult>;

/** Doubles the offered rate until a phase fails, then bisects between the last two rates. */
async function stepRateUp(
  args: BenchArgs,
  mode: PhaseSpec['mode'],
  phase: RunOnePhase,
): Promise<StepUp> {
  const at = (rate: number) =>
    phase({
      mode,
      rate,
      concurrency: args.concurrency ?? DEFAULT_OPEN_LOOP_CONCURRENCY,
      durationMs: args.durationS * 1000,
      batchSize: 1,
      awaitCompletion: true,
    });

  if (args.rate !== undefined) {
    const only = await at(args.rate);
    return { steps: [only], sustainedRate: only.sustained ? args.rate : 0 };
  }

  const steps: PhaseResult[] = [];
  let passed = 0;
  let failed: number | undefined;
  let rate = args.startRate;
  for (let step = 0; step < MAX_STEPS && failed === undefined; step += 1) {
    const result = await at(rate);
    steps.push(result);
    if (result.sustained) {
      passed = rate;
      rate *= 2;
    } else {
      failed = rate;
    }
  }
  // Two bisection steps narrow the limit to a quarter of the last doubling.
  for (let step = 0; step < BISECTION_STEPS && passed > 0 && failed !== undefined; step += 1) {
    const middle = Math.round((passed + failed) / 2);
    if (middle <= passed || middle >= failed) break;
    const result = await at(middle);
    steps.push(result);
    if (result.sustained) passed = middle;
    else failed = middle;
  }
  return { steps, sustainedRate: passed };
}

async function latencyPhases(
  args: BenchArgs,
  sustainedRate: number,
  phase: RunOnePhase,
): Promise<LatencyAt[]> {
  if (sustainedRate === 0 || args.rate !== undefined) return [];
  const results: LatencyAt[] = [];
  for (const share of LATENCY_SHARES) {
    const rate = Math.max(1, Math.round(sustainedRate * share));
    const result = await phase({
      mode: 'calls',
      rate,
      concurrency: args.concurrency ?? DEFAULT_OPEN_LOOP_CONCURRENCY,
      durationMs: args.durationS * 1000,
      batchSize: 1,
      awaitCompletion: true,
    });
    results.push({ share, rate, phase: result });
  }
  return results;
}

/** Closed-loop acknowledgement throughput of single calls, then of batches of 100. */
async function ingestOnly(
  args: BenchArgs,
  phase: RunOnePhase,
): Promise<{ single: PhaseResult; batch100: PhaseResult }> {
  const base = {
    mode: 'calls',
    durationMs: args.durationS * 1000,
    awaitCompletion: false,
  } as const;
  const single = await phase({ ...base, concurrency: args.concurrency ?? 8, batchSize: 1 });
  const batch100 = await phase({ ...base, concurrency: args.concurrency ?? 2, batchSize: 100 });
  return { single, batch100 };
}

function peak(pid: number | undefined): number | undefined {
  const sample = pid ? sampleProcess(pid) : undefined;
  return sample ? round(sample.peakRssMiB) : undefined;
}

/** Formats one line for the docs table: the figures a reader compares between runs. */
function describe(result: Omit<RunResult, 'context'>, args: BenchArgs): string {
  const parts: string[] = [];
  if (args.note) parts.push(`**${args.note}**`);
  if (result.conversions) {
    const { stepUp, latency } = result.conversions;
    const last = stepUp.steps.find((step) => step.offeredRate === stepUp.sustainedRate);
    if (args.rate === undefined) {
      parts.push(`conversions ${stepUp.sustainedRate}/s sustained (emulator ${args.latencyMs} ms)`);
    } else {
      parts.push(describeFixedRate(stepUp.steps[0]!, args));
    }
    for (const { share, rate, phase } of latency) {
      const e2e = phase.endToEnd;
      parts.push(`${share * 100}% (${rate}/s): p50 ${e2e.p50}, p95 ${e2e.p95}, p99 ${e2e.p99} ms`);
    }
    if (last && args.rate === undefined) {
      const cpu = last.cpuMsPerItem;
      parts.push(
        `CPU per conversion: worker ${cpu.worker} ms, ingest ${cpu.ingest} ms, Temporal ${cpu.temporal} ms`,
      );
    }
  }
  if (result.baseline && args.rate !== undefined) {
    parts.push(`baseline ${describeFixedRate(result.baseline.steps[0]!, args)}`);
  } else if (result.baseline) {
    const last = result.baseline.steps.find(
      (step) => step.offeredRate === result.baseline?.sustainedRate,
    );
    parts.push(`baseline ${result.baseline.sustainedRate}/s sustained`);
    if (last)
      parts.push(
        `baseline p50 ${last.endToEnd.p50} ms, Temporal CPU ${last.cpuMsPerItem.temporal} ms`,
      );
  }
  if (result.baselineRatio !== undefined) parts.push(`ratio ${result.baselineRatio}`);
  if (result.ingest) {
    const { single, batch100 } = result.ingest;
    parts.push(
      `ingest single: ${single.ackedPerSecond} calls/s, ack p50 ${single.ack.p50}, p99 ${single.ack.p99} ms (×${single.concurrency})`,
      `batch of 100: ${batch100.ackedPerSecond} calls/s, ack p50 ${batch100.ack.p50}, p99 ${batch100.ack.p99} ms (×${batch100.concurrency})`,
    );
  }
  const rss = result.peakRssMiB;
  parts.push(
    `peak RSS: worker ${rss.worker ?? '-'}, ingest ${rss.ingest ?? '-'}, Temporal ${rss.temporal ?? '-'} MiB`,
  );
  return parts.join('; ');
}

/** Formats the figures of a single fixed-rate phase, passed or not. */
function describeFixedRate(phase: PhaseResult, args: BenchArgs): string {
  const { endToEnd, ack, cpuMsPerItem: cpu } = phase;
  return [
    `at ${args.rate}/s (emulator ${args.latencyMs} ms): ${phase.completedPerSecond}/s done in the window`,
    `${phase.sustained ? 'sustained' : 'not sustained'}, backlog ${phase.backlogAtEnd}`,
    `end to end p50 ${endToEnd.p50}, p95 ${endToEnd.p95}, p99 ${endToEnd.p99} ms, ack p99 ${ack.p99} ms`,
    `CPU per item: worker ${cpu.worker}, ingest ${cpu.ingest}, Temporal ${cpu.temporal} ms`,
  ].join(', ');
}

main().catch((error: unknown) => {
  if (error instanceof BenchArgsError) process.stderr.write(`${error.message}\n`);
  else
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
