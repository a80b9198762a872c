import type { UserData } from '../meta/types';

/** Stable codes of the reasons an event is rejected for its identifiers. */
export const IDENTIFIER_ISSUE = {
  noCustomerInformation: 'no_customer_information',
  weakIdentifiers: 'weak_identifiers',
} as const;

export type IdentifierIssueCode = (typeof IDENTIFIER_ISSUE)[keyof typeof IDENTIFIER_ISSUE];

/**
 * Key sets that Meta rejects when an event carries nothing else (error subcode 2804050). An event
 * whose keys all fall inside one of these sets is rejected.
 */
const WEAK_KEY_SETS: readonly ReadonlySet<string>[] = [
  new Set(['ct', 'st', 'zp', 'country', 'ge', 'client_user_agent']),
  new Set(['db', 'client_user_agent']),
  new Set(['fn', 'ge']),
  new Set(['ln', 'ge']),
];

/**
 * Checks that user_data can be matched to a person. Returns `no_customer_information` when it has
 * no key, `weak_identifiers` when its keys all fall inside a set Meta rejects, and undefined when
 * the event may be sent. Empty strings and empty arrays count as absent.
 */
export function checkIdentifiers(
  userData: UserData,
): { code: IdentifierIssueCode; message: string } | undefined {
  const present = Object.entries(userData)
    .filter(([, value]) => isPresent(value))
    .map(([key]) => key);

  if (present.length === 0) {
    return {
      code: IDENTIFIER_ISSUE.noCustomerInformation,
      message:
        'user_data has no customer information: send at least an email, phone, external id, ' +
        'fbc/fbp, or IP address with user agent',
    };
  }
  if (WEAK_KEY_SETS.some((weak) => present.every((key) => weak.has(key)))) {
    return {
      code: IDENTIFIER_ISSUE.weakIdentifiers,
      message:
        `user_data has only ${present.sort().join(', ')}, which Meta rejects as too weak to ` +
        'match (subcode 2804050): add an email, phone, external id or fbc/fbp',
    };
  }
  return undefined;
}

function isPresent(value: unknown): boolean {
  if (typeof value === 'string') {
    return value !== '';
  }
  return Array.isArray(value) && value.some((element) => element !== '');
}
