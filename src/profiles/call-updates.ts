import type { PipelinesCall } from '../customerio/call';
import { buildUserData, hashNormalized, normalizeField, sealCall } from '../identity';
import type { IdentityOptions } from '../identity/types';
import type { ProfileStore } from './types';

/**
 * Feeds identify calls into the profile store: their identifiers are sealed and hashed first, so
 * the store never contains a raw email or phone, and their traits update the signal attributes.
 */
export function createProfileSink(store: ProfileStore, identityOptions: IdentityOptions = {}) {
  return {
    async recordIdentify(call: PipelinesCall): Promise<void> {
      const customerId = customerKey(call);
      if (!customerId) return;

      const sealed = sealCall(call, identityOptions);
      const { userData } = buildUserData(sealed.call, identityOptions);
      await store.applyIdentify({
        customerId,
        userData,
        traits: sealed.call.traits ?? undefined,
        at: call.timestamp,
      });
    },
  };
}

/**
 * Returns the key a customer's profile is stored under: the SHA-256 digest of the normalized
 * `userId`, which is also the event's hashed `external_id`. It is the same for a raw and a sealed
 * call, so no raw customer id needs to reach Temporal or the store.
 */
export function customerKey(call: PipelinesCall): string | undefined {
  if (call.userId == null) return undefined;
  const normalized = normalizeField('external_id', call.userId, {});
  return normalized.ok ? hashNormalized(normalized.value) : undefined;
}
