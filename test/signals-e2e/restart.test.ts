import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SignalScanTotals } from '../../src/workflows/signals';
import { testEngines } from '../profiles/engines';
import { recordedKeys, signalEvents, sortedEventIds } from './scan-helpers';
import { startSignalStack, testClock } from './stack';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const NOW = new Date('2026-12-01T12:00:00Z');
const CUSTOMERS = 120;

for (const engine of testEngines()) {
  const describeEngine = engine.skipReason === undefined ? describe : describe.skip;
  if (engine.skipReason !== undefined) console.warn(engine.skipReason);

  describeEngine(`signal scan worker restart (${engine.name})`, () => {
    afterAll(() => engine.dispose());

    test('restart loses and repeats nothing', async () => {
      const store = await engine.open(engine.newLocation(), { vipThreshold: 500 });
      // Customer ids differ per engine: both runs share one Temporal server and its workflow ids.
      const customers = Array.from({ length: CUSTOMERS }, (_, index) =>
        sha(`restart-${engine.name}-${index}`),
      );
      for (const [index, customerId] of customers.entries()) {
        await store.applyIdentify({
          customerId,
          userData: { em: [sha(`restart-${index}@example.com`)], external_id: [customerId] },
          traits: { lifetime_value: 600 + index },
          at: NOW.getTime() - 3_600_000,
        });
      }

      const stack = await startSignalStack({
        clock: testClock(NOW),
        profiles: store,
        taskQueue: `signals-restart-${engine.name}-${process.pid}-${Date.now()}`,
        signals: { vip: { enabled: true, threshold: 500 } },
        // Slow responses and small batches keep the scan running while the worker restarts.
        emulatorLatencyMs: 40,
      });
      try {
        const scan = await stack.client.workflow.start('signalScanWorkflow', {
          taskQueue: stack.settings.temporal.taskQueue,
          workflowId: `restart-scan:${stack.settings.temporal.taskQueue}`,
          args: [{ pageSize: 20, batchSize: 5, pagesPerRun: 2 }],
        });
        for (let waited = 0; signalEvents(stack).length < 30; waited += 50) {
          if (waited > 60_000) throw new Error('the scan sent fewer than 30 events in 60 seconds');
          await sleep(50);
        }
        await stack.restartWorker();
        const totals = (await scan.result()) as SignalScanTotals;

        const expected = customers.map((customer) => `vip_qualified:${customer}`).sort();
        expect(sortedEventIds(signalEvents(stack))).toEqual(expected);
        const requests = stack.emulator.store.summary().requestsByEventId;
        expect(expected.filter((eventId) => requests[eventId] !== 1)).toEqual([]);
        expect(await recordedKeys(store, 'sent')).toHaveLength(CUSTOMERS);
        expect(totals.sent + totals.alreadySent).toBe(CUSTOMERS);
        expect(totals.notSent).toBe(0);
      } finally {
        await stack.stop();
        await store.close();
      }
    }, 300_000);
  });
}
