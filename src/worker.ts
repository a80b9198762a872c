import { Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { loadMappingConfig, type MappingConfig } from './config/mapping';
import type { Settings } from './config/settings';
import { createLogger, type Logger } from './logging';
import { GraphClient } from './meta/client';
import type { ProfileStore } from './profiles';
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
  const mapping = options.mapping ?? loadMappingConfig(settings.mappingPath);
  const address = settings.temporal.address ?? DEFAULT_TEMPORAL_ADDRESS;

  const admin = await Connection.connect({ address });
  try {
    await registerSearchAttributes(admin, settings.temporal.namespace);
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
    logger,
  };

  const worker = await createConversionWorker({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    deps,
    workflowBundle: options.workflowBundle,
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
