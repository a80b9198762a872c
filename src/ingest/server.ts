import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import pino from 'pino';
import { Authenticator, WWW_AUTHENTICATE } from './auth';
import { INGEST_LIMITS, type IngestLimits } from './limits';
import { IngestMetrics } from './metrics';
import { registerCallRoutes } from './routes';
import { errorBody, type RouteConfig } from './replies';
import { createPrepare } from './prepare';
import type { IngestServerOptions, PrepareCall } from './types';

/**
 * Builds the ingest HTTP server: `POST /v1/pipelines`, `POST /v1/journeys`, `GET /health` and
 * `GET /metrics`. The caller listens and closes; `close()` lets in-flight requests finish.
 */
export function createIngestServer(options: IngestServerOptions): FastifyInstance {
  const limits: IngestLimits = { ...INGEST_LIMITS, ...options.limits };
  const logger = options.logger ?? pino({ level: 'info' });
  const app = Fastify({
    loggerInstance: logger,
    // The onResponse hook writes one access line per request, without headers or bodies.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'requestId',
    }),
    bodyLimit: limits.maxRequestBytes,
    genReqId: requestIdOf,
  }) as unknown as FastifyInstance;

  const authenticator = new Authenticator(options.settings.ingest);
  const metrics = new IngestMetrics();

  // The raw bytes are kept because X-Signature is computed over them; JSON is parsed by the route.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  // Credentials are checked before the body is read, so an unauthenticated sender costs no parsing.
  // A request with only an X-Signature waits for its body in preHandler.
  app.addHook('onRequest', async (request, reply) => {
    const config = routeConfig(request);
    reply.header('x-request-id', request.id);
    if (!config?.authenticated) return;

    const authorization = authenticator.checkAuthorization(request.headers.authorization);
    if (authorization === 'valid') return;
    const signatureLater =
      config.signed &&
      authenticator.verifiesSignatures &&
      request.headers['x-signature'] !== undefined;
    if (signatureLater) return;

    const message =
      authorization === 'absent'
        ? 'credentials are missing: send Authorization: Bearer <secret>'
        : 'credentials are invalid';
    return reply
      .code(401)
      .header('www-authenticate', WWW_AUTHENTICATE)
      .send(errorBody(request, 'unauthorized', message));
  });

  // A present X-Signature is always verified, and a wrong one is rejected even with a valid
  // bearer secret: it means the body changed on the way or the sender's secret is not ours.
  app.addHook('preHandler', async (request, reply) => {
    const config = routeConfig(request);
    if (!config?.signed) return;
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = authenticator.checkSignature(request.headers['x-signature'], raw);
    if (signature !== 'invalid') return;
    return reply
      .code(401)
      .header('www-authenticate', WWW_AUTHENTICATE)
      .send(errorBody(request, 'invalid_signature', 'X-Signature does not match the body'));
  });

  app.addHook('onResponse', async (request, reply) => {
    const label = routeConfig(request)?.label ?? 'unmatched';
    metrics.countRequest(label, reply.statusCode);
    request.log.info(
      {
        method: request.method,
        route: label,
        path: pathOf(request),
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .send(
          errorBody(
            request,
            'request_too_large',
            `the body is larger than ${limits.maxRequestBytes} bytes; send smaller batches`,
          ),
        );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply
        .code(415)
        .send(errorBody(request, 'unsupported_media_type', 'the body must be application/json'));
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send(errorBody(request, 'bad_request', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send(
        errorBody(
          request,
          'internal_error',
          'internal error; quote the requestId when reporting it',
        ),
      );
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody(request, 'not_found', `no route ${request.method} ${pathOf(request)}`)),
  );

  app.get(
    '/health',
    { config: { label: 'health' } satisfies RouteConfig },
    async (request, reply) => {
      try {
        await options.starter.ping();
        return { status: 'ok', temporal: 'ok' };
      } catch (error) {
        request.log.warn({ err: error }, 'health check failed: Temporal did not respond');
        return reply
          .code(503)
          .header('retry-after', String(limits.retryAfterSeconds))
          .send({ status: 'unavailable', temporal: 'unavailable' });
      }
    },
  );

  if (options.metrics ?? true) {
    const config: RouteConfig = { authenticated: true, label: 'metrics' };
    app.get('/metrics', { config }, async (_request, reply) => {
      const rendered = await metrics.render();
      return reply.type(rendered.contentType).send(rendered.body);
    });
  }

  registerCallRoutes(app, { ...options, prepare: prepareOf(options), limits, metrics });
  return app;
}

function prepareOf(options: IngestServerOptions): PrepareCall {
  if (options.prepare) return options.prepare;
  if (!options.mapping) {
    throw new TypeError('createIngestServer needs either a prepare step or a mapping');
  }
  return createPrepare({
    pixelId: options.settings.meta.pixelId,
    mapping: options.mapping,
    identityOptions: options.identityOptions,
  });
}

function routeConfig(request: FastifyRequest): RouteConfig | undefined {
  const config = request.routeOptions.config as Partial<RouteConfig> | undefined;
  return config?.label === undefined ? undefined : (config as RouteConfig);
}

/** Uses the sender's `x-request-id` when it is a plain token, else a new UUID. */
function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  if (typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header)) return header;
  return randomUUID();
}

/** The path without its query string, cut to 200 characters for logs. */
function pathOf(request: FastifyRequest): string {
  const path = request.url.split('?', 1)[0] ?? '';
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
