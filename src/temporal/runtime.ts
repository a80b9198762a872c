import { Runtime, type Logger as TemporalLogger, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logging';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker state, workflow and activity failures) into the
 * component's JSON logger, at `level` and above. Call it once, before the first worker is created.
 */
export function installTemporalLogging(logger: Logger, level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;

  const write = (at: LogLevel, message: string, meta?: Record<string, unknown>) => {
    const method = PINO_METHOD[at];
    logger[method]({ ...meta, source: 'temporal' }, message);
  };
  const adapter: TemporalLogger = {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
  Runtime.install({ logger: filterBelow(adapter, level) });
}

const PINO_METHOD = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const;

const ORDER: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

function filterBelow(logger: TemporalLogger, level: LogLevel): TemporalLogger {
  const min = ORDER.indexOf(level);
  const pass = (at: LogLevel) => ORDER.indexOf(at) >= min;
  return {
    log: (at, message, meta) => void (pass(at) && logger.log(at, message, meta)),
    trace: (message, meta) => void (pass('TRACE') && logger.trace(message, meta)),
    debug: (message, meta) => void (pass('DEBUG') && logger.debug(message, meta)),
    info: (message, meta) => void (pass('INFO') && logger.info(message, meta)),
    warn: (message, meta) => void (pass('WARN') && logger.warn(message, meta)),
    error: (message, meta) => void (pass('ERROR') && logger.error(message, meta)),
  };
}
