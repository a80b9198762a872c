import { Command } from 'commander';
import { loadSettings } from '../config/settings';
import { createLogger } from '../logging';
import { openProfileStoreFor } from '../profiles/from-settings';
import { installTemporalLogging } from '../temporal/runtime';
import { startWorker } from '../worker';

/** `cio-capi worker`: runs conversion workflows and their activities until interrupted. */
export function workerCommand(): Command {
  return new Command('worker')
    .description('run the Temporal worker that normalizes, maps and sends conversions')
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .action(async (options: { config?: string }) => {
      const logger = createLogger('worker');
      installTemporalLogging(logger, 'WARN');
      const settings = loadSettings({
        configPath: options.config,
        require: ['pixelId', 'accessToken'],
      });
      const profiles = await openProfileStoreFor(settings);
      const running = await startWorker({ settings, profiles, logger });

      const stop = () => {
        logger.info('shutting down: finishing activities in flight');
        void running.stop();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await running.done;
      await profiles.close();
    });
}
