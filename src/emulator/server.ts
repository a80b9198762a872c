import { setMaxListeners } from 'node:events';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerAdminRoutes } from './admin-routes';
import { registerEventsRoute } from './events-route';
import { FaultQueue, parseFaults, type Fault, type FaultInput } from './faults';
import { graphRejection } from './graph-errors';
import { EmulatorStore } from './store';
import { TokenRegistry } from './tokens';

export interface EmulatorOptions {
  /** Each known pixel id with the access tokens it accepts. @default {} */
  pixels?: Record<string, string[]>;
  /** Delay before each response, in milliseconds. @default 0 */
  latencyMs?: number;
  /**
   * The emulator's clock for the event age check: a fixed time (Date, ISO 8601 string or Unix
   * milliseconds) or a function. @default the system clock
   */
  now?: Date | string | number | (() => Date);
  /** When set, every request must carry the matching `appsecret_proof`. @default unset */
  appSecret?: string;
  /** Faults queued at startup. @default [] */
  faults?: Array<Fault | FaultInput>;
  /** @default 127.0.0.1 */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /**
   * Logs one line per events request (pixel id, status, error code, event count) and every
   * server error. Tokens and query strings are never logged. @default no logging
   */
  logger?: Logger;
}

export interface RunningEmulator {
  /** Base URL to use as the Graph API base URL, such as `http://127.0.0.1:40123`. */
  url: string;
  store: EmulatorStore;
  faults: FaultQueue;
  /** Replaces the accepted tokens of a pixel, creating the pixel when it is new. */
  setTokens(pixelId: string, tokens: string[]): void;
  close(): Promise<void>;
}

/** Largest accepted request body, in bytes: 1,000 full events fit with room to spare. */
const BODY_LIMIT_BYTES = 20 * 1024 * 1024;

/** Starts the Meta Graph API emulator and returns once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const logger = options.logger;
  const store = new EmulatorStore(
    logger &&
      ((request) => {
        const { pixelId, status, error, fault, eventIds } = request;
        logger.info({ pixelId, status, error, fault, events: eventIds.length }, 'events request');
      }),
  );
  const faults = new FaultQueue();
  faults.add(parseFaults(options.faults ?? []));
  const tokens = new TokenRegistry(options.pixels ?? {});
  const closing = new AbortController();
  // Every delayed response listens on this signal; hundreds may wait at once under load.
  setMaxListeners(0, closing.signal);

  const app = buildApp(logger);
  registerEventsRoute(app, {
    store,
    faults,
    tokens,
    latencyMs: options.latencyMs ?? 0,
    clock: toClock(options.now),
    appSecret: options.appSecret,
    closing: closing.signal,
  });
  registerAdminRoutes(app, { store, faults, tokens });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`Emulator listens on an unexpected address: ${String(address)}`);
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    store,
    faults,
    setTokens: (pixelId, list) => tokens.setTokens(pixelId, list),
    close: async () => {
      closing.abort();
      await app.close();
    },
  };
}

function buildApp(logger: Logger | undefined): FastifyInstance {
  // Fastify's request logs would print each URL, and a query string can carry the token. Its
  // own lines are kept at warn, so the startup line of the CLI stays the first on stdout.
  const app = (
    logger
      ? Fastify({
          loggerInstance: logger.child({}, { level: 'warn' }),
          logController: new LogController({ disableRequestLogging: true }),
          bodyLimit: BODY_LIMIT_BYTES,
        })
      : Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES })
  ) as FastifyInstance;

  // Meta takes form bodies too, with `data` as a JSON string.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  // Parse errors and unknown paths get Meta's error envelope, so senders see what Meta would send.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.name === 'AbortError') return reply.code(503).send();
    const status = error.statusCode ?? 500;
    if (status >= 500) app.log.error({ err: error }, 'emulator request failed');
    const rejection = graphRejection({ code: 100, message: error.message, status });
    return reply.code(status).send(rejection.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const rejection = graphRejection({
      code: 2500,
      message: `Unknown path components: ${path}`,
      status: 400,
    });
    return reply.code(400).send(rejection.body);
  });
  return app;
}

function toClock(now: EmulatorOptions['now']): () => Date {
  if (now === undefined) return () => new Date();
  if (typeof now === 'function') return now;
  const fixed = new Date(now);
  if (Number.isNaN(fixed.getTime())) throw new Error(`Invalid emulator clock "${String(now)}"`);
  return () => new Date(fixed.getTime());
}
