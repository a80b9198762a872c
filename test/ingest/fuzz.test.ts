import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import type { ConversionStarter } from '../../src/client';
import {
  BEARER_SECRET,
  buildServer,
  createStarter,
  listen,
  orderCompleted,
  send,
  uniqueTaskQueue,
} from './helpers';
import { JOURNEY_REQUEST, SIGNED_PIPELINES_REQUEST } from './vectors';

const REQUESTS = 10_000;
const PARALLEL = 32;
/** Heap growth allowed across the run after a full GC, in bytes: generous, to catch leaks only. */
const HEAP_GROWTH_BOUND = 64 * 1024 * 1024;
const ALLOWED_STATUS = new Set([202, 400, 401, 404, 413, 415, 503]);

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A seeded generator (mulberry32), so a failing case can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Generator = ReturnType<typeof generator>;

function randomValue(g: Generator, depth = 0): unknown {
  switch (g.int(depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return g.next() < 0.5;
    case 2:
      return g.pick([0, -1, 1e308, -1e-308, 2 ** 53 + 1, 1796126400000, 0.1]);
    case 3:
      return g.pick([
        '',
        ' ',
        'track',
        'identify',
        '\u0000',
        '\ud800',
        '💥'.repeat(g.int(50)),
        '__proto__',
        'x'.repeat(g.int(3000)),
      ]);
    case 4:
      return String(g.next());
    case 5:
      return g.pick(['2026-12-01T12:00:00Z', 'not a date', '1796126400']);
    case 6:
      return Array.from({ length: g.int(4) }, () => randomValue(g, depth + 1));
    case 7: {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < g.int(5); i += 1)
        record[
          g.pick(['a', 'type', 'messageId', '__proto__', 'constructor', 'batch', 'event', 'email'])
        ] = randomValue(g, depth + 1);
      return record;
    }
    default:
      return orderCompleted();
  }
}

function mutateCall(g: Generator): Record<string, unknown> {
  const call: Record<string, unknown> =
    g.next() < 0.3 ? orderCompleted() : { ...orderCompleted(), messageId: `fuzz_${g.int(50)}` };
  const keys = [
    'type',
    'messageId',
    'timestamp',
    'userId',
    'anonymousId',
    'event',
    'properties',
    'context',
    'traits',
  ];
  for (let i = 0; i < 1 + g.int(3); i += 1) {
    const key = g.pick(keys);
    if (g.next() < 0.3) delete call[key];
    else call[key] = randomValue(g);
  }
  return call;
}

function deepNesting(g: Generator): string {
  const depth = 1000 + g.int(20_000);
  return `{"batch":[${'['.repeat(depth)}${']'.repeat(depth)}]}`;
}

interface FuzzRequest {
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

function fuzzRequest(g: Generator): FuzzRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${BEARER_SECRET}`,
  };
  const path = g.next() < 0.75 ? '/v1/pipelines' : '/v1/journeys';
  let body: string | Buffer;

  switch (g.int(11)) {
    case 0:
      body = Buffer.from(Array.from({ length: g.int(2000) }, () => g.int(256)));
      break;
    case 1: {
      const text = JSON.stringify(
        g.next() < 0.5 ? orderCompleted() : { batch: [orderCompleted(), orderCompleted()] },
      );
      body = text.slice(0, g.int(text.length));
      break;
    }
    case 2:
      body = JSON.stringify(mutateCall(g));
      break;
    case 3:
      body = JSON.stringify({
        batch: Array.from({ length: g.int(20) }, () =>
          g.next() < 0.5 ? mutateCall(g) : randomValue(g),
        ),
      });
      break;
    case 4:
      body = JSON.stringify(randomValue(g));
      break;
    case 5:
      body =
        g.next() < 0.1
          ? JSON.stringify({ batch: [orderCompleted({ filler: 'q'.repeat(520 * 1024) })] })
          : JSON.stringify(orderCompleted({ filler: 'q'.repeat(33 * 1024) }));
      break;
    case 6: {
      const journey = JSON.parse(JOURNEY_REQUEST.body) as Record<string, unknown>;
      journey[
        g.pick(['event_name', 'event_id', 'occurred_at', 'customer', 'properties', 'context'])
      ] = randomValue(g);
      body = JSON.stringify(journey);
      headers['x-cio-idempotency-key'] = g.next() < 0.5 ? randomUUID() : 'x'.repeat(g.int(5000));
      break;
    }
    case 7:
      body = deepNesting(g);
      break;
    case 8: {
      body = SIGNED_PIPELINES_REQUEST.body;
      delete headers.authorization;
      headers['x-signature'] = g.pick([
        SIGNED_PIPELINES_REQUEST.signature,
        'f'.repeat(40),
        'xyz',
        '',
      ]);
      break;
    }
    case 9: {
      body = JSON.stringify(orderCompleted());
      headers['content-type'] = g.pick([
        'text/plain',
        'application/json; charset=latin1',
        'application/jsonx',
        'multipart/form-data; boundary=x',
        '',
      ]);
      break;
    }
    default: {
      body = JSON.stringify(mutateCall(g));
      headers.authorization = g.pick([
        'Bearer',
        'Basic Og==',
        `Bearer ${BEARER_SECRET.slice(1)}`,
        'Basic ' + 'A'.repeat(g.int(4000)),
        '',
      ]);
    }
  }
  if (headers['content-type'] === '') delete headers['content-type'];
  if (headers.authorization === '') delete headers.authorization;
  return { path, headers, body };
}

let starter: ConversionStarter;
let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  starter = createStarter(uniqueTaskQueue('fuzz'));
  app = buildServer(starter);
  baseUrl = await listen(app);
});

afterAll(async () => {
  await app.close();
  await starter.close();
});

test('fuzzed bodies never crash server', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);

  const g = generator(20261201);
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const run = async (count: number) => {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const request = fuzzRequest(g);
        next += 1;
        const response = await send(baseUrl, 'POST', request.path, request.headers, request.body);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        if (!ALLOWED_STATUS.has(response.statusCode) && failures.length < 5) {
          failures.push(
            `${response.statusCode} ${String(request.body).slice(0, 200)} -> ${response.text.slice(0, 300)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, lane));
  };

  // A warm-up round loads every code path, so the heap is compared after the first allocations.
  await run(500);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  await run(REQUESTS);
  collectGarbage();
  const heapAfter = process.memoryUsage().heapUsed;
  process.off('unhandledRejection', onUnhandled);

  expect(failures).toEqual([]);
  expect(unhandled).toEqual([]);
  expect(heapAfter - heapBefore).toBeLessThan(HEAP_GROWTH_BOUND);
  expect([...statuses.values()].reduce((sum, n) => sum + n, 0)).toBe(REQUESTS + 500);
  expect(statuses.get(202)).toBeGreaterThan(0);
  expect(statuses.get(400)).toBeGreaterThan(0);
  expect((await send(baseUrl, 'GET', '/health')).statusCode).toBe(200);
});
