import type { FastifyInstance } from 'fastify';
import { InvalidFaultsError, parseFaults, type FaultQueue } from './faults';
import type { EmulatorStore } from './store';
import type { TokenRegistry } from './tokens';

export interface AdminContext {
  store: EmulatorStore;
  faults: FaultQueue;
  tokens: TokenRegistry;
}

/** The prefix of the admin API, outside any Graph API path. */
export const ADMIN_PREFIX = '/_emulator';

interface EventsQuery {
  pixel_id?: string;
  event_name?: string;
  event_id?: string;
}

/**
 * Registers the admin API that tests and operators use to inspect and script the emulator.
 * Its responses never contain an access token.
 */
export function registerAdminRoutes(app: FastifyInstance, context: AdminContext): void {
  const { store, faults, tokens } = context;

  app.get<{ Querystring: EventsQuery }>(`${ADMIN_PREFIX}/events`, (request, reply) => {
    const { pixel_id: pixelId, event_name: eventName, event_id: eventId } = request.query;
    return reply.send({ events: store.events({ pixelId, eventName, eventId }) });
  });

  app.get<{ Querystring: { event_id?: string } }>(`${ADMIN_PREFIX}/requests`, (request, reply) =>
    reply.send({ requests: store.requests({ eventId: request.query.event_id }) }),
  );

  app.get(`${ADMIN_PREFIX}/summary`, (_request, reply) => reply.send(store.summary()));

  app.post(`${ADMIN_PREFIX}/reset`, (_request, reply) => {
    store.reset();
    faults.clear();
    tokens.reset();
    return reply.send({ reset: true });
  });

  app.get(`${ADMIN_PREFIX}/faults`, (_request, reply) => reply.send({ faults: faults.pending() }));

  app.post(`${ADMIN_PREFIX}/faults`, (request, reply) => {
    try {
      faults.add(parseFaults(request.body));
    } catch (error) {
      if (!(error instanceof InvalidFaultsError)) throw error;
      return reply.code(400).send({ code: error.code, message: error.message });
    }
    return reply.send({ pending: faults.pending().length });
  });

  app.delete(`${ADMIN_PREFIX}/faults`, (_request, reply) => {
    faults.clear();
    return reply.send({ pending: 0 });
  });

  app.put(`${ADMIN_PREFIX}/tokens`, (request, reply) => {
    const body = request.body as { pixelId?: unknown; tokens?: unknown } | undefined;
    const pixelId = body?.pixelId;
    const list = body?.tokens;
    const valid =
      typeof pixelId === 'string' &&
      /^\d+$/.test(pixelId) &&
      Array.isArray(list) &&
      list.every((token) => typeof token === 'string' && token !== '');
    if (!valid) {
      return reply.code(400).send({
        code: 'INVALID_TOKENS',
        message: 'Invalid body: expected { "pixelId": "<digits>", "tokens": ["<token>", ...] }',
      });
    }
    tokens.setTokens(pixelId, list as string[]);
    return reply.send({ pixelId, tokens: list.length });
  });
}
