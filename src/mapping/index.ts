export { resolveEvent, findRule, resolveEventId } from './resolve-event';
export { mapCall, type MapCallOptions } from './map-call';
export { previewCall, type PreviewConfig } from './preview';
export { eventNameKey } from './event-name';
export { normalizeCurrency, ISO_4217_CODES } from './currency';
export { parseEventTime, checkEventWindow, MAX_EVENT_AGE_DAYS } from './event-time';
export {
  SKIP_CODES,
  REJECT_CODES,
  WARNING_CODES,
  type MapOutcome,
  type MappingWarning,
  type PreviewLine,
  type ResolvedEvent,
} from './types';
