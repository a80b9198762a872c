import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ConversionStarter } from '../../src/client';
import { conversionWorkflowId } from '../../src/workflows/ids';
import type { PipelinesCall } from '../../src/customerio/call';
import { nestsDeeperThan } from '../../src/ingest/json-depth';
import type { RejectedCallEntry } from '../../src/ingest/types';
import {
  PIXEL_ID,
  type ResponseBody,
  bearer,
  buildServer,
  createStarter,
  listen,
  send,
  orderCompleted,
  temporalClient,
  uniqueTaskQueue,
  workflowExists,
  workflowInput,
} from './helpers';

let starter: ConversionStarter;
let app: FastifyInstance;
let baseUrl: string;
let temporal: { client: Client; close: () => Promise<void> };
const identifies: PipelinesCall[] = [];
const rejections: RejectedCallEntry[] = [];

beforeAll(async () => {
  starter = createStarter(uniqueTaskQueue('pipelines'));
  app = buildServer(starter, {
    profileSink: {
      recordIdentify: (call) => {
        identifies.push(call);
        return Promise.resolve();
      },
    },
    rejectionSink: { recordRejectedCall: (entry) => void rejections.push(entry) },
  });
  baseUrl = await listen(app);
  temporal = await temporalClient();
});

afterAll(async () => {
  await app.close();
  await starter.close();
  await temporal.close();
});

type ResultBody = ResponseBody['results'][number];

function post(body: unknown, headers = bearer()) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return send(baseUrl, 'POST', '/v1/pipelines', headers, payload);
}

function purchaseId(call: Record<string, unknown>): string {
  const orderId = (call.properties as { order_id: string }).order_id;
  return conversionWorkflowId(PIXEL_ID, 'Purchase', orderId);
}

test('single call starts a workflow', async () => {
  const call = orderCompleted();
  const response = await post(call);

  expect(response.statusCode).toBe(202);
  expect(response.json()).toEqual({
    results: [
      { index: 0, messageId: call.messageId, outcome: 'started', workflowId: purchaseId(call) },
    ],
  });
  expect(await workflowExists(temporal.client, purchaseId(call))).toBe(true);
});

test('workflow input holds no raw email', async () => {
  const call = orderCompleted();
  await post(call);

  const input = await workflowInput(temporal.client, purchaseId(call));
  expect(input).toContain(PIXEL_ID);
  expect(input).not.toContain('jane.doe@example.com');
  expect(input).not.toContain('650 555 1212');
  expect(JSON.parse(input)).toMatchObject({ metaEventName: 'Purchase', origin: 'pipelines' });
});

test('replayed delivery starts one workflow', async () => {
  const call = orderCompleted();
  const first = await post(call);
  const second = await post(call);

  expect(first.json().results[0]!.outcome).toBe('started');
  expect(second.statusCode).toBe(202);
  expect(second.json().results[0]!.outcome).toBe('duplicate');
  expect(second.json().results[0]!.workflowId).toBe(purchaseId(call));
  const count = await temporal.client.workflow.count(`WorkflowId = '${purchaseId(call)}'`);
  expect(count.count).toBe(1);
});

test('batch with one bad call', async () => {
  const good = [orderCompleted(), orderCompleted()];
  const bad = { type: 'track', messageId: 'msg_bad', timestamp: 5, userId: 'cust_1' };
  const response = await post({ batch: [good[0], bad, good[1]] });

  expect(response.statusCode).toBe(202);
  const results = response.json().results;
  expect(results.map((result: { outcome: string }) => result.outcome)).toEqual([
    'started',
    'rejected',
    'started',
  ]);
  expect(results[1]!).toMatchObject({ index: 1, messageId: 'msg_bad' });
  expect(results[1]!.errors).toEqual([
    { path: '$.batch[1].event', code: 'custom', message: 'a track call needs an event name' },
  ]);
  expect(await workflowExists(temporal.client, purchaseId(good[1]!))).toBe(true);
  expect(rejections.some((entry) => entry.messageId === 'msg_bad' && entry.index === 1)).toBe(true);
});

test('oversized call in batch rejected', async () => {
  const big = orderCompleted({ properties: { order_id: 'ord_big', filler: 'x'.repeat(40_000) } });
  const good = orderCompleted();
  const response = await post({ batch: [big, good] });

  expect(response.statusCode).toBe(202);
  const [first, second] = response.json().results as [ResultBody, ResultBody];
  expect(first.outcome).toBe('rejected');
  expect(first.errors[0]!).toMatchObject({ path: '$.batch[0]', code: 'call_too_large' });
  expect(second.outcome).toBe('started');
});

test('invalid single call is 400', async () => {
  const response = await post({ type: 'shout', messageId: '', timestamp: true });

  expect(response.statusCode).toBe(400);
  const body = response.json();
  expect(body.code).toBe('invalid_call');
  expect(typeof body.requestId).toBe('string');
  const paths = body.errors.map((error: { path: string }) => error.path).sort();
  expect(paths).toEqual(['$.messageId', '$.timestamp', '$.type']);
});

test('malformed JSON is 400', async () => {
  const response = await post('{"type":"track",');

  expect(response.statusCode).toBe(400);
  expect(response.json().code).toBe('invalid_body');
  expect(response.json().errors[0]!.path).toBe('$');
});

test('non-object bodies are 400', async () => {
  for (const body of ['[1,2]', 'null', '"text"', '42', '{"batch":{}}']) {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
  }
});

test('request over 500 KB is 413', async () => {
  const batch = Array.from({ length: 20 }, () =>
    orderCompleted({ properties: { filler: 'y'.repeat(30_000) } }),
  );
  const response = await post({ batch });

  expect(response.statusCode).toBe(413);
  expect(response.json().code).toBe('request_too_large');
});

test('single call over 32 KB is 413', async () => {
  const response = await post(orderCompleted({ properties: { filler: 'z'.repeat(33_000) } }));

  expect(response.statusCode).toBe(413);
  expect(response.json().code).toBe('call_too_large');
});

test('non-JSON content type is 415', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
    const response = await post('type=track', { ...bearer(), 'content-type': type });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('unsupported_media_type');
  }
});

test('identify call updates profile', async () => {
  const call = { type: 'identify', messageId: 'msg_identify_1', timestamp: 1, userId: 'cust_9' };
  const response = await post(call);

  expect(response.statusCode).toBe(202);
  expect(response.json().results).toEqual([
    { index: 0, messageId: 'msg_identify_1', outcome: 'profile_updated' },
  ]);
  expect(identifies.map((recorded) => recorded.messageId)).toContain('msg_identify_1');
});

test('unmapped event is skipped', async () => {
  const call = orderCompleted({ event: 'Newsletter Opened' });
  const response = await post(call);

  expect(response.statusCode).toBe(202);
  const result = response.json().results[0];
  expect(result!.outcome).toBe('skipped');
  expect(result!.reason!.field).toBe('event');
});

test('rejected call stored sealed', async () => {
  const call = {
    type: 'track',
    messageId: 'msg_sealed',
    timestamp: 1,
    userId: 'c',
    context: { traits: { email: 'raw.person@example.com' } },
  };
  const response = await post({ batch: [call] });

  expect(response.statusCode).toBe(202);
  const entry = rejections.find((rejection) => rejection.messageId === 'msg_sealed');
  expect(entry).toBeDefined();
  expect(JSON.stringify(entry)).not.toContain('raw.person@example.com');
});

test('empty batch answers 202', async () => {
  const response = await post({ batch: [] });

  expect(response.statusCode).toBe(202);
  expect(response.json()).toEqual({ results: [] });
});

test('request id echoed from header', async () => {
  const response = await post(orderCompleted(), { ...bearer(), 'x-request-id': 'req-abc.123' });

  expect(response.headers['x-request-id']).toBe('req-abc.123');
});

test('unknown route is 404', async () => {
  const response = await send(baseUrl, 'GET', '/v1/nothing');

  expect(response.statusCode).toBe(404);
});

test('deep nesting is 400', async () => {
  const response = await post(`{"batch":[${'['.repeat(5000)}${']'.repeat(5000)}]}`);

  expect(response.statusCode).toBe(400);
  expect(response.json().errors[0]!.code).toBe('too_deep');
});

test('nesting scan skips strings', () => {
  expect(nestsDeeperThan(Buffer.from('{"a":"[[[[[[\\"[[["}'), 2)).toBe(false);
  expect(nestsDeeperThan(Buffer.from('{"a":[[1]]}'), 2)).toBe(true);
});
