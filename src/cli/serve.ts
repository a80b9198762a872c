import { Command, InvalidArgumentError } from 'commander';
import { ConversionStarter } from '../client';
import { loadMappingConfig } from '../config/mapping';
import { loadSettings } from '../config/settings';
import { createIngestServer } from '../ingest/server';
import { createLogger } from '../logging';
import { openProfileStoreFor } from '../profiles/from-settings';
import { createProfileSink } from '../profiles/call-updates';
import { RejectedCallStore } from '../rejections/store';

/** The Temporal frontend address used when TEMPORAL_ADDRESS is unset: the dev server's default. */
const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

interface ServeOptions {
  port?: number;
  host?: string;
  config?: string;
}

/** `cio-capi serve`: the ingest HTTP server that turns Customer.io calls into workflow starts. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the Customer.io ingest endpoints (/v1/pipelines, /v1/journeys, /health)')
    .option(
      '--port <number>',
      'TCP port to listen on (else CIO_CAPI_PORT, default 3000)',
      parsePort,
    )
    .option('--host <address>', 'address to listen on (else CIO_CAPI_HOST, default 127.0.0.1)')
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .action(async (options: ServeOptions) => {
      await serve(options);
    });
}

async function serve(options: ServeOptions): Promise<void> {
  const logger = createLogger('ingest');
  const settings = loadSettings({
    configPath: options.config,
    require: ['pixelId', 'ingestSecrets'],
  });
  const mapping = loadMappingConfig(settings.mappingPath);
  const temporalAddress = settings.temporal.address ?? DEFAULT_TEMPORAL_ADDRESS;
  const starter = ConversionStarter.create({
    address: temporalAddress,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
  });

  const identityOptions = { defaultCountry: settings.defaultCountry };
  const profiles = await openProfileStoreFor(settings);
  const app = createIngestServer({
    settings,
    starter,
    mapping,
    identityOptions,
    profileSink: createProfileSink(profiles, identityOptions),
    rejectionSink: new RejectedCallStore(profiles.db),
    logger,
  });
  app.addHook('onClose', async () => {
    await profiles.close();
  });

  const address = await app.listen({
    port: options.port ?? settings.ingest.port,
    host: options.host ?? settings.ingest.host,
  });
  process.stdout.write(`cio-capi ingest listening on ${address} (Temporal ${temporalAddress})\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await starter.close();
  logger.info('ingest server stopped');
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(
      `invalid port "${text}": expected a whole number from 0 to 65535`,
    );
  }
  return port;
}
