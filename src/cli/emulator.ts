import { Command, InvalidArgumentError } from 'commander';
import { readFaultsFile } from '../emulator/faults';
import { startEmulator } from '../emulator/server';
import { createLogger } from '../logging';

interface EmulatorCommandOptions {
  port: number;
  host: string;
  pixel?: string;
  token: string[];
  now?: string;
  latency: number;
  faults?: string;
}

/**
 * `cio-capi emulator`: serves the Meta Graph API events endpoint on loopback until SIGINT or
 * SIGTERM. It prints `{"url": "..."}` as its first stdout line, then JSON log lines.
 */
export function emulatorCommand(): Command {
  return new Command('emulator')
    .description('run a local emulator of the Meta Graph API events endpoint')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parsePort, 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--pixel <id>', 'pixel (dataset) id that the emulator knows')
    .option('--token <token>', 'access token the pixel accepts; repeat for several', collect, [])
    .option('--now <iso>', 'pin the clock of the 7-day event age check to this ISO 8601 time')
    .option('--latency <ms>', 'delay before each answer, in milliseconds', parseLatency, 0)
    .option('--faults <file>', 'JSON file of scripted faults to queue at startup')
    .action(async (options: EmulatorCommandOptions) => {
      if (options.pixel !== undefined && !/^\d+$/.test(options.pixel)) {
        throw new InvalidArgumentError(`invalid --pixel "${options.pixel}": expected digits only`);
      }
      if (options.pixel === undefined && options.token.length > 0) {
        throw new InvalidArgumentError('--token needs --pixel: name the pixel that accepts it');
      }
      if (options.now !== undefined && Number.isNaN(Date.parse(options.now))) {
        throw new InvalidArgumentError(`invalid --now "${options.now}": expected an ISO 8601 time`);
      }

      const logger = createLogger('emulator');
      const emulator = await startEmulator({
        host: options.host,
        port: options.port,
        pixels: options.pixel === undefined ? {} : { [options.pixel]: options.token },
        now: options.now,
        latencyMs: options.latency,
        faults: options.faults === undefined ? [] : readFaultsFile(options.faults),
        logger,
      });
      process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);

      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      logger.info('shutting down');
      await emulator.close();
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`invalid port "${value}": expected 0 to 65535`);
  }
  return port;
}

function parseLatency(value: string): number {
  const latency = Number(value);
  if (!Number.isInteger(latency) || latency < 0) {
    throw new InvalidArgumentError(`invalid latency "${value}": expected milliseconds, 0 or more`);
  }
  return latency;
}
