import { HASHED_USER_DATA_KEYS } from '../meta/types';
import type { PipelinesCall } from '../customerio/call';
import { digestValues, personCountry, toWarnings } from './digest';
import { findCandidates, isBlankValue, isRecord } from './lookup';
import type { FieldContext } from './normalize';
import type { FieldWarning, IdentityOptions } from './types';

/**
 * Returns a deep copy of the call in which every value read for a hashed user_data key is replaced
 * by its SHA-256 digest, so raw emails and phones never reach Temporal's history. Blank and invalid
 * values are removed, with a warning for each invalid one.
 *
 * The copy gives the same user_data as the original. Two details keep that true: the digests of an
 * array stay an array, and when the winning value of a key is invalid, the values that lose to it
 * are removed too, because otherwise they would win in the copy.
 */
export function sealCall(
  call: PipelinesCall,
  options: IdentityOptions = {},
): { call: PipelinesCall; warnings: FieldWarning[] } {
  const sealed = structuredClone(call);
  const warnings: FieldWarning[] = [];
  const context: FieldContext = { country: personCountry(call, options), options };

  for (const key of HASHED_USER_DATA_KEYS) {
    let winnerSeen = false;
    let winnerRemoved = false;

    for (const candidate of findCandidates(call, key, options)) {
      if (isBlankValue(candidate.value)) {
        removePath(sealed, candidate.segments);
        continue;
      }
      const isWinner = !winnerSeen;
      winnerSeen = true;
      if (winnerRemoved) {
        removePath(sealed, candidate.segments);
        continue;
      }

      const { digests, issues } = digestValues(key, candidate.value, context);
      warnings.push(...toWarnings(key, issues, candidate.path));
      if (digests.length === 0) {
        removePath(sealed, candidate.segments);
        winnerRemoved = isWinner;
        continue;
      }
      const digest = Array.isArray(candidate.value) ? digests : digests[0];
      writePath(sealed, candidate.segments, digest);
    }
  }
  return { call: sealed, warnings };
}

function writePath(root: unknown, segments: readonly string[], value: unknown): void {
  const parent = parentOf(root, segments);
  const last = segments[segments.length - 1];
  if (parent && last !== undefined) {
    parent[last] = value;
  }
}

function removePath(root: unknown, segments: readonly string[]): void {
  const parent = parentOf(root, segments);
  const last = segments[segments.length - 1];
  if (parent && last !== undefined) {
    delete parent[last];
  }
}

function parentOf(root: unknown, segments: readonly string[]): Record<string, unknown> | undefined {
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    if (!isRecord(current)) {
      return undefined;
    }
    current = current[segment];
  }
  return isRecord(current) ? current : undefined;
}
