import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { SignalScheduleSettings } from '../config/signal-settings';
import type { SignalScanInput, signalScanWorkflow } from '../workflows/signals';

/** The name of the scan workflow type, as registered by the worker. */
export const SIGNAL_SCAN_WORKFLOW = 'signalScanWorkflow';

/**
 * A scan still running when the next one is due makes that one useless: the running scan reaches
 * every candidate anyway, and a customer who qualifies meanwhile waits one interval at most. SKIP drops
 * the overlapping run. BUFFER_ONE would start it right after, reading a million profiles twice.
 */
export const SIGNAL_SCAN_OVERLAP = ScheduleOverlapPolicy.SKIP;

/** Returns the id of one task queue's scan schedule: `signal-scan:<taskQueue>`. */
export function signalScheduleId(taskQueue: string): string {
  return `signal-scan:${taskQueue}`;
}

export interface SignalScheduleOptions {
  taskQueue: string;
  schedule: SignalScheduleSettings;
  /** @default signalScheduleId(taskQueue) */
  scheduleId?: string;
  /** Input of each scan, such as smaller batches in tests. @default {} */
  scanInput?: SignalScanInput;
  /** Creates the schedule paused; an existing schedule keeps its state. @default false */
  paused?: boolean;
}

export interface EnsuredSchedule {
  scheduleId: string;
  /** `created`, or `updated` when the schedule existed and got the configured spec. */
  action: 'created' | 'updated';
}

/**
 * Creates the signal scan schedule, or updates an existing one to the configured interval,
 * catch-up window and overlap policy. Safe to run at every worker start, from several workers at
 * once. An update keeps the schedule's paused state and note, so a pause from
 * `cio-capi schedules pause` survives worker restarts.
 */
export async function ensureSignalSchedule(
  client: Client,
  options: SignalScheduleOptions,
): Promise<EnsuredSchedule> {
  const scheduleId = options.scheduleId ?? signalScheduleId(options.taskQueue);
  const definition = scheduleDefinition(options, scheduleId);

  try {
    await client.schedule.create({
      scheduleId,
      ...definition,
      state: {
        paused: options.paused ?? false,
        ...(options.paused ? { note: 'created paused' } : {}),
      },
    });
    return { scheduleId, action: 'created' };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }

  await client.schedule
    .getHandle(scheduleId)
    .update((previous: ScheduleDescription): ScheduleUpdateOptions<ScanAction> => ({
      ...definition,
      state: { paused: previous.state.paused, note: previous.state.note },
    }));
  return { scheduleId, action: 'updated' };
}

const MINUTE_MS = 60_000;

type ScanAction = ScheduleOptionsStartWorkflowAction<typeof signalScanWorkflow>;

function scheduleDefinition(options: SignalScheduleOptions, scheduleId: string) {
  const action: ScanAction = {
    type: 'startWorkflow',
    workflowType: SIGNAL_SCAN_WORKFLOW,
    // Temporal appends the scheduled time, so each scan has its own id under this prefix.
    workflowId: scheduleId,
    taskQueue: options.taskQueue,
    args: [options.scanInput ?? {}],
  };
  return {
    spec: { intervals: [{ every: options.schedule.everyMinutes * MINUTE_MS }] },
    action,
    policies: {
      overlap: SIGNAL_SCAN_OVERLAP,
      catchupWindow: options.schedule.catchupWindowMinutes * MINUTE_MS,
      pauseOnFailure: false,
    },
  };
}
