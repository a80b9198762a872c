export { startEmulator, type EmulatorOptions, type RunningEmulator } from './server';
export { type Fault, type FaultInput, parseFaults, readFaultsFile } from './faults';
export type { AcceptedEvent, EmulatorSummary, RecordedRequest } from './store';
