import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConversionOrigin } from '../workflows/types';
import { dispatchCalls, messageIdOf, type DispatchOutcome, type IncomingCall } from './dispatch';
import { callTooLarge, isBatch, parseBody, pipelinesCalls, type BodyProblem } from './body';
import { journeyToCall } from './journeys';
import type { IngestLimits } from './limits';
import type { IngestMetrics } from './metrics';
import { errorBody, type RouteConfig } from './replies';
import { sealRejectedCall } from './prepare';
import type { CallResult, IngestRoute, IngestServerOptions, PrepareCall } from './types';
import { CALL_OUTCOME, INGEST_ROUTE } from './types';

type RouteDeps = Omit<IngestServerOptions, 'metrics' | 'limits' | 'prepare'> & {
  prepare: PrepareCall;
  limits: IngestLimits;
  metrics: IngestMetrics;
};

export function registerCallRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const pipelines: RouteConfig = {
    authenticated: true,
    signed: true,
    label: INGEST_ROUTE.pipelines,
  };
  app.post('/v1/pipelines', { config: pipelines }, async (request, reply) => {
    const receivedAt = new Date().toISOString();
    const parsed = parseBody(request, deps.limits.maxJsonDepth);
    if (!parsed.ok)
      return sendProblem(request, reply, deps, INGEST_ROUTE.pipelines, receivedAt, parsed);
    const calls = pipelinesCalls(parsed.value, parsed.bytes, deps.limits);
    if (!Array.isArray(calls)) {
      return sendProblem(
        request,
        reply,
        deps,
        INGEST_ROUTE.pipelines,
        receivedAt,
        calls,
        parsed.value,
      );
    }
    const single = !isBatch(parsed.value);
    return handleCalls(
      request,
      reply,
      deps,
      INGEST_ROUTE.pipelines,
      'pipelines',
      receivedAt,
      calls,
      single,
    );
  });

  const journeys: RouteConfig = { authenticated: true, label: INGEST_ROUTE.journeys };
  app.post('/v1/journeys', { config: journeys }, async (request, reply) => {
    const receivedAt = new Date().toISOString();
    const parsed = parseBody(request, deps.limits.maxJsonDepth);
    if (!parsed.ok)
      return sendProblem(request, reply, deps, INGEST_ROUTE.journeys, receivedAt, parsed);
    if (parsed.bytes > deps.limits.maxCallBytes) {
      const problem = callTooLarge(parsed.bytes, deps.limits.maxCallBytes);
      return sendProblem(
        request,
        reply,
        deps,
        INGEST_ROUTE.journeys,
        receivedAt,
        problem,
        parsed.value,
      );
    }
    const converted = journeyToCall(
      parsed.value,
      {
        idempotencyKey: headerText(request, 'x-cio-idempotency-key'),
        deliveryId: headerText(request, 'x-cio-delivery-id'),
      },
      receivedAt,
    );
    if (!converted.ok) {
      const problem: BodyProblem = {
        status: 400,
        code: 'invalid_call',
        message: 'the journeys webhook body is invalid; see errors',
        errors: converted.errors,
      };
      return sendProblem(
        request,
        reply,
        deps,
        INGEST_ROUTE.journeys,
        receivedAt,
        problem,
        parsed.value,
      );
    }
    const call: IncomingCall = {
      index: 0,
      value: converted.call,
      path: [],
      eventId: converted.eventId,
    };
    return handleCalls(
      request,
      reply,
      deps,
      INGEST_ROUTE.journeys,
      'journeys',
      receivedAt,
      [call],
      true,
    );
  });
}

async function handleCalls(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  route: IngestRoute,
  origin: ConversionOrigin,
  receivedAt: string,
  calls: IncomingCall[],
  single: boolean,
) {
  const outcome = await dispatchCalls(calls, origin, receivedAt, {
    starter: deps.starter,
    prepare: deps.prepare,
    profileSink: deps.profileSink,
    maxCallBytes: deps.limits.maxCallBytes,
    concurrency: deps.limits.startConcurrency,
  });
  deps.metrics.countResults(route, outcome.results);
  await reportRejected(request, deps, route, receivedAt, calls, outcome.results);
  return sendOutcome(request, reply, deps, outcome, single);
}

function sendOutcome(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  outcome: DispatchOutcome,
  single: boolean,
) {
  const { results, failure } = outcome;
  if (failure?.kind === 'unavailable') {
    request.log.warn(
      { err: failure.error, started: countStarted(results) },
      'Temporal is unavailable: answered 503',
    );
    return reply
      .code(503)
      .header('retry-after', String(deps.limits.retryAfterSeconds))
      .send({
        ...errorBody(
          request,
          'temporal_unavailable',
          'Temporal is unavailable; deliver the request again (calls already started come back as duplicate)',
        ),
        results,
      });
  }
  if (failure) {
    request.log.error({ err: failure.error, started: countStarted(results) }, 'request failed');
    return reply.code(500).send({
      ...errorBody(
        request,
        'internal_error',
        'internal error; quote the requestId when reporting it',
      ),
      results,
    });
  }
  const first = results[0];
  if (single && first?.outcome === CALL_OUTCOME.rejected) {
    return reply.code(400).send({
      ...errorBody(request, 'invalid_call', 'the call is invalid; see errors'),
      errors: first.errors ?? [],
    });
  }
  return reply.code(202).send({ results });
}

async function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  route: IngestRoute,
  receivedAt: string,
  problem: BodyProblem,
  body?: unknown,
) {
  const rejected: CallResult = {
    index: 0,
    messageId: messageIdOf(body),
    outcome: CALL_OUTCOME.rejected,
    errors: problem.errors,
  };
  deps.metrics.countResults(route, [rejected]);
  await reportRejected(
    request,
    deps,
    route,
    receivedAt,
    [{ index: 0, value: body, path: [] }],
    [rejected],
  );
  return reply
    .code(problem.status)
    .send({ ...errorBody(request, problem.code, problem.message), errors: problem.errors });
}

/** Logs each rejected call with its field paths and codes (never values) and hands it to the sink. */
async function reportRejected(
  request: FastifyRequest,
  deps: RouteDeps,
  route: IngestRoute,
  receivedAt: string,
  calls: IncomingCall[],
  results: CallResult[],
): Promise<void> {
  for (const result of results) {
    if (result.outcome !== CALL_OUTCOME.rejected) continue;
    const errors = result.errors ?? [];
    request.log.warn(
      {
        route,
        index: result.index,
        messageId: result.messageId,
        fields: errors.map((error) => ({ path: error.path, code: error.code })),
      },
      'call rejected',
    );
    if (!deps.rejectionSink) continue;
    try {
      await deps.rejectionSink.recordRejectedCall({
        route,
        requestId: request.id,
        index: result.index,
        messageId: result.messageId,
        receivedAt,
        errors,
        call: sealRejectedCall(calls[result.index]?.value, deps.identityOptions),
      });
    } catch (error) {
      request.log.error(
        { err: error, index: result.index },
        'rejection sink failed to record a call',
      );
    }
  }
}

function headerText(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function countStarted(results: CallResult[]): number {
  return results.filter(
    (result) =>
      result.outcome === CALL_OUTCOME.started || result.outcome === CALL_OUTCOME.duplicate,
  ).length;
}
