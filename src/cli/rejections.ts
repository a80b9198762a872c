import { Command } from 'commander';
import { ConversionStarter } from '../client';
import { loadMappingConfig } from '../config/mapping';
import { loadSettings } from '../config/settings';
import { createPrepare } from '../ingest/prepare';
import { INGEST_LIMITS } from '../ingest/limits';
import { openProfileStoreFor } from '../profiles/from-settings';
import { createProfileSink } from '../profiles/call-updates';
import { replayRejectedCalls } from '../rejections/replay';
import { RejectedCallStore } from '../rejections/store';
import { DEFAULT_TEMPORAL_ADDRESS } from '../worker';

interface CommonOptions {
  config?: string;
  since?: string;
  limit?: number;
}

/** `cio-capi rejections`: the calls the ingest server rejected, to read and replay. */
export function rejectionsCommand(): Command {
  const command = new Command('rejections').description(
    'list or replay the calls the ingest server rejected as invalid (kept sealed in the profile store)',
  );

  command
    .command('list')
    .description(
      'print each kept call as one JSON line: id, time, route, messageId, errors, sealed call',
    )
    .option('--since <iso>', 'only calls received at or after this time (ISO 8601)')
    .option('--limit <n>', 'at most this many calls (default: 100)', parsePositive)
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .action(async (options: CommonOptions) => {
      const settings = loadSettings({ configPath: options.config });
      const profiles = await openProfileStoreFor(settings);
      try {
        const store = new RejectedCallStore(profiles.db);
        for (const call of await store.list({
          since: parseSince(options.since),
          limit: options.limit,
        })) {
          process.stdout.write(`${JSON.stringify(call)}\n`);
        }
      } finally {
        await profiles.close();
      }
    });

  command
    .command('replay')
    .description('validate and start kept calls again; accepted ones leave the store')
    .argument('[ids...]', 'ids from `rejections list` (default: all, within --since and --limit)')
    .option('--since <iso>', 'only calls received at or after this time (ISO 8601)')
    .option('--limit <n>', 'at most this many calls (default: 100)', parsePositive)
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .action(async (ids: string[], options: CommonOptions) => {
      const settings = loadSettings({ configPath: options.config, require: ['pixelId'] });
      const mapping = loadMappingConfig(settings.mappingPath);
      const identityOptions = { defaultCountry: settings.defaultCountry };
      const profiles = await openProfileStoreFor(settings);
      const starter = ConversionStarter.create({
        address: settings.temporal.address ?? DEFAULT_TEMPORAL_ADDRESS,
        namespace: settings.temporal.namespace,
        taskQueue: settings.temporal.taskQueue,
      });
      try {
        const store = new RejectedCallStore(profiles.db);
        const kept = await store.list({
          since: parseSince(options.since),
          limit: options.limit ?? 10_000,
        });
        const selected = ids.length > 0 ? kept.filter((call) => ids.includes(call.id)) : kept;
        const results = await replayRejectedCalls(
          store,
          selected,
          {
            starter,
            prepare: createPrepare({ pixelId: settings.meta.pixelId, mapping, identityOptions }),
            profileSink: createProfileSink(profiles, identityOptions),
            maxCallBytes: INGEST_LIMITS.maxCallBytes,
            concurrency: 1,
          },
          new Date().toISOString(),
        );

        for (const replayed of results) process.stdout.write(`${JSON.stringify(replayed)}\n`);
        const accepted = results.filter((replayed) => replayed.removed).length;
        process.stdout.write(
          `${JSON.stringify({ rejections: { selected: selected.length, accepted, stillInvalid: selected.length - accepted } })}\n`,
        );
      } finally {
        await starter.close();
        await profiles.close();
      }
    });

  return command;
}

function parsePositive(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`invalid number "${text}": expected a whole number of 1 or more`);
  return value;
}

function parseSince(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const since = new Date(text);
  if (Number.isNaN(since.getTime()))
    throw new Error(`invalid --since "${text}": expected an ISO 8601 time`);
  return since;
}
