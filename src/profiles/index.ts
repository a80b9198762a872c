export { openProfileStore } from './store';
export type { ProfileStoreOptions } from './store';
export { DEFAULT_SQLITE_PATH } from './connect';
export type { ConnectOptions } from './connect';
export { PROFILE_ERROR_CODES, ProfileStoreError } from './errors';
export type { ProfileErrorCode } from './errors';
export { insertSyntheticProfiles } from './synthetic';
export type { SyntheticProfilesOptions } from './synthetic';
export { DEFAULT_TRAIT_NAMES, SIGNAL_RECORD_STATUS, STORE_ENGINES } from './types';
export type {
  ApplyResult,
  Delivery,
  DeliveryKey,
  IdentifyUpdate,
  OrderUpdate,
  Profile,
  ProfileStore,
  SignalKey,
  SignalRecord,
  SignalRecordStatus,
  StoreEngine,
  TraitNames,
} from './types';
export type { Database } from './schema';
export type { TimeInput } from './time';
