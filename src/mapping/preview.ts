import type { MappingConfig } from '../config/mapping';
import { pipelinesCallSchema } from '../customerio/call';
import { buildUserData, sealCall } from '../identity';
import type { FieldWarning, IdentityOptions } from '../identity/types';
import { formatJsonPath } from '../config/mapping';
import { mapCall } from './map-call';
import { resolveEvent } from './resolve-event';
import { REJECT_CODES, type MappingWarning, type PreviewLine } from './types';

/** The configuration of previewCall: the mapping, and the identity options the worker runs with. */
export interface PreviewConfig {
  mapping: MappingConfig;
  identity?: IdentityOptions;
}

/**
 * Runs one raw call through the same steps as ingest and the workflow's activities: validation,
 * resolveEvent, sealCall, buildUserData and mapCall. What it returns is what would be sent.
 */
export function previewCall(raw: unknown, config: PreviewConfig, now: Date): PreviewLine {
  if (nestingDepthExceeds(raw, MAX_CALL_DEPTH)) {
    return {
      messageId: readMessageId(raw),
      outcome: 'reject',
      reason: {
        code: REJECT_CODES.invalidCall,
        field: '(root)',
        message: `the call nests deeper than ${MAX_CALL_DEPTH} levels`,
      },
    };
  }
  try {
    return previewValidCall(raw, config, now);
  } catch (error) {
    // A bug in one call's mapping must not stop the other calls of a file from being previewed.
    return {
      messageId: readMessageId(raw),
      outcome: 'reject',
      reason: {
        code: REJECT_CODES.mappingFailed,
        message: `mapping failed: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}

/** The deepest nesting of objects and arrays a call may have, as the ingest server allows. */
export const MAX_CALL_DEPTH = 64;

/** Checks nesting without recursion, so a hostile call cannot overflow the stack. */
export function nestingDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

function previewValidCall(raw: unknown, config: PreviewConfig, now: Date): PreviewLine {
  const parsed = pipelinesCallSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatJsonPath(issue.path).replace(/^\$\.?/, '') || '(root)';
    return {
      messageId: readMessageId(raw),
      outcome: 'reject',
      reason: { code: REJECT_CODES.invalidCall, field, message: `${field}: ${issue.message}` },
    };
  }
  const call = parsed.data;

  const resolved = resolveEvent(call, config.mapping);
  if (resolved.kind !== 'map') {
    const outcome = resolved.kind === 'skip' ? 'skip' : 'reject';
    return { messageId: call.messageId, outcome, reason: resolved.reason };
  }

  const identityOptions: IdentityOptions = { ...config.identity, now };
  const sealed = sealCall(call, identityOptions);
  const identity = buildUserData(sealed.call, identityOptions);
  const outcome = mapCall(sealed.call, identity, config.mapping, { now });

  if (outcome.outcome !== 'send') {
    return { messageId: call.messageId, outcome: outcome.outcome, reason: outcome.reason };
  }
  const warnings = uniqueWarnings([...sealed.warnings, ...identity.warnings, ...outcome.warnings]);
  return {
    messageId: call.messageId,
    outcome: 'send',
    event: outcome.event,
    ...(warnings.length > 0 ? { warnings } : {}),
    sources: identity.sources,
  };
}

// Sealing and buildUserData can report the same left-out value; one line per value is enough.
function uniqueWarnings(
  warnings: Array<MappingWarning | FieldWarning>,
): Array<MappingWarning | FieldWarning> {
  const seen = new Set<string>();
  return warnings.filter((warning) => {
    const key = `${warning.code}\u0000${warning.field ?? ''}\u0000${warning.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function readMessageId(raw: unknown): string | null {
  if (raw === null || typeof raw !== 'object') return null;
  const id = (raw as Record<string, unknown>).messageId;
  return typeof id === 'string' && id.trim() !== '' ? id : null;
}
