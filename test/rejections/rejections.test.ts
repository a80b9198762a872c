import { request } from 'undici';
import { createPrepare } from '../../src/ingest/prepare';
import { INGEST_LIMITS } from '../../src/ingest/limits';
import { parseMappingConfig } from '../../src/config/mapping';
import { DEMO_PIXEL_ID, startStack, type Stack } from '../../src/demo/stack';
import { awaitConversions, postCalls } from '../../src/demo/traffic';
import { replayRejectedCalls } from '../../src/rejections/replay';
import { RejectedCallStore } from '../../src/rejections/store';

const NOW = new Date('2026-12-01T12:00:00Z');

function purchase(orderId: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: `msg-${orderId}`,
    timestamp: '2026-12-01T11:00:00Z',
    userId: `cust-${orderId}`,
    context: {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Macintosh)',
      page: { url: 'https://shop.example.com/checkout' },
      traits: { email: `kept-${orderId}@example.com` },
    },
    properties: { order_id: orderId, revenue: 68, currency: 'USD' },
    ...overrides,
  };
}

describe('rejected calls kept for replay', () => {
  let stack: Stack;
  let store: RejectedCallStore;

  beforeAll(async () => {
    stack = await startStack({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS!,
      taskQueue: `rejections-${process.pid}-${Date.now()}`,
      clock: () => NOW,
    });
    store = new RejectedCallStore(stack.profiles.db);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test('invalid call in a batch is kept sealed', async () => {
    const results = await postCalls(stack, [purchase('7001'), purchase('7002', { messageId: '' })]);
    expect(results.map((result) => result.outcome)).toEqual(['started', 'rejected']);

    const kept = await store.list();
    expect(kept).toHaveLength(1);
    expect(kept[0]!.route).toBe('pipelines');
    expect(kept[0]!.errors.map((error) => error.path)).toEqual(['$.batch[1].messageId']);
    const stored = JSON.stringify(kept[0]!.call);
    expect(stored).toContain('"order_id":"7002"');
    expect(stored).not.toContain('kept-7002@example.com');
  });

  test('unparsable body keeps no personal data', async () => {
    const response = await request(`${stack.ingestUrl}/v1/pipelines`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.ingestSecret}`,
      },
      body: '+14155550177 call me',
    });
    const text = await response.body.text();
    expect(response.statusCode).toBe(400);
    expect(text).not.toContain('4155550177');
    expect(JSON.stringify(await store.list())).not.toContain('4155550177');
  });

  test('replay starts a fixed call and drops it', async () => {
    // A call an older, stricter version rejected: valid now, so replay starts it.
    await store.recordRejectedCall({
      route: 'pipelines',
      requestId: 'req-old',
      index: 0,
      messageId: 'msg-7003',
      receivedAt: NOW.toISOString(),
      errors: [{ path: '$.event', code: 'custom', message: 'rejected by an older version' }],
      call: purchase('7003'),
    });
    const before = await store.list();
    const deps = {
      starter: stack.starter,
      prepare: createPrepare({
        pixelId: DEMO_PIXEL_ID,
        mapping: parseMappingConfig({}),
        identityOptions: { defaultCountry: 'US' },
      }),
      maxCallBytes: INGEST_LIMITS.maxCallBytes,
      concurrency: 1,
    };

    const replayed = await replayRejectedCalls(store, before, deps, NOW.toISOString());
    // Kept calls come back oldest first: the call dated NOW is older than the one posted above.
    const summary = replayed.map((entry) => [entry.messageId, entry.result.outcome, entry.removed]);
    expect(summary).toEqual([
      ['msg-7003', 'started', true],
      ['', 'rejected', false],
      [undefined, 'rejected', false],
    ]);
    // The unparsable body kept nothing to replay, so it stays with the still-invalid call.
    expect(await store.list()).toHaveLength(2);

    const [end] = await awaitConversions(stack.starter.client, [replayed[0]!.result.workflowId!]);
    expect(end!.status).toBe('sent');
    expect(stack.emulator.store.events({ eventId: '7003' })).toHaveLength(1);
  });
});
