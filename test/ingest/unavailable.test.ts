import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ConversionStarter } from '../../src/client';
import type { WorkflowStarter } from '../../src/ingest/types';
import {
  bearer,
  buildServer,
  closedPort,
  createStarter,
  listen,
  orderCompleted,
  send,
  temporalAddress,
  temporalClient,
  uniqueTaskQueue,
  workflowExists,
} from './helpers';

const taskQueue = uniqueTaskQueue('unavailable');
const starters: ConversionStarter[] = [];
const servers: FastifyInstance[] = [];
let temporal: { client: Client; close: () => Promise<void> };

beforeAll(async () => {
  temporal = await temporalClient();
});

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const starter of starters) await starter.close();
  await temporal.close();
});

async function serverOn(address: string, wrap?: (starter: ConversionStarter) => WorkflowStarter) {
  const starter = createStarter(taskQueue, address);
  starters.push(starter);
  const app = buildServer(starter, {
    starter: wrap ? wrap(starter) : starter,
    limits: { startConcurrency: 4 },
  });
  servers.push(app);
  return listen(app);
}

/** Starts a TCP relay to Temporal that the test can cut, as if Temporal stopped. */
async function startRelay(): Promise<{ address: string; cut: () => void }> {
  const [host, port] = temporalAddress().split(':');
  const sockets = new Set<Socket>();
  const relay: Server = createServer((client) => {
    const upstream = connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return {
    address: `127.0.0.1:${address.port}`,
    cut: () => {
      relay.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

test('closed port answers 503', async () => {
  const base = await serverOn(`127.0.0.1:${await closedPort()}`);
  const response = await send(
    base,
    'POST',
    '/v1/pipelines',
    bearer(),
    JSON.stringify(orderCompleted()),
  );

  expect(response.statusCode).toBe(503);
  expect(response.headers['retry-after']).toBe('10');
  const body = response.json();
  expect(body.code).toBe('temporal_unavailable');
  expect(body.results[0]!.outcome).toBe('not_started');
});

test('bad input still 400 when down', async () => {
  const base = await serverOn(`127.0.0.1:${await closedPort()}`);
  const response = await send(base, 'POST', '/v1/pipelines', bearer(), '{"type":1}');

  expect(response.statusCode).toBe(400);
});

test('health follows Temporal', async () => {
  const up = await serverOn(temporalAddress());
  const down = await serverOn(`127.0.0.1:${await closedPort()}`);

  const ok = await send(up, 'GET', '/health');
  const unavailable = await send(down, 'GET', '/health');
  expect(ok.statusCode).toBe(200);
  expect(ok.json()).toEqual({ status: 'ok', temporal: 'ok' });
  expect(unavailable.statusCode).toBe(503);
  expect(unavailable.json()).toEqual({ status: 'unavailable', temporal: 'unavailable' });
});

test('Temporal stopped mid-batch', async () => {
  const relay = await startRelay();
  let completed = 0;
  const base = await serverOn(relay.address, (starter) => ({
    ping: () => starter.ping(),
    start: async (input) => {
      const started = await starter.start(input);
      completed += 1;
      if (completed === 5) relay.cut();
      return started;
    },
  }));
  const batch = Array.from({ length: 40 }, () => orderCompleted());
  const response = await send(base, 'POST', '/v1/pipelines', bearer(), JSON.stringify({ batch }));

  expect(response.statusCode).toBe(503);
  const results: Array<{ outcome: string; workflowId?: string; index: number }> =
    response.json().results;
  expect(results).toHaveLength(40);
  const acknowledged = results.filter((result) => result.outcome === 'started');
  const notStarted = results.filter((result) => result.outcome === 'not_started');
  expect(acknowledged.length).toBeGreaterThanOrEqual(5);
  expect(notStarted.length).toBeGreaterThan(0);
  expect(acknowledged.length + notStarted.length).toBe(40);
  for (const result of acknowledged) {
    expect(await workflowExists(temporal.client, result.workflowId!)).toBe(true);
  }

  // Redelivery once Temporal is back: the acknowledged calls come back as duplicates.
  const again = await serverOn(temporalAddress());
  const retry = await send(again, 'POST', '/v1/pipelines', bearer(), JSON.stringify({ batch }));
  expect(retry.statusCode).toBe(202);
  const retried: Array<{ outcome: string; index: number }> = retry.json().results;
  for (const result of acknowledged) expect(retried[result.index]!.outcome).toBe('duplicate');
  expect(
    retried.every((result) => result.outcome === 'started' || result.outcome === 'duplicate'),
  ).toBe(true);
});
