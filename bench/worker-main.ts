import { loadSettings } from '../src/config/settings';
import { createLogger } from '../src/logging';
import { openProfileStore } from '../src/profiles';
import { installTemporalLogging } from '../src/temporal/runtime';
import { startWorker, type WorkerTuning } from '../src/worker';
import { WORKER_TUNING_ENV } from './env';

/**
 * Runs the benchmark worker: `cio-capi worker` with tuning read from BENCH_WORKER_TUNING, in its own
 * process so its memory and CPU can be read from /proc. It stops on SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const logger = createLogger('worker', process.env.LOG_LEVEL ?? 'warn');
  installTemporalLogging(logger, 'WARN');
  const settings = loadSettings({ require: ['pixelId', 'accessToken'] });
  const tuning = JSON.parse(process.env[WORKER_TUNING_ENV] ?? '{}') as WorkerTuning & {
    maxConcurrentActivities?: number;
  };
  const { maxConcurrentActivities, ...workerTuning } = tuning;
  const profiles = await openProfileStore({
    databaseUrl: settings.databaseUrl,
    sqlitePath: settings.sqlitePath,
  });
  const running = await startWorker({
    settings,
    profiles,
    logger,
    maxConcurrentActivities,
    tuning: workerTuning,
  });
  process.stdout.write('worker ready\n');

  const stop = () => void running.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await running.done;
  await profiles.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench worker failed: ${String(error)}\n`);
    process.exit(1);
  },
);
