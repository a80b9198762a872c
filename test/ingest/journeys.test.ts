import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ConversionStarter } from '../../src/client';
import { journeyToCall } from '../../src/ingest/journeys';
import { conversionWorkflowId } from '../../src/workflows/ids';
import {
  PIXEL_ID,
  bearer,
  buildServer,
  createStarter,
  listen,
  send,
  temporalClient,
  uniqueTaskQueue,
  workflowInput,
} from './helpers';
import { JOURNEY_REQUEST } from './vectors';

let starter: ConversionStarter;
let app: FastifyInstance;
let baseUrl: string;
let temporal: { client: Client; close: () => Promise<void> };

beforeAll(async () => {
  starter = createStarter(uniqueTaskQueue('journeys'));
  app = buildServer(starter);
  baseUrl = await listen(app);
  temporal = await temporalClient();
});

afterAll(async () => {
  await app.close();
  await starter.close();
  await temporal.close();
});

function journeyBody(eventId: string): string {
  return JOURNEY_REQUEST.body.replace('cio-dlv-7Q2M9X', eventId);
}

function deliveryHeaders(idempotencyKey = randomUUID()): Record<string, string> {
  return {
    ...bearer(),
    'x-cio-delivery-id': JOURNEY_REQUEST.deliveryId,
    'x-cio-idempotency-key': idempotencyKey,
  };
}

test('journey webhook starts a workflow', async () => {
  const eventId = `cio-dlv-${randomUUID()}`;
  const key = randomUUID();
  const response = await send(
    baseUrl,
    'POST',
    '/v1/journeys',
    deliveryHeaders(key),
    journeyBody(eventId),
  );

  const workflowId = conversionWorkflowId(PIXEL_ID, 'InitiateCheckout', eventId);
  expect(response.statusCode).toBe(202);
  expect(response.json()).toEqual({
    results: [{ index: 0, messageId: key, outcome: 'started', workflowId }],
  });

  const input = JSON.parse(await workflowInput(temporal.client, workflowId));
  expect(input.origin).toBe('journeys');
  expect(input.eventId).toBe(eventId);
  expect(input.call.messageId).toBe(key);
  expect(input.call.timestamp).toBe('2026-12-01T12:00:00.000Z');
  expect(input.call.properties.fbc).toBe('fb.1.1796116000123.IwAR2F4xYz-Ab_c');
  expect(JSON.stringify(input)).not.toContain('Mary.Ann@Example.com');
  expect(JSON.stringify(input)).not.toContain('555-1212');
});

test('journey retry is a duplicate', async () => {
  const eventId = `cio-dlv-${randomUUID()}`;
  const headers = deliveryHeaders();
  const first = await send(baseUrl, 'POST', '/v1/journeys', headers, journeyBody(eventId));
  const second = await send(baseUrl, 'POST', '/v1/journeys', headers, journeyBody(eventId));

  expect(first.json().results[0]!.outcome).toBe('started');
  expect(second.json().results[0]!.outcome).toBe('duplicate');
});

test('invalid journey body is 400', async () => {
  const body = JSON.stringify({ event_name: '', occurred_at: 'yesterday', customer: {} });
  const response = await send(baseUrl, 'POST', '/v1/journeys', deliveryHeaders(), body);

  expect(response.statusCode).toBe(400);
  const paths = response
    .json()
    .errors.map((error: { path: string }) => error.path)
    .sort();
  expect(paths).toEqual(['$.customer.id', '$.event_name', '$.occurred_at']);
});

test('journey conversion to track call', () => {
  const converted = journeyToCall(
    JSON.parse(JOURNEY_REQUEST.body),
    { deliveryId: 'dlv-1' },
    '2026-12-01T12:05:00.000Z',
  );

  expect(converted).toEqual({
    ok: true,
    eventId: 'cio-dlv-7Q2M9X',
    call: {
      type: 'track',
      messageId: 'dlv-1',
      timestamp: '2026-12-01T12:00:00.000Z',
      userId: 'cust_2001',
      event: 'Checkout Started',
      properties: {
        checkout_id: 'chk_5511',
        value: '54.97',
        currency: 'usd',
        products: [
          { product_id: 'sku-101', price: 34.0, quantity: 1 },
          { product_id: 'sku-202', price: 20.97, quantity: 1 },
        ],
        fbc: 'fb.1.1796116000123.IwAR2F4xYz-Ab_c',
        fbp: 'fb.1.1793520000000.1098115397',
      },
      context: {
        ip: '203.0.113.24',
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)',
        page: { url: 'https://shop.example.com/checkout' },
        traits: {
          email: ' Mary.Ann@Example.com ',
          phone: '(650) 555-1212',
          first_name: 'Mary Ann',
          last_name: "O'Brien",
          city: 'Menlo Park',
          state: 'CA',
          zip: '94025-1234',
          country: 'United States',
        },
      },
    },
  });
});

test('messageId header precedence', () => {
  const body = { event_name: 'Order Completed', event_id: 'evt-1', customer: { id: 7 } };
  const received = '2026-12-01T12:05:00.000Z';
  const pick = (headers: { idempotencyKey?: string; deliveryId?: string }) => {
    const converted = journeyToCall(body, headers, received);
    return converted.ok ? converted.call.messageId : undefined;
  };

  expect(pick({ idempotencyKey: 'key', deliveryId: 'dlv' })).toBe('key');
  expect(pick({ deliveryId: 'dlv' })).toBe('dlv');
  expect(pick({})).toBe('evt-1');
});

test('occurred_at formats', () => {
  const received = '2026-12-01T12:05:00.000Z';
  const time = (occurredAt: unknown) => {
    const converted = journeyToCall(
      { event_name: 'x', event_id: 'e', customer: { id: 'c' }, occurred_at: occurredAt },
      {},
      received,
    );
    return converted.ok ? converted.call.timestamp : 'invalid';
  };

  expect(time(1796126400)).toBe('2026-12-01T12:00:00.000Z');
  expect(time('1796126400')).toBe('2026-12-01T12:00:00.000Z');
  expect(time(1796126400000)).toBe('2026-12-01T12:00:00.000Z');
  expect(time('2026-12-01T12:00:00Z')).toBe('2026-12-01T12:00:00.000Z');
  expect(time('')).toBe(received);
  expect(time(undefined)).toBe(received);
  expect(time('soon')).toBe('invalid');
});

test('no idempotency key is 400', async () => {
  const body = JSON.stringify({ event_name: 'Order Completed', customer: { id: 'c1' } });
  const response = await send(baseUrl, 'POST', '/v1/journeys', bearer(), body);

  expect(response.statusCode).toBe(400);
  expect(response.json().errors[0]!).toMatchObject({
    path: '$.event_id',
    code: 'missing_idempotency_key',
  });
});
