import type { MappingConfig } from '../config/mapping';
import type { UserDataResult } from '../identity/types';
import { mapCall, type MapOutcome } from '../mapping';
import type { ConversionInput } from '../workflows/types';

/**
 * Maps a conversion to its Meta event. The event name and event_id are the ones the workflow id
 * was derived from, so a mapping change after the start cannot send one event under two keys.
 */
export function createMapActivity(deps: { mapping: MappingConfig; clock: () => Date }) {
  return function map(input: ConversionInput, identity: UserDataResult): Promise<MapOutcome> {
    const outcome = mapCall(input.call, identity, deps.mapping, { now: deps.clock() });
    if (outcome.outcome !== 'send') return Promise.resolve(outcome);
    return Promise.resolve({
      ...outcome,
      event: { ...outcome.event, event_name: input.metaEventName, event_id: input.eventId },
    });
  };
}
