import { parseFaults, type FaultInput } from '../../src/emulator';
import { startStack, type Stack } from '../../src/demo/stack';
import { awaitConversions, postCalls } from '../../src/demo/traffic';
import { confirmDeliveredSignal, retrySendSignal } from '../../src/workflows/conversion';

const NOW = new Date('2026-12-01T12:00:00Z');

/** One row of Meta's error table, as the emulator returns it the first time. */
interface Row {
  name: string;
  fault: FaultInput;
  /** The delivery status the conversion first settles in. */
  settles: 'rejected' | 'sent' | 'held';
  reasonCode?: string;
  /** Requests to the emulator for this event once the conversion has ended. */
  requests: number;
}

const PERMANENT: Row[] = [2804003, 2804009, 2804010, 2804016, 2804050, 2804001].map((subcode) => ({
  name: `100/${subcode}`,
  fault: { error: { code: 100, error_subcode: subcode } },
  settles: 'rejected',
  reasonCode: `meta_100_${subcode}`,
  requests: 1,
}));
PERMANENT.push({
  name: '100 other invalid parameter',
  fault: { error: { code: 100 } },
  settles: 'rejected',
  reasonCode: 'meta_100',
  requests: 1,
});

const RETRIED: Row[] = [
  { name: 'is_transient', fault: { error: { code: 2, is_transient: true } } },
  { name: 'code 1', fault: { error: { code: 1 } } },
  { name: '21009 dataset not ready', fault: { error: { code: 21009 } } },
  { name: 'HTTP 500 JSON', fault: { status: 500, body: { error: { message: 'x', code: 1 } } } },
  { name: 'HTML page', fault: { html: true } },
  { name: 'throttled 4', fault: { error: { code: 4 }, retryAfterSeconds: 1 } },
  { name: 'throttled 17', fault: { error: { code: 17 }, retryAfterSeconds: 1 } },
  {
    name: 'throttled 17/2446079',
    fault: { error: { code: 17, error_subcode: 2446079 }, retryAfterSeconds: 1 },
  },
  { name: 'throttled 32', fault: { error: { code: 32 }, retryAfterSeconds: 1 } },
  { name: 'throttled 613', fault: { error: { code: 613 }, retryAfterSeconds: 1 } },
  {
    name: 'throttled 613/1487742',
    fault: { error: { code: 613, error_subcode: 1487742 }, retryAfterSeconds: 1 },
  },
  { name: 'throttled 80000', fault: { error: { code: 80000 }, retryAfterSeconds: 1 } },
  {
    name: 'throttled 80014 via BUC header',
    fault: { error: { code: 80014 }, regainAccessMinutes: 0.01 },
  },
  { name: 'app limit 341', fault: { error: { code: 341 }, retryAfterSeconds: 1 } },
  { name: 'temporary block 368', fault: { error: { code: 368 }, retryAfterSeconds: 1 } },
].map((row) => ({ ...row, fault: row.fault as FaultInput, settles: 'sent' as const, requests: 2 }));

const CONFIGURATION: Row[] = [
  { name: 'unknown pixel 100/33', code: 100, subcode: 33 },
  { name: 'token invalid 190/460', code: 190, subcode: 460 },
  { name: 'token expired 190/463', code: 190, subcode: 463 },
  { name: 'token invalid 190/467', code: 190, subcode: 467 },
  { name: 'permission 10', code: 10 },
  { name: 'permission 200', code: 200 },
  { name: 'permission 299', code: 299 },
  { name: 'capability 3', code: 3 },
].map(({ name, code, subcode }) => ({
  name,
  fault: { error: { code, ...(subcode === undefined ? {} : { error_subcode: subcode }) } },
  settles: 'held' as const,
  reasonCode: subcode === undefined ? `meta_${code}` : `meta_${code}_${subcode}`,
  requests: 2,
}));

describe("every row of Meta's error table", () => {
  let stack: Stack;
  let orderNumber = 8000;

  beforeAll(async () => {
    stack = await startStack({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS!,
      taskQueue: `error-table-${process.pid}-${Date.now()}`,
      clock: () => NOW,
      requestTimeoutMs: 1_000,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test.each([...PERMANENT, ...RETRIED, ...CONFIGURATION])('$name', async (row) => {
    const orderId = String(orderNumber++);
    stack.emulator.faults.add(parseFaults([{ ...row.fault, match: { eventName: 'Purchase' } }]));
    const workflowId = await startPurchase(stack, orderId);
    const handle = stack.starter.client.workflow.getHandle(workflowId);

    if (row.settles === 'held') {
      const status = await waitForStatus(stack, workflowId, 'held');
      expect(status.reason?.code).toBe(row.reasonCode);
      expect((await handle.describe()).searchAttributes.ReasonCode).toEqual([row.reasonCode]);
      // The fault was served once, so the operator's fix is already in place: retry now.
      await handle.signal(retrySendSignal);
    }

    const [end] = await awaitConversions(stack.starter.client, [workflowId]);
    const expectedEnd = row.settles === 'rejected' ? 'rejected' : 'sent';
    expect(end!.status).toBe(expectedEnd);
    if (row.settles === 'rejected') expect(end!.reason?.code).toBe(row.reasonCode);

    const attributes = (await handle.describe()).searchAttributes;
    expect(attributes.DeliveryStatus).toEqual([expectedEnd]);
    expect(stack.emulator.store.summary().requestsByEventId[orderId]).toBe(row.requests);
    expect(stack.emulator.store.events({ eventId: orderId })).toHaveLength(
      expectedEnd === 'sent' ? 1 : 0,
    );
  });

  test('timeout holds as unconfirmed, then confirmation', async () => {
    const orderId = String(orderNumber++);
    // The emulator takes the event after the client gave up: exactly the ambiguous case.
    stack.emulator.faults.add(parseFaults([{ delayMs: 1_500, match: { eventName: 'Purchase' } }]));
    const workflowId = await startPurchase(stack, orderId);

    const status = await waitForStatus(stack, workflowId, 'held');
    expect(status.reason?.code).toBe('delivery_unconfirmed');
    expect(stack.emulator.store.events({ eventId: orderId })).toHaveLength(1);

    await stack.starter.client.workflow.getHandle(workflowId).signal(confirmDeliveredSignal);
    const [end] = await awaitConversions(stack.starter.client, [workflowId]);
    expect(end!.status).toBe('sent');
    expect(stack.emulator.store.summary().requestsByEventId[orderId]).toBe(1);
  });

  test('unconfirmed send resends on request', async () => {
    const orderId = String(orderNumber++);
    stack.emulator.faults.add(
      parseFaults([
        {
          delayMs: 1_500,
          status: 503,
          body: { error: { message: 'late', code: 1 } },
          match: { eventName: 'Purchase' },
        },
      ]),
    );
    const workflowId = await startPurchase(stack, orderId);

    const status = await waitForStatus(stack, workflowId, 'held');
    expect(status.reason?.code).toBe('delivery_unconfirmed');
    expect(stack.emulator.store.events({ eventId: orderId })).toHaveLength(0);

    const handle = stack.starter.client.workflow.getHandle(workflowId);
    await handle.signal(retrySendSignal, { resendUnconfirmed: true });
    const [end] = await awaitConversions(stack.starter.client, [workflowId]);
    expect(end!.status).toBe('sent');
    expect(stack.emulator.store.events({ eventId: orderId })).toHaveLength(1);
  });
});

async function startPurchase(stack: Stack, orderId: string): Promise<string> {
  const [result] = await postCalls(stack, [
    {
      type: 'track',
      event: 'Order Completed',
      messageId: `msg-${orderId}`,
      timestamp: '2026-12-01T11:00:00Z',
      userId: `cust-${orderId}`,
      context: {
        ip: '203.0.113.9',
        userAgent: 'Mozilla/5.0 (Macintosh)',
        page: { url: 'https://shop.example.com/checkout' },
      },
      properties: { order_id: orderId, revenue: 20, currency: 'EUR' },
    },
  ]);
  expect(result!.outcome).toBe('started');
  return result!.workflowId!;
}

async function waitForStatus(stack: Stack, workflowId: string, wanted: string) {
  const handle = stack.starter.client.workflow.getHandle(workflowId);
  for (let tries = 0; tries < 150; tries++) {
    const status = await handle.query<{ status: string; reason?: { code: string } }>(
      'deliveryStatus',
    );
    if (status.status === wanted) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${workflowId} never reached ${wanted}`);
}
