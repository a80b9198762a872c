import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { ConversionStarter } from '../../src/client';
import { loadMappingConfig } from '../../src/config/mapping';
import { loadSettings, type Settings } from '../../src/config/settings';
import { DEMO_PIXEL_ID } from '../../src/demo/stack';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { createIngestServer } from '../../src/ingest/server';
import { createLogger } from '../../src/logging';
import type { ProfileStore } from '../../src/profiles';
import { createProfileSink } from '../../src/profiles/call-updates';
import type { SignalsConfigInput } from '../../src/signals';
import { signalScheduleId } from '../../src/signals/schedules';
import { startWorker, type RunningWorker } from '../../src/worker';
import type { SignalScanInput } from '../../src/workflows/signals';

/*
 * The pipeline with the signal scans on: emulator, worker and ingest server, like the demo's
 * stack, but on a profile store the test opens (with the VIP threshold) and a clock the test moves.
 */

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflows once per test file, so a worker restart takes no bundling time. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
  return bundle;
}

/** A clock the test sets; every component reads it. */
export interface TestClock {
  now: Date;
  read: () => Date;
}

export function testClock(start: Date): TestClock {
  const clock: TestClock = { now: start, read: () => clock.now };
  return clock;
}

export interface SignalStackOptions {
  clock: TestClock;
  profiles: ProfileStore;
  signals: SignalsConfigInput;
  taskQueue: string;
  scanInput?: SignalScanInput;
  /** Delay of each emulator response, in milliseconds. @default 0 */
  emulatorLatencyMs?: number;
}

export interface SignalStack {
  settings: Settings;
  emulator: RunningEmulator;
  worker: RunningWorker;
  ingest: FastifyInstance;
  ingestUrl: string;
  ingestSecret: string;
  starter: ConversionStarter;
  client: Client;
  scheduleId: string;
  /** Stops the worker (letting activities in flight finish) and starts a new one. */
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSignalStack(options: SignalStackOptions): Promise<SignalStack> {
  const accessToken = randomBytes(24).toString('hex');
  const ingestSecret = randomBytes(24).toString('hex');
  const address = process.env.TEMPORAL_TEST_ADDRESS!;

  const emulator = await startEmulator({
    pixels: { [DEMO_PIXEL_ID]: [accessToken] },
    now: options.clock.read,
    latencyMs: options.emulatorLatencyMs,
  });
  const settings = loadSettings({
    env: {},
    overrides: {
      pixelId: DEMO_PIXEL_ID,
      accessToken: { kind: 'value', value: accessToken },
      graphBaseUrl: emulator.url,
      ingestSecrets: [ingestSecret],
      temporalAddress: address,
      taskQueue: options.taskQueue,
      ingestPort: 0,
      signals: options.signals,
    },
  });

  const launch = async () =>
    startWorker({
      settings,
      clock: options.clock.read,
      profiles: options.profiles,
      logger: createLogger('worker', 'warn'),
      workflowBundle: await workflowBundle(),
      // Paused, so only the test's triggers and backfills start scans.
      signalSchedule: { paused: true, scanInput: options.scanInput },
    });
  let worker = await launch();

  const starter = ConversionStarter.create({
    address,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
  });
  const identityOptions = { defaultCountry: settings.defaultCountry };
  const ingest = createIngestServer({
    settings,
    starter,
    mapping: loadMappingConfig(),
    identityOptions,
    profileSink: createProfileSink(options.profiles, identityOptions),
    logger: createLogger('ingest', 'warn'),
  });
  await ingest.listen({ host: '127.0.0.1', port: 0 });
  const bound = ingest.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : 0;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: settings.temporal.namespace });

  const stack: SignalStack = {
    settings,
    emulator,
    worker,
    ingest,
    ingestUrl: `http://127.0.0.1:${port}`,
    ingestSecret,
    starter,
    client,
    scheduleId: signalScheduleId(options.taskQueue),
    async restartWorker() {
      await worker.stop();
      worker = await launch();
      stack.worker = worker;
    },
    async stop() {
      await client.schedule
        .getHandle(stack.scheduleId)
        .delete()
        .catch(() => undefined);
      await ingest.close();
      await starter.close();
      await connection.close();
      await worker.stop();
      await emulator.close();
    },
  };
  return stack;
}
