import { z } from 'zod';
import {
  InvalidSignalsConfigError,
  parseSignalsConfig,
  type SignalsConfig,
} from '../signals/config';

/** When the signal scan schedule fires, and what it does with missed runs. */
export interface SignalScheduleSettings {
  /** Minutes between two scans. @default 60 */
  everyMinutes: number;
  /**
   * How late a missed scan (Temporal was down at its time) may still start, in minutes. A later
   * scan covers everything a missed one would have found, so one interval is enough. @default 60
   */
  catchupWindowMinutes: number;
}

/** The VIP and winback scans: which signals, and the schedule that runs them. */
export interface SignalSettings {
  config: SignalsConfig;
  schedule: SignalScheduleSettings;
}

/** The environment variables of the signals, for documentation and error messages. */
export const SIGNAL_SETTING_ENV = {
  vipThreshold: 'CIO_CAPI_VIP_THRESHOLD',
  winbackDays: 'CIO_CAPI_WINBACK_DAYS',
  everyMinutes: 'CIO_CAPI_SIGNALS_EVERY_MINUTES',
} as const;

const scheduleSchema = z.strictObject({
  everyMinutes: z.int().min(1).max(10_080).default(60),
  catchupWindowMinutes: z.int().min(1).max(10_080).default(60),
});

/**
 * Reads the `signals` block of the settings file, then the environment variables over it:
 * CIO_CAPI_VIP_THRESHOLD turns VIP on with that threshold, CIO_CAPI_WINBACK_DAYS (such as
 * `30,60`) turns winback on with those windows. Each problem is pushed with its source.
 */
export function readSignalSettings(
  block: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv,
  problems: string[],
): SignalSettings {
  const { schedule: rawSchedule, ...rawConfig } = block ?? {};
  const merged = { ...rawConfig } as Record<string, Record<string, unknown> | undefined>;

  const threshold = env[SIGNAL_SETTING_ENV.vipThreshold];
  if (threshold !== undefined && threshold !== '') {
    const amount = Number(threshold);
    if (!Number.isFinite(amount) || amount <= 0) {
      problems.push(
        `${SIGNAL_SETTING_ENV.vipThreshold}: invalid threshold "${threshold}": expected a positive amount`,
      );
    } else {
      merged.vip = { ...merged.vip, enabled: true, threshold: amount };
    }
  }

  const days = env[SIGNAL_SETTING_ENV.winbackDays];
  if (days !== undefined && days !== '') {
    const windows = days.split(',').map((part) => Number(part.trim()));
    if (windows.some((window) => !Number.isInteger(window) || window < 1)) {
      problems.push(
        `${SIGNAL_SETTING_ENV.winbackDays}: invalid windows "${days}": expected whole days, such as 30,60`,
      );
    } else {
      merged.winback = { ...merged.winback, enabled: true, windowsDays: windows };
    }
  }

  let config = parseSignalsConfig({});
  try {
    config = parseSignalsConfig(merged);
  } catch (error) {
    if (!(error instanceof InvalidSignalsConfigError)) throw error;
    problems.push(...error.problems.map((problem) => `signals.${problem}`));
  }

  const fromFile = scheduleSchema.safeParse(rawSchedule ?? {});
  let schedule: SignalScheduleSettings = scheduleSchema.parse({});
  if (fromFile.success) schedule = fromFile.data;
  else {
    for (const issue of fromFile.error.issues) {
      problems.push(`signals.schedule.${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
  }

  const every = env[SIGNAL_SETTING_ENV.everyMinutes];
  if (every !== undefined && every !== '') {
    const minutes = Number(every);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080) {
      problems.push(
        `${SIGNAL_SETTING_ENV.everyMinutes}: invalid value "${every}": expected a whole number from 1 to 10080`,
      );
    } else {
      schedule = { ...schedule, everyMinutes: minutes };
    }
  }
  return { config, schedule };
}

/** Tells whether any signal is on, in which case the worker runs the scans. */
export function signalsEnabled(settings: SignalSettings): boolean {
  return settings.config.vip.enabled || settings.config.winback.enabled;
}
