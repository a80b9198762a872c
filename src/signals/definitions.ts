import type { SignalsConfig } from './config';

export const SIGNAL_KINDS = { vip: 'vip', winback: 'winback' } as const;
export type SignalKind = (typeof SIGNAL_KINDS)[keyof typeof SIGNAL_KINDS];

/** One signal to scan for, with what its events carry. */
export type SignalDefinition =
  | { kind: 'vip'; eventName: string; currency: string }
  | { kind: 'winback'; windowDays: number; eventName: string };

export const VIP_SIGNAL = 'vip_qualified';
/** VIP fires once per customer, so its signals_sent period is constant. */
export const VIP_PERIOD = 'lifetime';
export const DAY_MS = 86_400_000;

/** Lists the enabled signals: VIP, then one winback per window, shortest first. */
export function listSignals(config: SignalsConfig): SignalDefinition[] {
  const signals: SignalDefinition[] = [];

  if (config.vip.enabled) {
    signals.push({ kind: 'vip', eventName: config.vip.eventName, currency: config.vip.currency });
  }
  if (config.winback.enabled) {
    for (const windowDays of config.winback.windowsDays) {
      signals.push({ kind: 'winback', windowDays, eventName: config.winback.eventName });
    }
  }
  return signals;
}

/** Returns the signals_sent name: `vip_qualified` or `winback:<days>d`. */
export function signalName(signal: SignalDefinition): string {
  return signal.kind === 'vip' ? VIP_SIGNAL : `winback:${signal.windowDays}d`;
}

/** Formats the UTC calendar date of an epoch-ms time as YYYYMMDD. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10).replaceAll('-', '');
}
