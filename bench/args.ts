/** The scenarios `npm run bench` runs. */
export const SCENARIOS = ['pipeline', 'conversions', 'baseline', 'ingest'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchArgs {
  scenario: Scenario;
  /** Length of each load phase, in seconds. @default 10 */
  durationS: number;
  /** Delay of each emulator response, in milliseconds: 0, or 150 for a Meta-like round trip. @default 0 */
  latencyMs: number;
  /** A fixed offered rate in calls per second, instead of stepping the rate up. */
  rate?: number;
  /** First rate of the step-up, in calls per second. @default 10 */
  startRate: number;
  /** Requests in flight at most (open loop), or exactly (closed loop in `ingest`). @default 256, 8 */
  concurrency?: number;
  /** Path of the JSON result. @default bench/results/<scenario>-<time>.json */
  out?: string;
  /** Write a CPU profile of the worker into bench/results/profiles. @default false */
  profile: boolean;
  /** Worker settings as JSON, passed to Worker.create. @default {} */
  worker: string;
  /** A note added to the docs row, such as what changed. @default none */
  note?: string;
  /** Append a row to docs/benchmarks.md; `--no-docs` turns it off for trial runs. @default true */
  docs: boolean;
}

/** Raised for a command-line option that is unknown or invalid. */
export class BenchArgsError extends Error {
  readonly code = 'INVALID_BENCH_ARGS';
}

/** Parses `--name value` pairs; `--profile` and `--no-docs` take no value. */
export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    scenario: 'pipeline',
    durationS: 10,
    latencyMs: 0,
    startRate: 10,
    profile: false,
    worker: '{}',
    docs: true,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index]!;
    if (name === '--profile') {
      args.profile = true;
      continue;
    }
    if (name === '--no-docs') {
      args.docs = false;
      continue;
    }
    const value = argv[index + 1];
    if (value === undefined) throw new BenchArgsError(`missing value after ${name}`);
    index += 1;
    switch (name) {
      case '--scenario':
        if (!(SCENARIOS as readonly string[]).includes(value)) {
          throw new BenchArgsError(
            `invalid --scenario "${value}": expected ${SCENARIOS.join(', ')}`,
          );
        }
        args.scenario = value as Scenario;
        break;
      case '--duration':
        args.durationS = positive(name, value, 120);
        break;
      case '--latency':
        args.latencyMs = positive(name, value, 10_000, true);
        break;
      case '--rate':
        args.rate = positive(name, value, 100_000);
        break;
      case '--start-rate':
        args.startRate = positive(name, value, 100_000);
        break;
      case '--concurrency':
        args.concurrency = positive(name, value, 4_096);
        break;
      case '--out':
        args.out = value;
        break;
      case '--worker':
        JSON.parse(value);
        args.worker = value;
        break;
      case '--note':
        args.note = value;
        break;
      default:
        throw new BenchArgsError(`unknown option ${name}`);
    }
  }
  return args;
}

function positive(name: string, text: string, max: number, zeroAllowed = false): number {
  const value = Number(text);
  const min = zeroAllowed ? 0 : 1;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BenchArgsError(
      `invalid ${name} "${text}": expected a whole number from ${min} to ${max}`,
    );
  }
  return value;
}
