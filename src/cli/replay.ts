import { Client, Connection } from '@temporalio/client';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadSettings } from '../config/settings';
import {
  DEFAULT_REPLAY_STATUSES,
  formatCandidateLine,
  formatSummaryJson,
  formatSummaryLine,
  REPLAYABLE_STATUSES,
  runReplay,
  type ReplayableStatus,
  type ReplayFilters,
  type ReplayOptions,
} from '../replay';
import { DEFAULT_TEMPORAL_ADDRESS } from '../worker';
import { processIo, type CommandIo } from './preview';

/** The options of `replay` as commander parsed them. */
export interface ReplayCliOptions {
  status: ReplayableStatus[];
  since?: Date;
  until?: Date;
  event?: string;
  pixel?: string;
  reason?: string;
  query?: string;
  config?: string;
  now?: Date;
  dryRun?: boolean;
  resendUnconfirmed?: boolean;
  concurrency: number;
}

/** The function `replay` runs once its options are parsed. Tests of the option parsing replace it. */
export type ReplayExecutor = (options: ReplayCliOptions, io: CommandIo) => Promise<void>;

/** `cio-capi replay`: sends rejected, expired or held conversions again, each under its own id. */
export function replayCommand(
  io: CommandIo = processIo(),
  execute: ReplayExecutor = executeReplay,
): Command {
  return new Command('replay')
    .description(
      'Start rejected or expired conversions again under the same workflow id (so the same ' +
        "event_id), and signal held ones to retry now. Events past Meta's 7-day window are skipped.",
    )
    .addOption(
      new Option(
        '--status <list>',
        `comma-separated delivery statuses: ${REPLAYABLE_STATUSES.join(', ')}`,
      )
        .argParser(parseStatusList)
        .default([...DEFAULT_REPLAY_STATUSES], DEFAULT_REPLAY_STATUSES.join(',')),
    )
    .option('--since <ISO>', 'only events at or after this EventTime, ISO 8601', parseTime)
    .option('--until <ISO>', 'only events at or before this EventTime, ISO 8601', parseTime)
    .option('--event <name>', 'only this Meta event (MetaEvent), such as Purchase', parseText)
    .option('--pixel <id>', 'only this pixel (PixelId)', parsePixelId)
    .option(
      '--reason <code>',
      'only this reason code (ReasonCode), such as meta_190_467',
      parseText,
    )
    .option('--query <query>', 'a raw Temporal visibility query, combined with the rest by AND')
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .option('--now <ISO>', "the current time for Meta's 7-day window (default: now)", parseTime)
    .option('--dry-run', 'print what would be replayed and change nothing')
    .option(
      '--resend-unconfirmed',
      'let held sends whose earlier attempt may have reached Meta send again (check Events Manager first)',
    )
    .option('--concurrency <n>', 'conversions handled at once', parseConcurrency, 8)
    .action(async (options: ReplayCliOptions) => {
      await execute(options, io);
    });
}

/** Connects to Temporal from the settings, runs the replay and prints its lines and summary. */
export async function executeReplay(options: ReplayCliOptions, io: CommandIo): Promise<void> {
  const settings = loadSettings({ configPath: options.config });
  const address = settings.temporal.address ?? DEFAULT_TEMPORAL_ADDRESS;
  const connection = await connectTemporal(address);
  try {
    const client = new Client({ connection, namespace: settings.temporal.namespace });
    const progress = options.dryRun ? undefined : createProgress(io);
    const report = await runReplay(client, {
      ...toReplayOptions(options),
      taskQueue: settings.temporal.taskQueue,
      ...progress?.callbacks,
    });
    progress?.stop();

    for (const { candidate, outcome } of report.results) {
      io.stdout.write(`${formatCandidateLine(candidate, outcome)}\n`);
    }
    io.stdout.write(`${formatSummaryLine(report)}\n`);
    io.stdout.write(`${formatSummaryJson(report)}\n`);
  } finally {
    await connection.close();
  }
}

async function connectTemporal(address: string): Promise<Connection> {
  try {
    return await Connection.connect({ address });
  } catch (error) {
    throw new Error(
      `connecting to Temporal at ${address} failed: ${(error as Error).message}. ` +
        'Check TEMPORAL_ADDRESS (temporalAddress in the settings file).',
      { cause: error },
    );
  }
}

/** Converts the parsed command line to the runner's options, all but the task queue. */
export function toReplayOptions(options: ReplayCliOptions): Omit<ReplayOptions, 'taskQueue'> {
  const filters: ReplayFilters = { statuses: options.status };
  if (options.since) filters.since = options.since;
  if (options.until) filters.until = options.until;
  if (options.event !== undefined) filters.metaEvent = options.event;
  if (options.pixel !== undefined) filters.pixelId = options.pixel;
  if (options.reason !== undefined) filters.reasonCode = options.reason;
  if (options.query !== undefined) filters.query = options.query;
  return {
    filters,
    now: options.now,
    dryRun: options.dryRun ?? false,
    concurrency: options.concurrency,
    resendUnconfirmed: options.resendUnconfirmed ?? false,
  };
}

/** Creates a progress bar when stderr is a terminal, else writes one plain line per conversion. */
function createProgress(io: CommandIo) {
  const isTerminal = (io.stderr as { isTTY?: boolean }).isTTY === true;
  const bar = isTerminal
    ? new SingleBar(
        {
          stream: io.stderr,
          format: 'replay [{bar}] {value}/{total} conversions',
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : undefined;

  const callbacks: Pick<ReplayOptions, 'onSelected' | 'onProgress'> = {
    onSelected: (candidates) => {
      if (bar) bar.start(candidates.length, 0);
      else io.stderr.write(`replay: ${candidates.length} conversions selected\n`);
    },
    onProgress: (result, done, total) => {
      if (bar) bar.update(done);
      else
        io.stderr.write(
          `replay: ${done}/${total} ${result.candidate.workflowId} ${result.outcome}\n`,
        );
    },
  };
  return { callbacks, stop: () => bar?.stop() };
}

export function parseStatusList(text: string): ReplayableStatus[] {
  const statuses = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (statuses.length === 0) {
    throw new InvalidArgumentError(`expected one or more of ${REPLAYABLE_STATUSES.join(', ')}`);
  }
  for (const status of statuses) {
    if (!REPLAYABLE_STATUSES.some((replayable) => replayable === status)) {
      throw new InvalidArgumentError(
        `invalid status "${status}": expected ${REPLAYABLE_STATUSES.join(', ')}`,
      );
    }
  }
  return [...new Set(statuses)] as ReplayableStatus[];
}

export function parseTime(text: string): Date {
  const time = new Date(text);
  if (text.trim() === '' || Number.isNaN(time.getTime())) {
    throw new InvalidArgumentError(
      `invalid time "${text}": expected ISO 8601, such as 2026-12-01T12:00:00Z`,
    );
  }
  return time;
}

function parseText(text: string): string {
  if (text.trim() === '') throw new InvalidArgumentError('expected a non-empty value');
  return text;
}

function parsePixelId(text: string): string {
  if (!/^\d{5,20}$/.test(text)) {
    throw new InvalidArgumentError(`invalid pixel id "${text}": expected 5 to 20 digits`);
  }
  return text;
}

function parseConcurrency(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    throw new InvalidArgumentError(
      `invalid number "${text}": expected a whole number from 1 to 256`,
    );
  }
  return value;
}
