import { setTimeout as sleep } from 'node:timers/promises';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { AcceptedEvent } from '../../src/emulator/store';
import type { ProfileStore } from '../../src/profiles';
import type {
  SignalScanInput,
  SignalScanTotals,
  signalScanWorkflow,
} from '../../src/workflows/signals';
import type { SignalStack } from './stack';

export const SIGNAL_EVENTS = ['VIP Qualified', 'Winback'];

let scans = 0;

/** Runs one scan on the stack's task queue and returns its totals. */
export async function runScan(
  stack: SignalStack,
  input: SignalScanInput = {},
): Promise<SignalScanTotals> {
  scans += 1;
  return stack.client.workflow.execute<typeof signalScanWorkflow>('signalScanWorkflow', {
    taskQueue: stack.settings.temporal.taskQueue,
    workflowId: `test-scan:${stack.settings.temporal.taskQueue}:${scans}`,
    args: [input],
  });
}

/** Returns the signal events the emulator accepted, in arrival order. */
export function signalEvents(stack: SignalStack): AcceptedEvent[] {
  return stack.emulator.store.events().filter((event) => SIGNAL_EVENTS.includes(event.eventName));
}

export function sortedEventIds(events: AcceptedEvent[]): string[] {
  return events.map((event) => event.eventId).sort();
}

/** `signal|customer|period` of every signals_sent row with this status. */
export async function recordedKeys(store: ProfileStore, status: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom('signals_sent')
    .select(['signal', 'customer_id', 'period'])
    .where('status', '=', status)
    .execute();
  return rows.map((row) => `${row.signal}|${row.customer_id}|${row.period}`).sort();
}

/**
 * Backfills the stack's schedule over the last `hours` hours and waits for every scan it
 * started. Returns their totals.
 */
export async function backfillAndWait(
  stack: SignalStack,
  hours: number,
): Promise<SignalScanTotals[]> {
  const handle = stack.client.schedule.getHandle(stack.scheduleId);
  const before = (await handle.describe()).info.numActionsTaken;
  const end = new Date();
  await handle.backfill({
    start: new Date(end.getTime() - hours * 3_600_000),
    end,
    overlap: ScheduleOverlapPolicy.SKIP,
  });

  for (let attempt = 0; ; attempt++) {
    const described = await handle.describe();
    if (described.info.numActionsTaken > before && described.info.runningActions.length === 0) {
      const started = described.info.recentActions.slice(
        -(described.info.numActionsTaken - before),
      );
      return Promise.all(
        started.map(
          (action) =>
            stack.client.workflow
              .getHandle(action.action.workflow.workflowId)
              .result() as Promise<SignalScanTotals>,
        ),
      );
    }
    if (attempt > 300) throw new Error('the backfill started no scan within 60 seconds');
    await sleep(200);
  }
}
