/** Stable codes of profile store errors; callers branch on these, never on the message. */
export const PROFILE_ERROR_CODES = {
  invalidInput: 'PROFILE_INVALID_INPUT',
  migrationFailed: 'PROFILE_MIGRATION_FAILED',
} as const;
export type ProfileErrorCode = (typeof PROFILE_ERROR_CODES)[keyof typeof PROFILE_ERROR_CODES];

export class ProfileStoreError extends Error {
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
    /** The input field at fault, such as `at` or `orderValue`. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProfileStoreError';
  }
}

export function invalidInput(field: string, message: string): ProfileStoreError {
  return new ProfileStoreError(PROFILE_ERROR_CODES.invalidInput, `${field}: ${message}`, field);
}
