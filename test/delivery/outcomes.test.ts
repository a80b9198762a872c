import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseFaults } from '../../src/emulator';
import { DEMO_PIXEL_ID, startStack, type Stack } from '../../src/demo/stack';
import { awaitConversions, postCalls } from '../../src/demo/traffic';
import { retrySendSignal } from '../../src/workflows/conversion';

const NOW = new Date('2026-12-01T12:00:00Z');

/** One valid Order Completed call whose order id is `orderId`. */
function purchase(orderId: string): Record<string, unknown> {
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
      traits: { email: `buyer-${orderId}@example.com` },
    },
    properties: { order_id: orderId, revenue: 68, currency: 'USD' },
  };
}

async function deliver(stack: Stack, orderId: string) {
  const [result] = await postCalls(stack, [purchase(orderId)]);
  const [end] = await awaitConversions(stack.starter.client, [result!.workflowId!]);
  const requests = stack.emulator.store.summary().requestsByEventId[orderId] ?? 0;
  const accepted = stack.emulator.store.events({ eventId: orderId }).length;
  const description = await stack.starter.client.workflow.getHandle(result!.workflowId!).describe();
  return { end: end!, requests, accepted, searchAttributes: description.searchAttributes };
}

describe('delivery outcomes by Meta answer', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS!,
      taskQueue: `delivery-${process.pid}-${Date.now()}`,
      clock: () => NOW,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test('missing currency at Meta is rejected once', async () => {
    stack.emulator.faults.add(parseFaults([{ error: { code: 100, error_subcode: 2804010 } }]));
    const { end, requests, accepted, searchAttributes } = await deliver(stack, '5001');
    expect(end.status).toBe('rejected');
    expect(end.reason?.code).toBe('meta_100_2804010');
    expect(requests).toBe(1);
    expect(accepted).toBe(0);
    expect(searchAttributes.DeliveryStatus).toEqual(['rejected']);
    expect(searchAttributes.ReasonCode).toEqual(['meta_100_2804010']);
  });

  test('transient errors are retried until sent', async () => {
    stack.emulator.faults.add(
      parseFaults([{ html: true, times: 1 }, { error: { code: 2, is_transient: true } }]),
    );
    const { end, requests, accepted, searchAttributes } = await deliver(stack, '5002');
    expect(end.status).toBe('sent');
    expect(requests).toBe(3);
    expect(accepted).toBe(1);
    expect(searchAttributes.DeliveryStatus).toEqual(['sent']);
  });

  test('throttling waits for Retry-After, then sends', async () => {
    stack.emulator.faults.add(parseFaults([{ error: { code: 17 }, retryAfterSeconds: 1 }]));
    const { end, requests, accepted } = await deliver(stack, '5003');
    expect(end.status).toBe('sent');
    expect(requests).toBe(2);
    expect(accepted).toBe(1);
  });

  test('absurd timestamp is rejected, not retried', async () => {
    const call = { ...purchase('5005'), timestamp: 1e300 };
    const [result] = await postCalls(stack, [call]);
    expect(result!.outcome).toBe('started');

    const [end] = await awaitConversions(stack.starter.client, [result!.workflowId!]);
    expect(end!.status).toBe('rejected');
    expect(end!.reason?.code).toBe('invalid_timestamp');
    expect(end!.reason?.field).toBe('timestamp');
    expect(stack.emulator.store.summary().requestsByEventId['5005']).toBeUndefined();
  });

  test('events_received mismatch is retried', async () => {
    stack.emulator.faults.add(parseFaults([{ eventsReceived: 0 }]));
    const { end, requests, accepted } = await deliver(stack, '5004');
    expect(end.status).toBe('sent');
    expect(requests).toBe(2);
    expect(accepted).toBe(1);
  });
});

describe('held sends and token rotation', () => {
  let stack: Stack;
  let tokenFile: string;

  beforeAll(async () => {
    tokenFile = path.join(mkdtempSync(path.join(tmpdir(), 'cio-capi-token-')), 'token');
    writeFileSync(tokenFile, 'expired-token\n');
    stack = await startStack({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS!,
      taskQueue: `held-${process.pid}-${Date.now()}`,
      clock: () => NOW,
      accessToken: { kind: 'file', path: tokenFile },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test('bad token holds, rotation delivers once', async () => {
    const [result] = await postCalls(stack, [purchase('6001')]);
    const handle = stack.starter.client.workflow.getHandle(result!.workflowId!);

    let status: string | undefined;
    for (let tries = 0; tries < 100 && status !== 'held'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await handle.query<{ status: string }>('deliveryStatus')).status;
    }
    expect(status).toBe('held');
    const held = await handle.describe();
    expect(held.searchAttributes.DeliveryStatus).toEqual(['held']);
    expect(held.searchAttributes.ReasonCode).toEqual(['meta_190_467']);

    writeFileSync(tokenFile, 'rotated-token\n');
    stack.emulator.setTokens(DEMO_PIXEL_ID, ['rotated-token']);
    await handle.signal(retrySendSignal);

    const [end] = await awaitConversions(stack.starter.client, [result!.workflowId!]);
    expect(end!.status).toBe('sent');
    expect(stack.emulator.store.events({ eventId: '6001' })).toHaveLength(1);
  });
});
