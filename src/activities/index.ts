import type { IdentityOptions, UserDataResult } from '../identity/types';
import type { MappingConfig } from '../config/mapping';
import type { MapOutcome } from '../mapping';
import type { ConversionInput } from '../workflows/types';
import { createNormalizeActivity } from './normalize';
import { createMapActivity } from './map';
import { createSendActivity, type SendDeps, type SendInput, type SendOutcome } from './send';
import type { ProfileLookup } from './normalize';
import type { ProfileStore } from '../profiles/types';
import type { SignalsConfig } from '../signals/config';
import type { OrderRecorder } from './record-order';
import { createSignalActivities, type SignalActivities } from './signals';
import { createBackfillActivities, type BackfillActivities } from './backfill';

export type { SendInput, SendOutcome } from './send';

/** What the conversion activities need from the process that hosts them. */
export interface ActivityDeps extends SendDeps {
  mapping: MappingConfig;
  identity: IdentityOptions;
  /** The current time. Injected so tests and replays can pin it. */
  clock: () => Date;
  /** Stored profiles, to complete calls that lack identifiers. Optional. */
  profiles?: ProfileLookup;
  /** Where `Order Completed` conversions record their orders (the profile store). Optional. */
  orders?: OrderRecorder;
  /** The store and config of the VIP and winback scans; without it the scan activities are absent. */
  signals?: { store: ProfileStore; config: SignalsConfig; pixelId: string };
}

export interface ConversionActivities {
  normalize(input: ConversionInput): Promise<UserDataResult>;
  map(input: ConversionInput, identity: UserDataResult): Promise<MapOutcome>;
  send(input: SendInput): Promise<SendOutcome>;
  /** Does nothing: the activity of the benchmarks' baseline workflow. */
  noop(): Promise<void>;
}

/**
 * Builds the conversion activities around their dependencies, for `Worker.create`, with the
 * signal scan activities when `deps.signals` is set.
 */
export function createActivities(
  deps: ActivityDeps,
): ConversionActivities & Partial<SignalActivities> & BackfillActivities {
  return {
    ...(deps.signals
      ? createSignalActivities({ ...deps.signals, clock: deps.clock, logger: deps.logger })
      : {}),
    normalize: createNormalizeActivity(deps),
    map: createMapActivity(deps),
    send: createSendActivity(deps),
    noop: () => Promise.resolve(),
    ...createBackfillActivities(deps),
  };
}
