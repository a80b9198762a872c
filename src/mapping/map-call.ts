import type { MappingConfig } from '../config/mapping';
import type { PipelinesCall } from '../customerio/call';
import { checkIdentifiers } from '../identity';
import type { UserDataResult } from '../identity/types';
import type { ServerEvent } from '../meta/types';
import { buildCustomData } from './custom-data';
import { resolveEventSource } from './event-source';
import { checkEventWindow, parseEventTime } from './event-time';
import { resolveDataProcessing } from './limited-data-use';
import { findRule, resolveEventId } from './resolve-event';
import type { MapOutcome, MappingWarning } from './types';

export interface MapCallOptions {
  /** The current time, against which Meta's 7-day window and the clock skew are checked. */
  now: Date;
}

/**
 * Maps one call, whose user_data is already built, to a Meta server event, or returns why it is
 * skipped (not a conversion) or rejected (a conversion that cannot be sent, never retried).
 * Checks run in this order: the rule, event_time, identifiers, website fields, custom_data, LDU.
 */
export function mapCall(
  call: PipelinesCall,
  identity: UserDataResult,
  mapping: MappingConfig,
  options: MapCallOptions,
): MapOutcome {
  const match = findRule(call, mapping);
  if (match.kind === 'skip') return { outcome: 'skip', reason: match.reason };
  const { rule } = match;
  const warnings: MappingWarning[] = [];

  const parsedTime = parseEventTime(call.timestamp, 'timestamp');
  if (!parsedTime.ok) return { outcome: 'reject', reason: parsedTime.reason };
  const window = checkEventWindow(parsedTime.value, {
    now: options.now,
    actionSource: rule.actionSource,
    maxClockSkewSeconds: mapping.maxClockSkewSeconds,
    field: 'timestamp',
  });
  if (!window.ok) return { outcome: 'reject', reason: window.reason };
  if (window.value.warning) warnings.push(window.value.warning);

  const weak = checkIdentifiers(identity.userData);
  if (weak) return { outcome: 'reject', reason: { code: weak.code, message: weak.message } };

  const source = resolveEventSource(call, rule, identity.userData);
  if (!source.ok) return { outcome: 'reject', reason: source.reason };

  const custom = buildCustomData(call.properties ?? {}, rule, mapping);
  if (!custom.ok) return { outcome: 'reject', reason: custom.reason };
  warnings.push(...custom.value.warnings);

  const dataProcessing = resolveDataProcessing(call, mapping);
  if (!dataProcessing.ok) return { outcome: 'reject', reason: dataProcessing.reason };

  const eventId = resolveEventId(call, rule);
  if (eventId.warning) warnings.unshift(eventId.warning);

  const { customData } = custom.value;
  const event: ServerEvent = {
    event_name: rule.metaEvent,
    event_time: window.value.eventTime,
    event_id: eventId.eventId,
    action_source: rule.actionSource,
    ...source.value,
    user_data: identity.userData,
    ...(Object.keys(customData).length > 0 ? { custom_data: customData } : {}),
    ...dataProcessing.value,
  };
  return { outcome: 'send', event, warnings };
}
