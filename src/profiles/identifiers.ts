import type { HashedUserDataKey, UserData } from '../meta/types';
import { invalidInput } from './errors';

/**
 * The hashed user_data keys kept on a profile, one column each. Listed here rather than taken from
 * HASHED_USER_DATA_KEYS, because a shipped migration's columns must not change when that list does.
 */
export const STORED_HASHED_KEYS = [
  'em',
  'ph',
  'fn',
  'ln',
  'ge',
  'db',
  'ct',
  'st',
  'zp',
  'country',
  'external_id',
] as const satisfies readonly HashedUserDataKey[];

/** The plain user_data keys kept on a profile. Other plain keys belong to one event, not a person. */
export const STORED_PLAIN_KEYS = ['fbp', 'fbc', 'client_ip_address', 'client_user_agent'] as const;

export const IDENTIFIER_COLUMNS = [...STORED_HASHED_KEYS, ...STORED_PLAIN_KEYS] as const;
export type IdentifierColumn = (typeof IDENTIFIER_COLUMNS)[number];
export type IdentifierRow = Record<IdentifierColumn, string | null>;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Converts hashed user_data to column values. A hashed key must already contain SHA-256 hex, because the
 * store never stores a raw email or phone. A value that is not a digest is rejected, and the
 * error does not repeat the value.
 */
export function toIdentifierRow(userData: UserData | undefined): IdentifierRow {
  const row = {} as IdentifierRow;

  for (const key of STORED_HASHED_KEYS) {
    row[key] = encodeDigests(key, userData?.[key]);
  }
  for (const key of STORED_PLAIN_KEYS) {
    const value = userData?.[key];
    row[key] = typeof value === 'string' && value.trim() !== '' ? value : null;
  }
  return row;
}

/** Converts stored columns back to user_data, leaving out empty columns. */
export function fromIdentifierRow(row: IdentifierRow): UserData {
  const userData: UserData = {};

  for (const key of STORED_HASHED_KEYS) {
    const value = row[key];
    if (value !== null) userData[key] = decodeDigests(value);
  }
  for (const key of STORED_PLAIN_KEYS) {
    const value = row[key];
    if (value !== null) userData[key] = value;
  }
  return userData;
}

function encodeDigests(
  key: HashedUserDataKey,
  value: string | string[] | undefined,
): string | null {
  if (value === undefined) return null;

  const digests = (Array.isArray(value) ? value : [value]).filter((digest) => digest !== '');
  for (const digest of digests) {
    if (!SHA256_HEX.test(digest)) {
      throw invalidInput(
        `userData.${key}`,
        'invalid value: expected a lowercase SHA-256 hex digest, because the store keeps hashed identifiers only',
      );
    }
  }
  if (digests.length === 0) return null;
  // A digest never starts with '[', so a JSON array is distinguishable from a single digest.
  return digests.length === 1 ? digests[0]! : JSON.stringify(digests);
}

function decodeDigests(value: string): string | string[] {
  return value.startsWith('[') ? (JSON.parse(value) as string[]) : value;
}
