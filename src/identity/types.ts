import type { UserData, UserDataKey } from '../meta/types';

/** A value left out of user_data, with the reason. The event itself still goes. */
export interface FieldWarning {
  /** The user_data key, such as `ph`. */
  field: UserDataKey;
  /** Stable machine-readable code, such as `invalid_phone`. */
  code: string;
  /** What was wrong, naming the field; personal values appear masked, never raw. */
  message: string;
}

export interface IdentityOptions {
  /** ISO 3166-1 alpha-2 country used for phones and states when the person has none. @default 'US' */
  defaultCountry?: string;
  /** Order of day and month in slash-separated birthdays; without it such dates are left out. */
  birthdayFormat?: 'MDY' | 'DMY';
  /** The current time, for the year range of `db`. @default new Date() */
  now?: Date;
  /**
   * Send the call's `anonymousId` as `external_id` when it has no `userId`. Off by default because
   * the browser Pixel never sends the anonymous id, so the two sides would not match.
   * @default false
   */
  anonymousIdAsExternalId?: boolean;
}

/** The user_data of one call, with where each key came from. */
export interface UserDataResult {
  userData: UserData;
  warnings: FieldWarning[];
  /** For each key sent, the path it was read from, such as `context.traits.email` or `profile`. */
  sources: Partial<Record<UserDataKey, string>>;
}
