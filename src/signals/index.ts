export { InvalidSignalsConfigError, parseSignalsConfig, signalsConfigSchema } from './config';
export type { SignalsConfig, SignalsConfigInput } from './config';
export {
  DAY_MS,
  SIGNAL_KINDS,
  VIP_PERIOD,
  VIP_SIGNAL,
  listSignals,
  signalName,
  utcDay,
} from './definitions';
export type { SignalDefinition, SignalKind } from './definitions';
export { MAX_SIGNAL_AGE_MS, SIGNAL_SKIP_CODES, buildSignalCall, sentRecord } from './build';
export type { SignalCall, SignalDecision } from './build';
export { scanCandidates, scanSignalPage } from './scan';
export type { CandidatePage, ScanOptions, SignalPage } from './scan';
