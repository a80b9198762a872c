/**
 * A seeded generator of Customer.io Data Pipelines traffic for a small skincare and haircare shop,
 * with the mess real senders produce, each call labelled with what a correct pipeline must do.
 * The labelling rules are documented in `labels.ts`.
 */
export { generateDay } from './day';
export { generateHistorical } from './historical';
export { summarizeExpectations, toNdjson } from './summary';
export type { ExpectationSummary } from './summary';
export {
  MESS_KINDS,
  MESS_OUTCOMES,
  META_EVENT_BY_SOURCE,
  PAGE_META_EVENT,
  REJECT_REASONS,
  SKIP_REASONS,
  labelCleanCall,
} from './labels';
export type { ExpectedOutcome, GeneratedCall, MessKind, RejectReason, SkipReason } from './labels';
export { DEFAULT_MESS_RATES, GeneratorOptionsError } from './options';
export type { GeneratorOptions, HistoricalOptions, MessRates } from './options';
