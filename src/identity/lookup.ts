import type { UserDataKey } from '../meta/types';
import type { IdentityOptions } from './types';

/**
 * The paths each user_data key is read from in a Customer.io call, in order. The first non-blank
 * value wins, even when it turns out invalid, and later paths are not consulted for that key.
 *
 * Person fields are read from `context.traits`, then `traits`, then `properties`. `anonymousId`
 * is read only with `IdentityOptions.anonymousIdAsExternalId`, because the browser Pixel never
 * sends it. When no `fbc` path has a value, `fbc` is derived from the `fbclid` query parameter of
 * `context.page.url` (see `FBCLID_URL_PATH`).
 */
export const USER_DATA_LOOKUP = {
  em: ['context.traits.email', 'traits.email', 'properties.email'],
  ph: ['context.traits.phone', 'traits.phone', 'properties.phone'],
  fn: [
    'context.traits.firstName',
    'context.traits.first_name',
    'traits.firstName',
    'traits.first_name',
    'properties.firstName',
    'properties.first_name',
  ],
  ln: [
    'context.traits.lastName',
    'context.traits.last_name',
    'traits.lastName',
    'traits.last_name',
    'properties.lastName',
    'properties.last_name',
  ],
  ge: ['context.traits.gender', 'traits.gender', 'properties.gender'],
  db: [
    'context.traits.birthday',
    'context.traits.birthdate',
    'context.traits.date_of_birth',
    'traits.birthday',
    'traits.birthdate',
    'traits.date_of_birth',
    'properties.birthday',
    'properties.birthdate',
    'properties.date_of_birth',
  ],
  ct: [
    'context.traits.city',
    'context.traits.address.city',
    'traits.city',
    'traits.address.city',
    'properties.city',
    'properties.address.city',
  ],
  st: [
    'context.traits.state',
    'context.traits.address.state',
    'traits.state',
    'traits.address.state',
    'properties.state',
    'properties.address.state',
  ],
  zp: [
    'context.traits.zip',
    'context.traits.postal_code',
    'context.traits.postalCode',
    'context.traits.address.postal_code',
    'traits.zip',
    'traits.postal_code',
    'traits.postalCode',
    'traits.address.postal_code',
    'properties.zip',
    'properties.postal_code',
    'properties.postalCode',
    'properties.address.postal_code',
  ],
  country: [
    'context.traits.country',
    'context.traits.address.country',
    'traits.country',
    'traits.address.country',
    'properties.country',
    'properties.address.country',
  ],
  external_id: ['userId', 'anonymousId'],
  client_ip_address: ['context.ip'],
  client_user_agent: ['context.userAgent'],
  fbc: ['properties.fbc', 'context.traits.fbc'],
  fbp: ['properties.fbp', 'context.traits.fbp'],
} as const satisfies Partial<Record<UserDataKey, readonly string[]>>;

export type LookupKey = keyof typeof USER_DATA_LOOKUP;

/** The page URL whose `fbclid` query parameter gives `fbc` when no `fbc` path has a value. */
export const FBCLID_URL_PATH = 'context.page.url';

/** One value found in a call: its dotted path, the path split into keys, and the raw value. */
export interface Candidate {
  path: string;
  segments: readonly string[];
  value: unknown;
}

const SEGMENTS_BY_PATH: ReadonlyMap<string, readonly string[]> = new Map(
  [...Object.values(USER_DATA_LOOKUP).flat(), FBCLID_URL_PATH].map((path) => [
    path,
    path.split('.'),
  ]),
);

/**
 * Lists the values present at a key's lookup paths, in lookup order, blank ones included so that
 * callers can remove them.
 */
export function findCandidates(
  call: unknown,
  key: LookupKey,
  options: IdentityOptions,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const path of USER_DATA_LOOKUP[key]) {
    if (path === 'anonymousId' && options.anonymousIdAsExternalId !== true) {
      continue;
    }
    const segments = SEGMENTS_BY_PATH.get(path) ?? [path];
    const value = readPath(call, segments);
    if (value !== undefined) {
      candidates.push({ path, segments, value });
    }
  }
  return candidates;
}

/** Returns the first candidate whose value is not blank: the one that wins. */
export function findWinner(call: unknown, key: LookupKey, options: IdentityOptions) {
  return findCandidates(call, key, options).find((candidate) => !isBlankValue(candidate.value));
}

/** Reads the value at a dotted path, or undefined when a step is missing or not an object. */
export function readPath(root: unknown, segments: readonly string[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (!isRecord(current)) {
      return undefined;
    }
    current = current[segment];
  }
  return current;
}

/** Null, undefined, whitespace-only strings, and arrays whose every element is blank. */
export function isBlankValue(value: unknown): boolean {
  if (value === null || value === undefined) {
    return true;
  }
  if (typeof value === 'string') {
    return value.trim() === '';
  }
  if (Array.isArray(value)) {
    return value.every(isBlankValue);
  }
  return false;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the segments of a dotted lookup path, split once at module load. */
export function segmentsOf(path: string): readonly string[] {
  return SEGMENTS_BY_PATH.get(path) ?? path.split('.');
}
