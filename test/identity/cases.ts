import type { HashedUserDataKey, UserDataKey } from '../../src/meta/types';
import type { IdentityOptions } from '../../src/identity';

/**
 * One normalization case: `normalized` is the value before hashing, `sent` what goes into
 * user_data (the SHA-256 hex for hashed keys). Null means the key is left out and the event still
 * goes.
 */
export interface FieldCase {
  field: UserDataKey;
  input: unknown;
  /** The person's country; the default country (US) when absent. */
  country?: string;
  normalized: string | null;
  sent: string | null;
  why: string;
}

/** The project's reference cases, with digests computed outside this code base. */
export const REFERENCE_CASES: FieldCase[] = [
  {
    field: 'em',
    input: '  John.Doe@Example.COM ',
    normalized: 'john.doe@example.com',
    sent: '836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f',
    why: 'trim and lowercase; dots and +tags stay',
  },
  {
    field: 'em',
    input: 'jane.doe+shop@example.com',
    normalized: 'jane.doe+shop@example.com',
    sent: 'bb55843f3da2af28071cd4be7ae1e05989dc6d3ea4833906f7d8fe4be35afad8',
    why: 'a +tag is part of the address for Meta',
  },
  {
    field: 'em',
    input: '   ',
    normalized: null,
    sent: null,
    why: 'blank values are left out, never hashed',
  },
  {
    field: 'em',
    input: '836F82DB99121B3481011F16B49DFA5FBC714A0D1B1B9F784A1EBBBF5B39577F',
    normalized: '836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f',
    sent: '836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f',
    why: 'already a SHA-256 digest: passed through lowercased, never hashed again',
  },
  {
    field: 'ph',
    input: '(650) 555-1212',
    country: 'US',
    normalized: '16505551212',
    sent: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    why: 'digits only, US country code added from the profile country',
  },
  {
    field: 'ph',
    input: '+1 650.555.1212',
    country: 'US',
    normalized: '16505551212',
    sent: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    why: 'the plus and dots go; the code is already there',
  },
  {
    field: 'ph',
    input: '+43 650 1234567890',
    normalized: '436501234567890',
    sent: 'ae37b5d7ecc9513658ce10d159671847b9c1c2ae865ca921cf9306925787e4ce',
    why: '15 digits is the E.164 maximum and is valid',
  },
  {
    field: 'ph',
    input: '+0000000000',
    normalized: null,
    sent: null,
    why: 'a placeholder is not a phone number: leave ph out, keep the event',
  },
  {
    field: 'ph',
    input: '07911 123456',
    country: 'GB',
    normalized: '447911123456',
    sent: '40b5c38342a9c584ec707e8679b003f8c779c6aaa138c976ef94e049cc05208f',
    why: 'national format: trunk zero dropped, country code from the profile country',
  },
  {
    field: 'fn',
    input: 'JOSÉ',
    normalized: 'josé',
    sent: 'd994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866',
    why: 'lowercase keeps the accent, NFC form',
  },
  {
    field: 'fn',
    input: 'Jose\u0301',
    normalized: 'josé',
    sent: 'd994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866',
    why: 'the same name typed with a combining accent normalizes to the same NFC bytes',
  },
  {
    field: 'fn',
    input: 'Mary Ann',
    normalized: 'maryann',
    sent: '16b3f07f0ec2f9dd127b71dc2e6c791b7d93116a1c3bc99d057eaa7a8a077e73',
    why: "no spaces, no punctuation (the rule Meta's own parameter builder applies)",
  },
  {
    field: 'ln',
    input: "O'Brien",
    normalized: 'obrien',
    sent: 'b4cb6cb33fe4b865868de825023a1e2790dc12ac01ecc8d7c5afe8254071c8ba',
    why: 'punctuation removed',
  },
  {
    field: 'ln',
    input: 'Smith-Jones',
    normalized: 'smithjones',
    sent: '6a77f47e3dec33252edbebb457d65e90501b643806c50cf8d6c3e2bd9cb74681',
    why: 'hyphen removed',
  },
  {
    field: 'ge',
    input: 'Female',
    normalized: 'f',
    sent: '252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111',
    why: 'female/f map to f, male/m to m',
  },
  {
    field: 'ge',
    input: 'non-binary',
    normalized: null,
    sent: null,
    why: 'anything else is left out',
  },
  {
    field: 'db',
    input: '1990-1-5',
    normalized: '19900105',
    sent: 'a2ba94ba96db49d8302e23329e7064bd09cff4bea67d9db4083cdb55e2fd43ad',
    why: 'YYYYMMDD with zero padding',
  },
  {
    field: 'db',
    input: '05/01/1990',
    normalized: null,
    sent: null,
    why: 'day and month order unknown: left out unless the source format is configured',
  },
  {
    field: 'ct',
    input: 'San Francisco',
    normalized: 'sanfrancisco',
    sent: '1a6bd4d9d79dc0a79b53795c70d3349fa9e38968a3fbefbfe8783efb1d2b6aac',
    why: 'lowercase, no spaces',
  },
  {
    field: 'ct',
    input: 'São Paulo',
    normalized: 'sãopaulo',
    sent: '3eda1428ae1aece064071f8d40f08fe2bc59ffa66c171a163caf15122ec4d7f0',
    why: 'letters with accents kept, NFC',
  },
  {
    field: 'st',
    input: 'California',
    country: 'US',
    normalized: 'ca',
    sent: '6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126',
    why: 'US state names become two-letter codes',
  },
  {
    field: 'st',
    input: 'Ontario',
    country: 'CA',
    normalized: 'ontario',
    sent: 'f6b6407632158ebdc802ed898b47e55bf89f61895b50bd8241769c9ee9d9a533',
    why: 'outside the US: lowercase, no spaces or punctuation',
  },
  {
    field: 'zp',
    input: '94107-1234',
    country: 'US',
    normalized: '94107',
    sent: 'c884a209ebe08750a7d13db63bd02233b375bd79786cbe329ab11586cc35dead',
    why: 'US: first five digits',
  },
  {
    field: 'zp',
    input: 'SW1A 1AA',
    country: 'GB',
    normalized: 'sw1a1aa',
    sent: '830e1d4b9838bab1f5c2acdb23e0b502ff13a9832c4632e8d67a1d43d3b7f614',
    why: 'UK postcodes keep their letters',
  },
  {
    field: 'zp',
    input: 'M5V 2T6',
    country: 'CA',
    normalized: 'm5v2t6',
    sent: '26e08cb6cad0115aad0bfe1227a6ad6ed3c54185afc8cd45f31b215ded52772f',
    why: 'Canadian postcodes too',
  },
  {
    field: 'country',
    input: 'United States',
    normalized: 'us',
    sent: '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621',
    why: 'names become ISO 3166-1 alpha-2, lowercase',
  },
  {
    field: 'country',
    input: ' US ',
    normalized: 'us',
    sent: '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621',
    why: 'codes are trimmed and lowercased',
  },
  {
    field: 'country',
    input: 'XX',
    normalized: null,
    sent: null,
    why: 'an unknown code is left out; the event is still sent',
  },
  {
    field: 'external_id',
    input: '  CUST_1000 ',
    normalized: 'cust_1000',
    sent: 'e203c9855b09a1906181c30a52c4e56e5df5557c79fb073457ba4560a366e765',
    why: 'trim and lowercase, then hash, so the browser Pixel can send the same value',
  },
  {
    field: 'fbc',
    input: 'fb.1.1796116000123.IwAR2F4xYz-Ab_c',
    normalized: 'fb.1.1796116000123.IwAR2F4xYz-Ab_c',
    sent: 'fb.1.1796116000123.IwAR2F4xYz-Ab_c',
    why: 'never hashed, never lowercased: the click id is case-sensitive',
  },
  {
    field: 'fbc',
    input: 'fb.1.1796116000123',
    normalized: null,
    sent: null,
    why: 'malformed (no click id): left out, or Meta rejects the whole request with 100/2804001',
  },
  {
    field: 'client_ip_address',
    input: '203.0.113.7',
    normalized: '203.0.113.7',
    sent: '203.0.113.7',
    why: 'never hashed',
  },
];

/** Meta's published test vectors for its hashing rules. */
export const META_VECTORS: {
  field: HashedUserDataKey;
  input: string;
  options?: IdentityOptions;
  country?: string;
  normalized: string;
  sent: string;
}[] = [
  {
    field: 'em',
    input: 'John_Smith@gmail.com',
    normalized: 'john_smith@gmail.com',
    sent: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
  },
  {
    field: 'ph',
    input: '(650)555-1212',
    country: 'US',
    normalized: '16505551212',
    sent: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
  },
  {
    field: 'fn',
    input: 'Valéry',
    normalized: 'valéry',
    sent: '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c',
  },
  {
    field: 'db',
    input: '2/16/1997',
    options: { birthdayFormat: 'MDY' },
    normalized: '19970216',
    sent: '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c',
  },
  {
    field: 'country',
    input: 'United States',
    normalized: 'us',
    sent: '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621',
  },
];

/**
 * Further cases for each kind of field: the value before hashing, or null when the value is left
 * out. The digest is checked against `node:crypto` directly.
 */
export interface OwnCase {
  field: HashedUserDataKey;
  input: unknown;
  country?: string;
  options?: IdentityOptions;
  normalized: string | null;
  /** The warning code when `normalized` is null. */
  code?: string;
}

export const OWN_CASES: OwnCase[] = [
  // Phones in other countries, national and international forms.
  { field: 'ph', input: '030 12345678', country: 'DE', normalized: '493012345678' },
  { field: 'ph', input: '030 12345678', country: 'Deutschland', normalized: '493012345678' },
  { field: 'ph', input: '+49 30 12345678', country: 'US', normalized: '493012345678' },
  { field: 'ph', input: '(11) 91234-5678', country: 'BR', normalized: '5511912345678' },
  { field: 'ph', input: '06 12 34 56 78', country: 'FR', normalized: '33612345678' },
  { field: 'ph', input: '090-1234-5678', country: 'JP', normalized: '819012345678' },
  { field: 'ph', input: '98765 43210', country: 'IN', normalized: '919876543210' },
  { field: 'ph', input: '+39 06 1234 5678', country: 'US', normalized: '390612345678' },
  { field: 'ph', input: '16155093305', country: 'US', normalized: '16155093305' },
  { field: 'ph', input: 16505551212, country: 'US', normalized: '16505551212' },
  { field: 'ph', input: '447911123456', country: 'US', normalized: '447911123456' },
  { field: 'ph', input: '0044 7911 123456', country: 'US', normalized: '447911123456' },
  { field: 'ph', input: '436501234567890', country: 'US', normalized: '436501234567890' },
  { field: 'ph', input: '(650) 555-1212', country: 'XX', normalized: '16505551212' },
  { field: 'ph', input: '555-1212', country: 'US', normalized: null, code: 'invalid_phone' },
  { field: 'ph', input: '0000000000', country: 'US', normalized: null, code: 'invalid_phone' },
  { field: 'ph', input: '07568222663', country: 'US', normalized: null, code: 'invalid_phone' },
  { field: 'ph', input: 'call me', country: 'US', normalized: null, code: 'invalid_phone' },
  { field: 'ph', input: '+43 650 12345678901', normalized: null, code: 'invalid_phone' },
  { field: 'ph', input: true, normalized: null, code: 'invalid_type' },
  // Names in several scripts.
  { field: 'fn', input: 'ΟΔΥΣΣΕΥΣ', normalized: 'οδυσσευς' },
  { field: 'fn', input: 'Ёлка-Иванова', normalized: 'ёлкаиванова' },
  { field: 'fn', input: '山田 太郎', normalized: '山田太郎' },
  { field: 'fn', input: 'İpek', normalized: 'i\u0307pek' },
  { field: 'fn', input: 'प्रिया', normalized: 'प्रिया' },
  { field: 'fn', input: 'Łukasz', normalized: 'łukasz' },
  { field: 'fn', input: 'Zoe\u0308', normalized: 'zo\u00eb' },
  { field: 'ln', input: "D'Angelo Jr.", normalized: 'dangelojr' },
  { field: 'ln', input: 'de la Cruz', normalized: 'delacruz' },
  { field: 'ln', input: 'Müller', normalized: 'müller' },
  { field: 'fn', input: '123', normalized: null, code: 'invalid_name' },
  { field: 'ln', input: '---', normalized: null, code: 'invalid_name' },
  // Gender words.
  { field: 'ge', input: 'F', normalized: 'f' },
  { field: 'ge', input: 'female', normalized: 'f' },
  { field: 'ge', input: 'Woman', normalized: 'f' },
  { field: 'ge', input: 'M', normalized: 'm' },
  { field: 'ge', input: 'MALE', normalized: 'm' },
  { field: 'ge', input: ' man ', normalized: 'm' },
  { field: 'ge', input: 'other', normalized: null, code: 'invalid_gender' },
  { field: 'ge', input: 'unknown', normalized: null, code: 'invalid_gender' },
  // Birthdays.
  { field: 'db', input: '1990-01-05', normalized: '19900105' },
  { field: 'db', input: '1990-01-05T23:30:00-05:00', normalized: '19900105' },
  { field: 'db', input: '1990-01-05T00:00:00.000Z', normalized: '19900105' },
  { field: 'db', input: '19900105', normalized: '19900105' },
  { field: 'db', input: 19900105, normalized: '19900105' },
  { field: 'db', input: '1990/01/05', normalized: '19900105' },
  { field: 'db', input: '05/01/1990', options: { birthdayFormat: 'MDY' }, normalized: '19900501' },
  { field: 'db', input: '05/01/1990', options: { birthdayFormat: 'DMY' }, normalized: '19900105' },
  { field: 'db', input: '5.1.1990', options: { birthdayFormat: 'DMY' }, normalized: '19900105' },
  { field: 'db', input: '2000-02-29', normalized: '20000229' },
  { field: 'db', input: '2026-12-01', normalized: '20261201' },
  { field: 'db', input: '13/01/1990', normalized: null, code: 'ambiguous_date' },
  { field: 'db', input: '1900-02-29', normalized: null, code: 'invalid_date' },
  { field: 'db', input: '1990-02-30', normalized: null, code: 'invalid_date' },
  { field: 'db', input: '1899-12-31', normalized: null, code: 'invalid_date' },
  { field: 'db', input: '2026-12-02', normalized: null, code: 'invalid_date' },
  { field: 'db', input: '2027-01-01', normalized: null, code: 'invalid_date' },
  { field: 'db', input: 'yesterday', normalized: null, code: 'invalid_date' },
  // Cities.
  { field: 'ct', input: 'New York', normalized: 'newyork' },
  { field: 'ct', input: 'St. Louis', normalized: 'stlouis' },
  { field: 'ct', input: 'Winston-Salem', normalized: 'winstonsalem' },
  { field: 'ct', input: 'Zürich', normalized: 'zürich' },
  { field: 'ct', input: '東京', normalized: '東京' },
  { field: 'ct', input: '...', normalized: null, code: 'invalid_city' },
  // States.
  { field: 'st', input: 'new york', country: 'US', normalized: 'ny' },
  { field: 'st', input: 'TX', country: 'US', normalized: 'tx' },
  { field: 'st', input: 'Puerto Rico', country: 'US', normalized: 'pr' },
  { field: 'st', input: 'Washington, D.C.', country: 'US', normalized: 'dc' },
  { field: 'st', input: 'Calif.', country: 'US', normalized: null, code: 'invalid_state' },
  { field: 'st', input: 'Bayern', country: 'DE', normalized: 'bayern' },
  { field: 'st', input: 'SP', country: 'BR', normalized: 'sp' },
  { field: 'st', input: 'Île-de-France', country: 'FR', normalized: 'îledefrance' },
  // ZIP and postal codes.
  { field: 'zp', input: '10001', country: 'US', normalized: '10001' },
  { field: 'zp', input: '941071234', country: 'US', normalized: '94107' },
  { field: 'zp', input: ' 94107 - 1234 ', country: 'US', normalized: '94107' },
  { field: 'zp', input: 2134, country: 'US', normalized: '02134' },
  { field: 'zp', input: 21341234, country: 'US', normalized: '02134' },
  { field: 'zp', input: '1234', country: 'US', normalized: null, code: 'invalid_zip' },
  { field: 'zp', input: 'ABCDE', country: 'US', normalized: null, code: 'invalid_zip' },
  { field: 'zp', input: '01310-100', country: 'BR', normalized: '01310100' },
  { field: 'zp', input: '10115', country: 'DE', normalized: '10115' },
  { field: 'zp', input: 'EC1A 1BB', country: 'GB', normalized: 'ec1a1bb' },
  { field: 'zp', input: '100-0001', country: 'JP', normalized: '1000001' },
  // Countries.
  { field: 'country', input: 'USA', normalized: 'us' },
  { field: 'country', input: 'United States of America', normalized: 'us' },
  { field: 'country', input: 'United Kingdom', normalized: 'gb' },
  { field: 'country', input: 'Great Britain', normalized: 'gb' },
  { field: 'country', input: 'UK', normalized: 'gb' },
  { field: 'country', input: 'Deutschland', normalized: 'de' },
  { field: 'country', input: 'Côte d’Ivoire', normalized: 'ci' },
  { field: 'country', input: 'cote divoire', normalized: 'ci' },
  { field: 'country', input: 'Türkiye', normalized: 'tr' },
  { field: 'country', input: 'Turkey', normalized: 'tr' },
  { field: 'country', input: 'south korea', normalized: 'kr' },
  { field: 'country', input: 'Bosnia & Herzegovina', normalized: 'ba' },
  { field: 'country', input: 'gb', normalized: 'gb' },
  { field: 'country', input: 'XK', normalized: null, code: 'invalid_country' },
  { field: 'country', input: 'Narnia', normalized: null, code: 'invalid_country' },
  // Emails and external ids.
  { field: 'em', input: 'JÖRG@Bücher.Example', normalized: 'jörg@bücher.example' },
  { field: 'em', input: 'not-an-email', normalized: null, code: 'invalid_email' },
  { field: 'em', input: 'a@b', normalized: null, code: 'invalid_email' },
  { field: 'em', input: 'two words@example.com', normalized: null, code: 'invalid_email' },
  { field: 'em', input: { email: 'x@example.com' }, normalized: null, code: 'invalid_type' },
  { field: 'external_id', input: 'CUST_1000', normalized: 'cust_1000' },
  { field: 'external_id', input: 12345, normalized: '12345' },
  { field: 'external_id', input: ' ABC-Ü ', normalized: 'abc-ü' },
  { field: 'external_id', input: null, normalized: null, code: 'blank' },
];

/** Plain keys: the value sent as given, or null when it is left out. */
export const PLAIN_CASES: {
  field: UserDataKey;
  input: unknown;
  sent: string | null;
  code?: string;
}[] = [
  { field: 'client_ip_address', input: ' 2001:db8::1 ', sent: '2001:db8::1' },
  { field: 'client_ip_address', input: '999.1.1.1', sent: null, code: 'invalid_ip_address' },
  { field: 'client_ip_address', input: 'localhost', sent: null, code: 'invalid_ip_address' },
  { field: 'fbp', input: 'fb.1.1793534400000.9177992558', sent: 'fb.1.1793534400000.9177992558' },
  { field: 'fbc', input: 'fb.2.1796116000123.AbC.Bg', sent: 'fb.2.1796116000123.AbC.Bg' },
  { field: 'fbc', input: 'FB.1.1796116000123.AbC', sent: null, code: 'invalid_fbc' },
  { field: 'fbc', input: 'fb.1.1796116000.AbC', sent: null, code: 'invalid_fbc' },
  { field: 'fbp', input: 'fb.1..123', sent: null, code: 'invalid_fbp' },
  { field: 'client_user_agent', input: ' Mozilla/5.0 (X11) ', sent: 'Mozilla/5.0 (X11)' },
  {
    field: 'madid',
    input: '38400000-8CF0-11BD-B23E-10B96E40000D',
    sent: '38400000-8CF0-11BD-B23E-10B96E40000D',
  },
  { field: 'lead_id', input: 1234567890, sent: '1234567890' },
  { field: 'subscription_id', input: '', sent: null, code: 'blank' },
];
