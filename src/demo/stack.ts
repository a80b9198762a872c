import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { ConversionStarter } from '../client';
import type { MappingConfig } from '../config/mapping';
import { loadMappingConfig } from '../config/mapping';
import type { SecretSource } from '../config/secrets';
import { loadSettings, type Settings } from '../config/settings';
import { startEmulator, type RunningEmulator } from '../emulator';
import { createIngestServer } from '../ingest/server';
import { createLogger } from '../logging';
import { installTemporalLogging } from '../temporal/runtime';
import type { ProfileStore } from '../profiles';
import { openProfileStoreFor } from '../profiles/from-settings';
import { createProfileSink } from '../profiles/call-updates';
import { RejectedCallStore } from '../rejections/store';
import { startWorker, type RunningWorker } from '../worker';

/** The pixel id the demo and the tests send to. The emulator accepts it with a fresh token. */
export const DEMO_PIXEL_ID = '100000000000001';

export interface StackOptions {
  temporalAddress: string;
  /** Task queue of this stack's worker. @default cio-capi */
  taskQueue?: string;
  /** The clock of the worker and the emulator. @default the system clock */
  clock?: () => Date;
  /** SQLite file of the profile store. @default in memory */
  sqlitePath?: string;
  /** PostgreSQL URL of the profile store, instead of SQLite. */
  databaseUrl?: string;
  mapping?: MappingConfig;
  /** Where the worker reads its Meta token. @default the token the emulator accepts */
  accessToken?: SecretSource;
  /** Timeout of one request to the emulator, in milliseconds. @default 10000 */
  requestTimeoutMs?: number;
  /** Delay of each emulator response, in milliseconds. @default 0 */
  emulatorLatencyMs?: number;
  workflowBundle?: WorkflowBundleOption;
  /** Log level of the components. @default warn */
  logLevel?: string;
}

/** Every piece of a running pipeline: the Meta emulator, a worker, and the ingest server. */
export interface Stack {
  settings: Settings;
  emulator: RunningEmulator;
  worker: RunningWorker;
  ingest: FastifyInstance;
  ingestUrl: string;
  /** The bearer secret the ingest server accepts. */
  ingestSecret: string;
  starter: ConversionStarter;
  profiles: ProfileStore;
  stop(): Promise<void>;
}

/**
 * Starts the emulator, a worker and the ingest server against a Temporal server, wired to each
 * other on loopback with fresh secrets. The demo and the end-to-end tests both run on it.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const clock = options.clock ?? (() => new Date());
  const accessToken = randomBytes(24).toString('hex');
  const ingestSecret = randomBytes(24).toString('hex');
  const logLevel = options.logLevel ?? 'warn';
  // Rejected conversions are expected here; their reasons are in the workflows, not in the log.
  installTemporalLogging(createLogger('temporal', logLevel), 'ERROR');

  const emulator = await startEmulator({
    pixels: { [DEMO_PIXEL_ID]: [accessToken] },
    now: clock,
    latencyMs: options.emulatorLatencyMs,
  });
  const settings = loadSettings({
    env: {},
    overrides: {
      pixelId: DEMO_PIXEL_ID,
      accessToken: options.accessToken ?? { kind: 'value', value: accessToken },
      graphBaseUrl: emulator.url,
      ingestSecrets: [ingestSecret],
      temporalAddress: options.temporalAddress,
      taskQueue: options.taskQueue ?? 'cio-capi',
      ingestPort: 0,
      databaseUrl: options.databaseUrl,
      sqlitePath: options.sqlitePath ?? ':memory:',
      requestTimeoutMs: options.requestTimeoutMs,
    },
  });
  const mapping = options.mapping ?? loadMappingConfig(settings.mappingPath);
  const identityOptions = { defaultCountry: settings.defaultCountry };

  const profiles = await openProfileStoreFor(settings);
  const worker = await startWorker({
    settings,
    mapping,
    clock,
    profiles,
    logger: createLogger('worker', logLevel),
    workflowBundle: options.workflowBundle,
  });

  const starter = ConversionStarter.create({
    address: options.temporalAddress,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
  });
  const ingest = createIngestServer({
    settings,
    starter,
    mapping,
    identityOptions,
    profileSink: createProfileSink(profiles, identityOptions),
    rejectionSink: new RejectedCallStore(profiles.db),
    logger: createLogger('ingest', logLevel),
  });
  await ingest.listen({ host: '127.0.0.1', port: 0 });
  const address = ingest.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    settings,
    emulator,
    worker,
    ingest,
    ingestUrl: `http://127.0.0.1:${port}`,
    ingestSecret,
    starter,
    profiles,
    async stop() {
      await ingest.close();
      await starter.close();
      await worker.stop();
      await profiles.close();
      await emulator.close();
    },
  };
}
