import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import { MAX_EVENT_AGE_DAYS } from '../mapping/event-time';
import { loadSettings } from '../config/settings';
import { signalScheduleId } from '../signals/schedules';
import { DEFAULT_TEMPORAL_ADDRESS } from '../worker';

interface ScheduleCommandOptions {
  config?: string;
  scheduleId?: string;
}

/** The maximum backfill range: Meta's 7-day window, beyond which no signal is sent anyway. */
const MAX_BACKFILL_RANGE_MS = MAX_EVENT_AGE_DAYS.other * 86_400_000;

/**
 * `cio-capi schedules`: lists and drives the signal scan schedule that the worker creates.
 * Each subcommand prints one JSON object.
 */
export function schedulesCommand(): Command {
  const command = new Command('schedules').description(
    'list, trigger, pause, unpause or backfill the VIP and winback scan schedule',
  );

  command
    .command('list')
    .description('list the schedules of the namespace, with their state and next runs')
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .action(async (options: ScheduleCommandOptions) => {
      await withClient(options, async (client) => {
        const schedules = [];
        for await (const summary of client.schedule.list()) {
          schedules.push({
            scheduleId: summary.scheduleId,
            paused: summary.state.paused,
            note: summary.state.note,
            nextActionTimes: summary.info.nextActionTimes.map((time) => time.toISOString()),
            recentActions: summary.info.recentActions.map((action) => ({
              scheduledAt: action.scheduledAt.toISOString(),
              workflowId: action.action.workflow.workflowId,
            })),
          });
        }
        print({ schedules });
      });
    });

  command
    .command('trigger')
    .description('start a scan now; skipped when a scan is running')
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .option('--schedule-id <id>', 'schedule to act on (else signal-scan:<task queue>)')
    .action(async (options: ScheduleCommandOptions) => {
      await withSchedule(options, async (handle) => {
        await handle.trigger(ScheduleOverlapPolicy.SKIP);
        print({ scheduleId: handle.scheduleId, triggered: true });
      });
    });

  for (const verb of ['pause', 'unpause'] as const) {
    command
      .command(verb)
      .description(
        verb === 'pause' ? 'stop scheduled scans; kept across worker restarts' : 'resume scans',
      )
      .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
      .option('--schedule-id <id>', 'schedule to act on (else signal-scan:<task queue>)')
      .option('--note <text>', 'why, shown in the Temporal UI')
      .action(async (options: ScheduleCommandOptions & { note?: string }) => {
        await withSchedule(options, async (handle) => {
          await (verb === 'pause' ? handle.pause(options.note) : handle.unpause(options.note));
          print({ scheduleId: handle.scheduleId, paused: verb === 'pause' });
        });
      });
  }

  command
    .command('backfill')
    .description('run the scans a time range would have run; overlapping ones are skipped')
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .option('--schedule-id <id>', 'schedule to act on (else signal-scan:<task queue>)')
    .requiredOption('--from <iso>', 'start of the range, ISO 8601', parseIsoTime('--from'))
    .requiredOption('--to <iso>', 'end of the range, ISO 8601', parseIsoTime('--to'))
    .action(async (options: ScheduleCommandOptions & { from: Date; to: Date }) => {
      if (options.to <= options.from) {
        throw new InvalidArgumentError(
          `invalid range: --to ${options.to.toISOString()} is not after --from ${options.from.toISOString()}`,
        );
      }
      if (options.to.getTime() - options.from.getTime() > MAX_BACKFILL_RANGE_MS) {
        throw new InvalidArgumentError(
          "invalid range: a backfill may span at most 7 days, because events older than Meta's " +
            '7-day window are never sent. Every scan reads the store as it is now, so ' +
            '`schedules trigger` runs the one scan that covers any range.',
        );
      }
      await withSchedule(options, async (handle) => {
        // Every scan reads the store as it is now, so one scan covers the whole range; SKIP
        // drops the others instead of running them back to back.
        await handle.backfill({
          start: options.from,
          end: options.to,
          overlap: ScheduleOverlapPolicy.SKIP,
        });
        print({
          scheduleId: handle.scheduleId,
          backfill: { from: options.from.toISOString(), to: options.to.toISOString() },
        });
      });
    });

  return command;
}

async function withClient(
  options: ScheduleCommandOptions,
  run: (client: Client, taskQueue: string) => Promise<void>,
): Promise<void> {
  const settings = loadSettings({ configPath: options.config });
  const connection = await Connection.connect({
    address: settings.temporal.address ?? DEFAULT_TEMPORAL_ADDRESS,
  });
  try {
    const client = new Client({ connection, namespace: settings.temporal.namespace });
    await run(client, settings.temporal.taskQueue);
  } finally {
    await connection.close();
  }
}

type ScheduleHandle = ReturnType<Client['schedule']['getHandle']>;

function withSchedule(
  options: ScheduleCommandOptions,
  run: (handle: ScheduleHandle) => Promise<void>,
): Promise<void> {
  return withClient(options, (client, taskQueue) =>
    run(client.schedule.getHandle(options.scheduleId ?? signalScheduleId(taskQueue))),
  );
}

function parseIsoTime(flag: string): (value: string) => Date {
  return (value) => {
    const time = Date.parse(value);
    if (Number.isNaN(time)) {
      throw new InvalidArgumentError(`invalid ${flag} "${value}": expected an ISO 8601 time`);
    }
    return new Date(time);
  };
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
