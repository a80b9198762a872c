import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awaitConversions, postCalls } from '../../src/demo/traffic';
import { generateDay, type GeneratedCall } from '../../src/generator';
import type { CallResult } from '../../src/ingest/types';
import { openProfileStore, type ProfileStore } from '../../src/profiles';
import { customerKey } from '../../src/profiles/call-updates';
import {
  addWrite,
  collectWrites,
  expectScan,
  lifetimeValue,
  type CustomerWrites,
  type ModelConfig,
} from './model';
import {
  backfillAndWait,
  recordedKeys,
  runScan,
  signalEvents,
  sortedEventIds,
} from './scan-helpers';
import { startSignalStack, testClock, type SignalStack } from './stack';

const DAY_MS = 86_400_000;
/** The generated day ends here; the first scans run at this time. */
const DAY_END = new Date('2026-12-01T12:00:00Z');
const MODEL: ModelConfig = { threshold: 400, windowsDays: [30, 60] };
/** Small pages and batches, so the scans page, batch and continue as new many times. */
const SCAN_INPUT = { pageSize: 25, batchSize: 10, pagesPerRun: 2 };

describe('signal scans over a generated day', () => {
  const clock = testClock(DAY_END);
  const recorded = new Set<string>();
  let folder: string;
  let store: ProfileStore;
  let stack: SignalStack;
  let calls: GeneratedCall[];
  let results: CallResult[];
  let writes: CustomerWrites;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cio-capi-signals-'));
    store = await openProfileStore({
      sqlitePath: join(folder, 'profiles.db'),
      vipThreshold: MODEL.threshold,
    });
    stack = await startSignalStack({
      clock,
      profiles: store,
      taskQueue: `signals-day-${process.pid}-${Date.now()}`,
      signals: {
        vip: { enabled: true, threshold: MODEL.threshold },
        winback: { enabled: true, windowsDays: MODEL.windowsDays },
      },
      scanInput: SCAN_INPUT,
    });

    // Stale and future timestamps are left out: their store writes fall outside the day, where
    // the VIP time depends on the order in which the writes arrive.
    calls = generateDay({
      seed: 11,
      customers: 150,
      calls: 1500,
      end: DAY_END,
      mess: { tooOld: 0, inFuture: 0 },
    });
    results = await postCalls(
      stack,
      calls.map((call) => call.body),
      { batchSize: 50 },
    );
    const started = results.flatMap((result) =>
      result.outcome === 'started' && result.workflowId ? [result.workflowId] : [],
    );
    await awaitConversions(stack.starter.client, started);
    writes = collectWrites(calls, results);
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
    await store?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('first scan sends expected signals', async () => {
    const expected = expectScan(writes, MODEL, clock.now.getTime(), recorded);
    expect(expected.sent.filter((id) => id.startsWith('vip')).length).toBeGreaterThan(5);
    expect(expected.sent.filter((id) => id.startsWith('winback')).length).toBeGreaterThan(0);
    expect(expected.skipped.length).toBeGreaterThan(0);

    const totals = await runScan(stack, SCAN_INPUT);

    expect(sortedEventIds(signalEvents(stack))).toEqual(expected.sent);
    expect(await recordedKeys(store, 'skipped')).toEqual(expected.skipped);
    expect(totals).toMatchObject({
      sent: expected.sent.length,
      skipped: expected.skipped.length,
      alreadySent: 0,
      notSent: 0,
    });
  }, 300_000);

  test('signal events are system generated', () => {
    for (const { event } of signalEvents(stack)) {
      expect(event.action_source).toBe('system_generated');
      const customer = event.event_id.split(':').at(event.event_name === 'Winback' ? 2 : 1)!;
      if (event.event_name === 'VIP Qualified') {
        expect(event.custom_data?.currency).toBe('USD');
        expect(event.custom_data?.value).toBeCloseTo(lifetimeValue(writes.get(customer)!), 2);
      } else {
        const days = Number(event.event_id.split(':')[1]!.replace('d', ''));
        expect(event.custom_data?.winback_days).toBe(days);
      }
      // The synthetic call carries only the customer key; the rest comes from the stored profile.
      expect([event.user_data.external_id].flat()).toContain(customer);
      expect(event.user_data.em).toBeDefined();
    }
  });

  test('second scan sends nothing new', async () => {
    const before = signalEvents(stack).length;
    const totals = await runScan(stack, SCAN_INPUT);
    expect(totals).toMatchObject({ sent: 0, alreadySent: 0, skipped: 0, candidates: 0 });
    expect(signalEvents(stack)).toHaveLength(before);
  }, 120_000);

  test('schedule backfill sends nothing new', async () => {
    const before = signalEvents(stack).length;
    const scans = await backfillAndWait(stack, 3);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.map((totals) => totals.sent)).toEqual(scans.map(() => 0));
    expect(signalEvents(stack)).toHaveLength(before);
  }, 120_000);

  test('winback fires thirty days later', async () => {
    clock.now = new Date(DAY_END.getTime() + 31 * DAY_MS);
    const before = sortedEventIds(signalEvents(stack));
    const expected = expectScan(writes, MODEL, clock.now.getTime(), recorded);
    expect(expected.sent.length).toBeGreaterThan(0);

    const totals = await runScan(stack, SCAN_INPUT);

    const sentNow = sortedEventIds(signalEvents(stack)).filter((id) => !before.includes(id));
    expect(sentNow).toEqual(expected.sent);
    expect(totals.sent).toBe(expected.sent.length);
  }, 300_000);

  test('new order re-arms winback', async () => {
    const orderedAt = clock.now;
    const customer = calls.find(
      (call) =>
        call.body.type === 'identify' &&
        recorded.has(`winback:30d|${customerKey(call.body as never)}|${periodOfLastWinback(call)}`),
    );
    expect(customer).toBeDefined();
    const userId = customer!.body.userId as string;
    const key = customerKey(customer!.body as never)!;

    const order = {
      type: 'track',
      event: 'Order Completed',
      messageId: 'rearm-order-1',
      timestamp: orderedAt.toISOString(),
      userId,
      properties: { order_id: 'rearm-1', total: 12.5, revenue: 10, currency: 'USD' },
      context: { userAgent: 'Mozilla/5.0', page: { url: 'https://shop.example.com/thanks' } },
    };
    const [result] = await postCalls(stack, [order]);
    await awaitConversions(stack.starter.client, [result!.workflowId!]);
    addWrite(writes, key, { at: orderedAt.getTime(), order: { id: 'rearm-1', value: 12.5 } });

    clock.now = new Date(orderedAt.getTime() + 30 * DAY_MS + 3_600_000);
    const before = sortedEventIds(signalEvents(stack));
    const expected = expectScan(writes, MODEL, clock.now.getTime(), recorded);
    const period = orderedAt.toISOString().slice(0, 10).replaceAll('-', '');
    expect(expected.sent).toContain(`winback:30d:${key}:${period}`);

    await runScan(stack, SCAN_INPUT);

    const sentNow = sortedEventIds(signalEvents(stack)).filter((id) => !before.includes(id));
    expect(sentNow).toEqual(expected.sent);
    expect(stack.emulator.store.summary().duplicates).toBe(0);
  }, 300_000);

  /** Returns the period of the 30-day winback recorded for this identify's customer. */
  function periodOfLastWinback(call: GeneratedCall): string {
    const key = customerKey(call.body as never);
    const match = [...recorded].find((entry) => entry.startsWith(`winback:30d|${key}|`));
    return match?.split('|')[2] ?? '';
  }
});
