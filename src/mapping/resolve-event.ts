import type { MappingConfig, MappingRule } from '../config/mapping';
import type { PipelinesCall } from '../customerio/call';
import type { Reason } from '../workflows/types';
import { eventNameKey, TYPE_KEYED_CALLS } from './event-name';
import {
  REJECT_CODES,
  SKIP_CODES,
  WARNING_CODES,
  type MappingWarning,
  type ResolvedEvent,
} from './types';

/** The rule a call matches, with the source event name, or why the call is skipped. */
export type RuleMatch =
  { kind: 'rule'; rule: MappingRule; sourceEvent: string } | { kind: 'skip'; reason: Reason };

/**
 * Decides which Meta event a call becomes and its event_id, before any personal data is read.
 * Ingest uses it to derive the workflow id, so the same call always resolves the same way.
 */
export function resolveEvent(call: PipelinesCall, mapping: MappingConfig): ResolvedEvent {
  const match = findRule(call, mapping);
  if (match.kind === 'skip') return match;

  const { eventId } = resolveEventId(call, match.rule);
  const invalid = checkEventId(
    eventId,
    eventIdPath(match.rule.eventId),
    readPath(call, eventIdPath(match.rule.eventId)),
  );
  if (invalid) return { kind: 'reject', reason: invalid };
  return {
    kind: 'map',
    metaEventName: match.rule.metaEvent,
    eventId,
    sourceEvent: match.sourceEvent,
  };
}

/** Finds the enabled rule of a call: page and screen calls by their type, track calls by name. */
export function findRule(call: PipelinesCall, mapping: MappingConfig): RuleMatch {
  if (call.type === 'identify') {
    return skip(SKIP_CODES.identifyCall, 'type', 'identify calls only update profiles');
  }
  if (call.type === 'group' || call.type === 'alias') {
    return skip(SKIP_CODES.unmappedEvent, 'type', `${call.type} calls carry no conversion`);
  }

  const typeKeyed = (TYPE_KEYED_CALLS as readonly string[]).includes(call.type);
  const sourceEvent = typeKeyed ? call.type : (call.event ?? '').trim();
  const key = eventNameKey(sourceEvent);
  // A track event named "page" must not pick up the rule meant for page calls.
  const rule =
    !typeKeyed && (TYPE_KEYED_CALLS as readonly string[]).includes(key)
      ? undefined
      : mapping.rules[key];

  const field = typeKeyed ? 'type' : 'event';
  if (rule === undefined) {
    return skip(
      SKIP_CODES.unmappedEvent,
      field,
      `no mapping rule for ${field} "${sourceEvent}": add one to the mapping file to send it`,
    );
  }
  if (!rule.enabled) {
    return skip(
      SKIP_CODES.eventDisabled,
      field,
      `the rule for "${rule.sourceEvent}" (${rule.metaEvent}) is disabled: set "enabled": true to send it`,
    );
  }
  return { kind: 'rule', rule, sourceEvent };
}

/**
 * Reads event_id from the place the rule names. When that place is empty the messageId is used,
 * with a warning, because the browser Pixel's copy then cannot deduplicate against it.
 */
export function resolveEventId(
  call: PipelinesCall,
  rule: MappingRule,
): { eventId: string; warning?: MappingWarning } {
  if (rule.eventId === 'messageId') return { eventId: call.messageId };

  const path = eventIdPath(rule.eventId);
  const value = readPath(call, path);
  if ((typeof value === 'string' && value.trim() !== '') || isFiniteNumber(value)) {
    return { eventId: String(value).trim() };
  }
  return {
    eventId: call.messageId,
    warning: {
      code: WARNING_CODES.eventIdFallback,
      field: path,
      message: `${path} is missing, so event_id is the messageId "${call.messageId}"; the browser Pixel's copy of this event will not be deduplicated against it`,
    },
  };
}

/** The maximum length of an event_id, in characters, because the workflow id that carries it must stay short. */
export const MAX_EVENT_ID_LENGTH = 255;

/**
 * Rejects an event_id that cannot be sent faithfully: longer than MAX_EVENT_ID_LENGTH, or read
 * from a number too large to be exact (an order id above 2^53 loses its last digits in JSON).
 */
export function checkEventId(eventId: string, field: string, raw?: unknown): Reason | undefined {
  if (typeof raw === 'number' && !Number.isSafeInteger(raw) && Number.isInteger(raw)) {
    return {
      code: REJECT_CODES.invalidEventId,
      field,
      message: `${field} ${eventId} is a number above 2^53, so its exact digits are lost: send it as a string`,
    };
  }
  if (eventId.length > MAX_EVENT_ID_LENGTH) {
    return {
      code: REJECT_CODES.invalidEventId,
      field,
      message: `${field} is ${eventId.length} characters long: an event_id may have at most ${MAX_EVENT_ID_LENGTH}`,
    };
  }
  return undefined;
}

/** Expands an eventId setting to a path: a bare name is a property, a dotted path starts at the call. */
export function eventIdPath(eventId: string): string {
  return eventId.includes('.') ? eventId : `properties.${eventId}`;
}

/** Reads a dotted path from a call, or undefined when a step is missing or not an object. */
export function readPath(call: PipelinesCall, path: string): unknown {
  let current: unknown = call;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function skip(code: string, field: string, message: string): { kind: 'skip'; reason: Reason } {
  return { kind: 'skip', reason: { code, field, message } };
}
