import { Client, Connection } from '@temporalio/client';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { prepareBackfill } from '../backfill/prepare';
import { runBackfill } from '../backfill/run';
import { DEFAULT_SPOOL_ROOT, removeSpool } from '../backfill/spool';
import {
  formatBackfillSummary,
  summarizeBackfill,
  type BackfillSummary,
} from '../backfill/summary';
import type { BackfillProgress } from '../backfill/types';
import { loadMappingConfig, type MappingConfig } from '../config/mapping';
import { loadSettings, type Settings } from '../config/settings';
import { DEFAULT_TEMPORAL_ADDRESS } from '../worker';
import { parseNow, processIo, type CommandIo } from './preview';

interface BackfillOptions {
  now?: string;
  config?: string;
  mapping?: string;
  spool?: string;
  concurrency?: number;
  dryRun?: boolean;
}

/** `backfill FILE`: sends a file of historical calls to Meta in batches, through Temporal. */
export function backfillCommand(io: CommandIo = processIo()): Command {
  return new Command('backfill')
    .description(
      'Send a file of historical Customer.io calls to Meta, up to 1,000 events per request, through ' +
        'a Temporal workflow that the workers run. Reads NDJSON, a JSON array or a {"batch": [...]} ' +
        'body, as preview does. The workflow id comes from the file content, and the delivery ' +
        'ledger skips events already sent, so running a file again sends nothing twice.',
    )
    .argument('<FILE>', 'input file')
    .option(
      '--now <ISO>',
      "the time Meta's 7-day window is measured from at mapping (default: now)",
    )
    .option('--config <PATH>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .option('--mapping <PATH>', 'mapping file (default: CIO_CAPI_MAPPING, else the built-in rules)')
    .option(
      '--spool <DIR>',
      'folder for the prepared chunks, which the workers must be able to read ' +
        `(default: ${DEFAULT_SPOOL_ROOT})`,
    )
    .option('--concurrency <N>', 'chunks sent at once (default: 4)', parsePositiveInteger)
    .option('--dry-run', 'map and count the calls, without writing chunks or sending')
    .action(async (file: string, options: BackfillOptions) => {
      const settings = loadSettings({ configPath: options.config, require: ['pixelId'] });
      const mapping = loadMappingConfig(options.mapping ?? settings.mappingPath);
      const connection = options.dryRun
        ? undefined
        : await Connection.connect({
            address: settings.temporal.address ?? DEFAULT_TEMPORAL_ADDRESS,
          });
      try {
        const client = connection
          ? new Client({ connection, namespace: settings.temporal.namespace })
          : undefined;
        await executeBackfill({
          file,
          settings,
          mapping,
          now: parseNow(options.now),
          spoolRoot: options.spool ?? DEFAULT_SPOOL_ROOT,
          concurrency: options.concurrency,
          client,
          io,
        });
      } finally {
        await connection?.close();
      }
    });
}

export interface ExecuteBackfillOptions {
  file: string;
  settings: Settings;
  mapping: MappingConfig;
  now: Date;
  /** Folder under which this run's chunk folder is created. */
  spoolRoot: string;
  /** Chunks sent at once. @default 4 */
  concurrency?: number;
  /** The Temporal client; without one the run is a dry run. */
  client?: Client;
  io: CommandIo;
}

/**
 * Maps the file, starts (or joins) its backfill workflow, shows a progress bar on stderr while it
 * runs, and prints the summary with a final `{"backfill": {...}}` line on stdout. Sets exit code 1
 * when the backfill stopped, and 2 when Meta rejected events, so scripts can tell both apart.
 */
export async function executeBackfill(options: ExecuteBackfillOptions): Promise<BackfillSummary> {
  const { io, settings, client } = options;
  const prepared = await prepareBackfill({
    file: options.file,
    pixelId: settings.meta.pixelId,
    config: { mapping: options.mapping, identity: { defaultCountry: settings.defaultCountry } },
    now: options.now,
    ...(client ? { spoolRoot: options.spoolRoot } : {}),
  });

  if (!client || !prepared.spool || prepared.spool.chunkCount === 0) {
    if (prepared.spool) await removeSpool(prepared.spool.spoolDir);
    const summary = summarizeBackfill(prepared, client ? emptyProgress() : undefined);
    io.stdout.write(formatBackfillSummary(summary));
    return summary;
  }

  const bar = new SingleBar({
    stream: io.stderr,
    format: 'backfill [{bar}] {percentage}% | {value}/{total} events | ETA {eta_formatted}',
    hideCursor: false,
  });
  bar.start(prepared.spool.eventCount, 0);
  try {
    const run = await runBackfill(prepared, {
      client,
      taskQueue: settings.temporal.taskQueue,
      concurrency: options.concurrency,
      onProgress: (progress) => bar.update(handledEvents(progress)),
    });
    bar.stop();
    const summary = summarizeBackfill(prepared, run.progress);
    io.stdout.write(formatBackfillSummary(summary, run.progress.rejectedEvents));
    if (summary.rejectedByMeta > 0) io.setExitCode(2);
    return summary;
  } catch (error) {
    bar.stop();
    io.setExitCode(1);
    throw error;
  }
}

function handledEvents(progress: BackfillProgress): number {
  return (
    progress.sent +
    progress.alreadySent +
    progress.tooOld +
    progress.unconfirmed +
    progress.rejected
  );
}

function emptyProgress(): BackfillProgress {
  const counts = { sent: 0, alreadySent: 0, tooOld: 0, unconfirmed: 0, rejected: 0, requests: 0 };
  return { ...counts, chunksDone: 0, chunkCount: 0, eventCount: 0, rejectedEvents: [] };
}

function parsePositiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`"${text}" is not a whole number of 1 or more`);
  }
  return value;
}
