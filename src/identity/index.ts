/**
 * The identity module: normalization and hashing of Meta user_data. Pure functions; the only Node
 * built-ins used are `node:crypto` for SHA-256 and `node:net` to check IP addresses.
 */
export { sha256Hex, isSha256Hex, hashNormalized } from './hash';
export { normalizeField, resolveCountry, FALLBACK_COUNTRY } from './normalize';
export type { FieldContext } from './normalize';
export { normalizePlainField } from './plain';
export { buildUserData } from './user-data';
export { sealCall } from './seal';
export { checkIdentifiers, IDENTIFIER_ISSUE } from './identifiers';
export type { IdentifierIssueCode } from './identifiers';
export { maskValue } from './mask';
export { FIELD_ISSUE } from './issues';
export type { FieldIssueCode, FieldResult } from './issues';
export { USER_DATA_LOOKUP, FBCLID_URL_PATH } from './lookup';
export { deriveFbc } from './fbc';
export { toCountryCode } from './countries';
export { toUsStateCode } from './us-states';
export type { FieldWarning, IdentityOptions, UserDataResult } from './types';
