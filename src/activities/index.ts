import type { IdentityOptions, UserDataResult } from '../identity/types';
import type { MappingConfig } from '../config/mapping';
import type { MapOutcome } from '../mapping';
import type { ConversionInput } from '../workflows/types';
import { createNormalizeActivity } from './normalize';
import { createMapActivity } from './map';
import { createSendActivity, type SendDeps, type SendInput, type SendOutcome } from './send';
import type { ProfileLookup } from './normalize';

export type { SendInput, SendOutcome } from './send';

/** What the conversion activities need from the process that hosts them. */
export interface ActivityDeps extends SendDeps {
  mapping: MappingConfig;
  identity: IdentityOptions;
  /** The current time. Injected so tests and replays can pin it. */
  clock: () => Date;
  /** Stored profiles, to complete calls that lack identifiers. Optional. */
  profiles?: ProfileLookup;
}

export interface ConversionActivities {
  normalize(input: ConversionInput): Promise<UserDataResult>;
  map(input: ConversionInput, identity: UserDataResult): Promise<MapOutcome>;
  send(input: SendInput): Promise<SendOutcome>;
}

/** Builds the conversion activities around their dependencies, for `Worker.create`. */
export function createActivities(deps: ActivityDeps): ConversionActivities {
  return {
    normalize: createNormalizeActivity(deps),
    map: createMapActivity(deps),
    send: createSendActivity(deps),
  };
}
