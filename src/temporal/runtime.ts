import { IllegalStateError } from '@temporalio/common';
import { Runtime, type Logger as TemporalLogger, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logging';
import { FAILURE_TYPES } from '../workflows/failure-types';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker state, workflow and activity failures) into the
 * component's JSON logger, at `level` and above. Call it once, before the first worker is created.
 */
export function installTemporalLogging(logger: Logger, level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;

  const write = (at: LogLevel, message: string, meta?: Record<string, unknown>) => {
    if (isExpectedOutcome(meta)) return;
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
  try {
    Runtime.install({ logger: filterBelow(adapter, level) });
  } catch (error) {
    // A test runner can load this module afresh in a process whose Runtime already exists.
    if (!(error instanceof IllegalStateError)) throw error;
  }
}

/**
 * True for the SDK's "Workflow failed" line about a rejected or expired conversion. Those are
 * outcomes, not faults: the workflow carries the reason, and the activities log one line each.
 */
function isExpectedOutcome(meta: Record<string, unknown> | undefined): boolean {
  // The error crosses from the workflow sandbox as a copy, so its class is checked by shape.
  const type = (meta?.error as { type?: unknown } | undefined)?.type;
  return type === FAILURE_TYPES.conversionRejected || type === FAILURE_TYPES.conversionExpired;
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
