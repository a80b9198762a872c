import type { MappingConfig } from '../config/mapping';
import type { UserDataResult } from '../identity/types';
import { mapCall, REJECT_CODES, type MapOutcome } from '../mapping';
import type { ConversionInput } from '../workflows/types';

/**
 * Maps a conversion to its Meta event. The event name and event_id are the ones the workflow id
 * was derived from, so a mapping change after the start cannot send one event under two keys.
 */
export function createMapActivity(deps: { mapping: MappingConfig; clock: () => Date }) {
  return function map(input: ConversionInput, identity: UserDataResult): Promise<MapOutcome> {
    let outcome: MapOutcome;
    try {
      outcome = mapCall(input.call, identity, deps.mapping, { now: deps.clock() });
    } catch (error) {
      // Mapping is pure, so retrying cannot help: reject with the error, kept in the workflow.
      const message = error instanceof Error ? error.message : String(error);
      return Promise.resolve({
        outcome: 'reject',
        reason: { code: REJECT_CODES.mappingFailed, message: `mapping failed: ${message}` },
      });
    }
    if (outcome.outcome !== 'send') return Promise.resolve(outcome);
    return Promise.resolve({
      ...outcome,
      event: { ...outcome.event, event_name: input.metaEventName, event_id: input.eventId },
    });
  };
}
