export { listReplayCandidates, type ReplayCandidate } from './candidates';
export { readOriginalInput, ReplayInputError } from './original-input';
export {
  buildReplayQuery,
  DEFAULT_REPLAY_STATUSES,
  quote,
  REPLAYABLE_STATUSES,
  ReplayFilterError,
  type ReplayableStatus,
  type ReplayFilters,
} from './query';
export { formatCandidateLine, formatSummaryJson, formatSummaryLine } from './report';
export {
  isPastMetaWindow,
  META_SEND_WINDOW_MS,
  REPLAY_OUTCOME,
  runReplay,
  type ReplayCounts,
  type ReplayOptions,
  type ReplayOutcome,
  type ReplayReport,
  type ReplayResult,
} from './runner';
