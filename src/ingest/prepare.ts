import type { MappingConfig } from '../config/mapping';
import type { PipelinesCall } from '../customerio/call';
import { sealCall } from '../identity/seal';
import type { IdentityOptions } from '../identity/types';
import { resolveEvent } from '../mapping/resolve-event';
import type { PrepareCall } from './types';

export interface PrepareOptions {
  /** The Meta pixel (dataset) id every conversion is sent to. */
  pixelId: string;
  mapping: MappingConfig;
  identityOptions?: IdentityOptions;
}

/**
 * Builds the default prepare step: the mapping decides the Meta event name and event id, then
 * sealCall replaces each personal value by its digest before the call goes to Temporal.
 */
export function createPrepare(options: PrepareOptions): PrepareCall {
  return (call, context) => {
    const resolved = resolveEvent(call, options.mapping);
    if (resolved.kind !== 'map') return resolved;

    const sealed = sealCall(call, options.identityOptions);
    return {
      kind: 'start',
      input: {
        pixelId: options.pixelId,
        metaEventName: resolved.metaEventName,
        eventId: resolved.eventId,
        sourceEvent: resolved.sourceEvent,
        call: sealed.call,
        identityWarnings: sealed.warnings,
        origin: context.origin,
        receivedAt: context.receivedAt,
      },
    };
  };
}

/** Personal fields of a journeys `customer` object, dropped from a rejected body before it is kept. */
const JOURNEY_PERSONAL_FIELDS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'city',
  'state',
  'zip',
];

/**
 * Returns a copy of a rejected call that is safe to store: the paths a Data Pipelines call carries
 * personal values in are sealed like those of an accepted call, and a journeys body loses its
 * personal `customer` fields (Customer.io renders them again when the journey runs again).
 * A value that is not an object, or that sealing fails on, gives undefined.
 */
export function sealRejectedCall(value: unknown, identityOptions?: IdentityOptions): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  try {
    const sealed = sealCall(value as PipelinesCall, identityOptions).call as Record<
      string,
      unknown
    >;
    const customer = sealed.customer;
    if (typeof customer === 'object' && customer !== null && !Array.isArray(customer)) {
      for (const field of JOURNEY_PERSONAL_FIELDS) {
        delete (customer as Record<string, unknown>)[field];
      }
    }
    return sealed;
  } catch {
    return undefined;
  }
}
