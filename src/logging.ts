import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that never reach a log line, whatever a caller passes: tokens and secrets, and raw
 * personal data if a whole call were ever logged by mistake.
 */
const REDACTED_PATHS = [
  'accessToken',
  'access_token',
  '*.accessToken',
  '*.access_token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-signature"]',
  'email',
  'phone',
  '*.email',
  '*.phone',
  'traits',
  '*.traits',
];

/**
 * Creates the JSON-lines logger of one component. The level comes from LOG_LEVEL (default `info`).
 */
export function createLogger(component: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { component },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
