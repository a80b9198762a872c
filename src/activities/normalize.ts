import { buildUserData } from '../identity';
import { customerKey } from '../profiles/call-updates';
import type { IdentityOptions, UserDataResult } from '../identity/types';
import { HASHED_USER_DATA_KEYS, type UserData } from '../meta/types';
import type { ConversionInput } from '../workflows/types';
import type { Logger } from '../logging';
import { recordOrder, type OrderRecorder } from './record-order';

/** Reads a customer's stored, already hashed identifiers. */
export interface ProfileLookup {
  getUserData(customerId: string): Promise<UserData | undefined>;
}

/**
 * Builds the user_data of a conversion: the sealed call's identifiers, completed from the stored
 * profile where the call lacks them. An `Order Completed` conversion also records its order in
 * the profile store (see `recordOrder`), so the VIP and winback scans see it.
 */
export function createNormalizeActivity(deps: {
  identity: IdentityOptions;
  profiles?: ProfileLookup;
  /** Where orders are recorded; unset records none. */
  orders?: OrderRecorder;
  logger?: Logger;
}) {
  return async function normalize(input: ConversionInput): Promise<UserDataResult> {
    const customerId = customerKey(input.call);
    const stored =
      customerId && deps.profiles ? await deps.profiles.getUserData(customerId) : undefined;
    const result = buildUserData(input.call, deps.identity, stored && personIdentifiers(stored));
    if (deps.orders) await recordOrder(deps.orders, input, result.userData, deps.logger);
    return { ...result, warnings: [...input.identityWarnings, ...result.warnings] };
  };
}

/**
 * Keeps the identifiers that describe the person (email, phone, name, address, external id). The
 * browser ones (IP, user agent, fbp, fbc) must come from the event itself, because a website event's
 * user agent is the one of the browser that saw the event.
 */
function personIdentifiers(userData: UserData): UserData {
  const person: UserData = {};
  for (const key of HASHED_USER_DATA_KEYS) {
    const value = userData[key];
    if (value !== undefined) person[key] = value;
  }
  return person;
}
