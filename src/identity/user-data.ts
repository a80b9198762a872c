import { HASHED_USER_DATA_KEYS, PLAIN_USER_DATA_KEYS } from '../meta/types';
import type { HashedUserDataKey, PlainUserDataKey, UserData } from '../meta/types';
import type { PipelinesCall } from '../customerio/call';
import { digestValues, personCountry, toWarnings } from './digest';
import { deriveFbc } from './fbc';
import { FBCLID_URL_PATH, findWinner } from './lookup';
import type { FieldResult } from './issues';
import type { FieldContext } from './normalize';
import { normalizePlainField } from './plain';
import type { FieldWarning, IdentityOptions, UserDataResult } from './types';

/** Plain keys that a call carries; the others reach user_data only from a stored profile. */
const PLAIN_KEYS_FROM_CALL = ['client_ip_address', 'client_user_agent', 'fbc', 'fbp'] as const;

const HASHED_KEYS: ReadonlySet<string> = new Set(HASHED_USER_DATA_KEYS);
const PLAIN_KEYS: ReadonlySet<string> = new Set(PLAIN_USER_DATA_KEYS);

/**
 * Builds the user_data of one call: reads each key by the lookup table, normalizes and hashes the
 * hashed keys, checks the plain ones. `profile` (stored user_data, already hashed) fills the keys
 * the call lacks. Invalid values are left out with a warning; nothing here throws or drops the event.
 */
export function buildUserData(
  call: PipelinesCall,
  options: IdentityOptions = {},
  profile?: UserData,
): UserDataResult {
  const userData: UserData = {};
  const warnings: FieldWarning[] = [];
  const sources: UserDataResult['sources'] = {};
  const context: FieldContext = { country: personCountry(call, options), options };

  for (const key of HASHED_USER_DATA_KEYS) {
    const winner = findWinner(call, key, options);
    if (winner === undefined) {
      continue;
    }
    const { digests, issues } = digestValues(key, winner.value, context);
    warnings.push(...toWarnings(key, issues, winner.path));
    if (setDigests(userData, key, digests)) {
      sources[key] = winner.path;
    }
  }

  for (const key of PLAIN_KEYS_FROM_CALL) {
    const found = readPlainKey(call, key, options);
    if (found === undefined) {
      continue;
    }
    const { result, path } = found;
    if (result.ok) {
      userData[key] = result.value;
      sources[key] = path;
    } else {
      warnings.push(...toWarnings(key, [result], path));
    }
  }

  if (profile) {
    fillFromProfile(userData, warnings, sources, profile, context);
  }
  return { userData, warnings, sources };
}

/** Reads a plain key by the lookup table; `fbc` falls back to the page URL's `fbclid`. */
function readPlainKey(
  call: PipelinesCall,
  key: (typeof PLAIN_KEYS_FROM_CALL)[number],
  options: IdentityOptions,
): { result: FieldResult; path: string } | undefined {
  const winner = findWinner(call, key, options);
  if (winner) {
    return { result: normalizePlainField(key, winner.value), path: winner.path };
  }
  if (key !== 'fbc') {
    return undefined;
  }
  const derived = deriveFbc(call);
  return derived && { result: derived, path: FBCLID_URL_PATH };
}

function fillFromProfile(
  userData: UserData,
  warnings: FieldWarning[],
  sources: UserDataResult['sources'],
  profile: UserData,
  context: FieldContext,
): void {
  for (const [key, value] of Object.entries(profile)) {
    if (key in userData) {
      continue;
    }
    if (HASHED_KEYS.has(key)) {
      const hashedKey = key as HashedUserDataKey;
      const { digests, issues } = digestValues(hashedKey, value, context);
      warnings.push(...toWarnings(hashedKey, issues, 'profile'));
      if (setDigests(userData, hashedKey, digests)) {
        sources[hashedKey] = 'profile';
      }
    } else if (PLAIN_KEYS.has(key)) {
      const plainKey = key as PlainUserDataKey;
      const result = normalizePlainField(plainKey, value);
      if (result.ok) {
        userData[plainKey] = result.value;
        sources[plainKey] = 'profile';
      } else if (result.code !== 'blank') {
        warnings.push(...toWarnings(plainKey, [result], 'profile'));
      }
    }
  }
}

/** Sets one digest as a string and several as an array; returns false when there is none. */
function setDigests(userData: UserData, key: HashedUserDataKey, digests: string[]): boolean {
  if (digests.length === 0) {
    return false;
  }
  userData[key] = digests.length === 1 ? digests[0] : digests;
  return true;
}
