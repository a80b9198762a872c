import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { FIELD_ISSUE, accept, reject } from './issues';
import type { RuleResult } from './issues';

/** E.164 allows at most 15 digits, country calling code included. */
const MAX_E164_DIGITS = 15;

const NON_DIGIT = /\D+/g;
const E164_DIGITS = /^[1-9]\d{0,14}$/;
const DIGITS_ONLY = /^\d+$/;

/**
 * Normalizes a phone number to the digits of its E.164 form without `+`: country calling code,
 * then national number, no leading zeros.
 *
 * The number is read in the person's country first (`(650) 555-1212` in US, `07911 123456` in GB).
 * When that gives no valid number and the text has no `+`, it is read again as international
 * digits, so `447911123456` and an already normalized value are understood in any country.
 * Validity uses libphonenumber's `max` metadata, which checks the number ranges each country
 * assigns, so placeholders such as `+0000000000` or `555-1212` are rejected.
 *
 * NOTE: re-normalizing an output in a different country than the number's own can change it:
 * `447911123456` read in DE is also a valid German national number. Digests pass through
 * unchanged, so sealed calls are not affected.
 */
export function normalizePhone(text: string, country: string): RuleResult {
  const region = isSupportedCountry(country) ? country : undefined;
  let parsed = region ? parseOwnCodeFirst(text, region) : undefined;
  parsed ??= parseValid(text, region);

  if (parsed === undefined && !text.startsWith('+')) {
    const digits = text.replace(NON_DIGIT, '');
    const international = digits.startsWith('00') ? digits.slice(2) : digits;
    if (international !== '') {
      parsed = parseValid(`+${international}`, undefined);
    }
  }
  if (parsed === undefined) {
    return reject(FIELD_ISSUE.invalidPhone, `not a valid phone number for country ${country}`);
  }

  const digits = `${parsed.countryCallingCode}${parsed.nationalNumber}`;
  if (digits.length > MAX_E164_DIGITS || !E164_DIGITS.test(digits)) {
    return reject(FIELD_ISSUE.invalidPhone, 'longer than the 15 digits E.164 allows');
  }
  return accept(digits);
}

/**
 * Reads bare digits that start with the country's own calling code as international when that
 * gives a valid number, because a normalized value (`49…` for Germany) must come back unchanged.
 * Libphonenumber alone would read `49210000` in DE as the national number 0492 10000.
 * NOTE: a national number that starts with its country's calling code, and is also valid with that
 * code removed, is read the international way. Only countries without a trunk prefix can have one.
 */
function parseOwnCodeFirst(text: string, region: CountryCode): PhoneNumber | undefined {
  if (!DIGITS_ONLY.test(text)) {
    return undefined;
  }
  const callingCode = getCountryCallingCode(region);
  if (!text.startsWith(callingCode)) {
    return undefined;
  }
  return parseValid(`+${text}`, undefined);
}

function parseValid(text: string, region: CountryCode | undefined): PhoneNumber | undefined {
  const parsed = region
    ? parsePhoneNumberFromString(text, region)
    : parsePhoneNumberFromString(text);
  return parsed?.isValid() ? parsed : undefined;
}
