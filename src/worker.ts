import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { loadMappingConfig, type MappingConfig } from './config/mapping';
import type { Settings } from './config/settings';
import { signalsEnabled } from './config/signal-settings';
import { createLogger, type Logger } from './logging';
import { GraphClient } from './meta/client';
import type { ProfileStore } from './profiles';
import { withSignalRules } from './signals/mapping-rules';
import { ensureSignalSchedule, type SignalScheduleOptions } from './signals/schedules';
import { registerSearchAttributes } from './temporal/register';

/** Where a Temporal server listens when TEMPORAL_ADDRESS is unset. */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

export interface ConversionWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt workflow bundle; without it the workflows are bundled at start (a few seconds). */
  workflowBundle?: WorkflowBundleOption;
  /** Activities run at once by this worker. @default 100 */
  maxConcurrentActivities?: number;
  /** Throughput settings, such as the benchmarks try. @default the SDK's defaults */
  tuning?: WorkerTuning;
}

/** Worker settings that trade memory for throughput. Each is passed to `Worker.create` as named. */
export interface WorkerTuning {
  /** Workflow tasks run at once. @default the SDK's default (40 in 1.24) */
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Local activities run at once. @default the SDK's default (100 in 1.24) */
  maxConcurrentLocalActivityExecutions?: number;
  /** Workflows kept in the sticky cache, so a new task skips replay. @default the SDK's default */
  maxCachedWorkflows?: number;
  /** Concurrent polls for workflow tasks. @default the SDK's default */
  maxConcurrentWorkflowTaskPolls?: number;
  /** Concurrent polls for activity tasks. @default the SDK's default */
  maxConcurrentActivityTaskPolls?: number;
}

/** Creates the worker that runs conversion workflows and their activities. */
export async function createConversionWorker(options: ConversionWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('./workflows') }),
    activities: createActivities(options.deps),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 100,
    ...options.tuning,
  });
}

export interface StartWorkerOptions {
  settings: Settings;
  /** The mapping; read from `settings.mappingPath` (or the defaults) when unset. */
  mapping?: MappingConfig;
  /** @default () => new Date() */
  clock?: () => Date;
  profiles?: ProfileStore;
  logger?: Logger;
  workflowBundle?: WorkflowBundleOption;
  /** Activities run at once by this worker. @default 100 */
  maxConcurrentActivities?: number;
  tuning?: WorkerTuning;
  /**
   * Creates or updates the signal scan schedule at start (see `ensureSignalSchedule`), with these
   * options; `false` leaves schedules alone. Only when a signal is on and `profiles` is set.
   * @default {}
   */
  signalSchedule?: false | Pick<SignalScheduleOptions, 'scheduleId' | 'scanInput' | 'paused'>;
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  /** Stops polling, lets activities in flight finish, then closes connections. */
  stop(): Promise<void>;
}

/**
 * Starts a conversion worker from the settings: registers the search attributes, connects to
 * Temporal and the Graph API, and polls until `stop()`. Throws before polling when the mapping file
 * or a setting is invalid, so a misconfigured worker never picks up work.
 */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const { settings } = options;
  const logger = options.logger ?? createLogger('worker');
  const scansSignals = signalsEnabled(settings.signals) && options.profiles !== undefined;
  const configuredMapping = options.mapping ?? loadMappingConfig(settings.mappingPath);
  // The signal events need rules that send them as system_generated custom events.
  const mapping = scansSignals
    ? withSignalRules(configuredMapping, settings.signals.config)
    : configuredMapping;
  const address = settings.temporal.address ?? DEFAULT_TEMPORAL_ADDRESS;

  const admin = await Connection.connect({ address }).catch((error: unknown) => {
    throw new Error(
      `cannot connect to Temporal at ${address} (TEMPORAL_ADDRESS): ${error instanceof Error ? error.message : String(error)}. ` +
        'Start a server (temporal server start-dev) or set TEMPORAL_ADDRESS to a running one.',
      { cause: error },
    );
  });
  try {
    await registerSearchAttributes(admin, settings.temporal.namespace);
    if (scansSignals && options.signalSchedule !== false) {
      const client = new Client({ connection: admin, namespace: settings.temporal.namespace });
      const ensured = await ensureSignalSchedule(client, {
        ...options.signalSchedule,
        taskQueue: settings.temporal.taskQueue,
        schedule: settings.signals.schedule,
      });
      logger.info({ ...ensured }, 'signal scan schedule ready');
    }
  } finally {
    await admin.close();
  }

  const connection = await NativeConnection.connect({ address });
  const sender = new GraphClient({
    graphBaseUrl: settings.meta.graphBaseUrl,
    graphApiVersion: settings.meta.graphApiVersion,
    requestTimeoutMs: settings.meta.requestTimeoutMs,
  });
  const clock = options.clock ?? (() => new Date());
  const deps: ActivityDeps = {
    mapping,
    identity: { defaultCountry: settings.defaultCountry },
    clock,
    sender,
    accessToken: settings.meta.accessToken,
    testEventCode: settings.meta.testEventCode,
    profiles: options.profiles,
    deliveries: options.profiles,
    orders: options.profiles,
    ...(options.profiles
      ? {
          signals: {
            store: options.profiles,
            config: settings.signals.config,
            pixelId: settings.meta.pixelId,
          },
        }
      : {}),
    logger,
  };

  const worker = await createConversionWorker({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    deps,
    workflowBundle: options.workflowBundle,
    maxConcurrentActivities: options.maxConcurrentActivities,
    tuning: options.tuning,
  });
  logger.info(
    { taskQueue: settings.temporal.taskQueue, namespace: settings.temporal.namespace, address },
    'worker started',
  );

  const done = worker.run().finally(async () => {
    await sender.close();
    await connection.close();
    logger.info({ taskQueue: settings.temporal.taskQueue }, 'worker stopped');
  });
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
