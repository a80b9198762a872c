import { lookupKey } from './text';

/**
 * USPS codes of the 50 states, the District of Columbia, the inhabited territories, the minor
 * outlying islands and the armed forces mail regions, each with the names people type.
 */
const US_STATE_NAMES: Readonly<Record<string, readonly string[]>> = {
  AL: ['Alabama'],
  AK: ['Alaska'],
  AZ: ['Arizona'],
  AR: ['Arkansas'],
  CA: ['California'],
  CO: ['Colorado'],
  CT: ['Connecticut'],
  DE: ['Delaware'],
  FL: ['Florida'],
  GA: ['Georgia'],
  HI: ['Hawaii', 'Hawaiʻi'],
  ID: ['Idaho'],
  IL: ['Illinois'],
  IN: ['Indiana'],
  IA: ['Iowa'],
  KS: ['Kansas'],
  KY: ['Kentucky'],
  LA: ['Louisiana'],
  ME: ['Maine'],
  MD: ['Maryland'],
  MA: ['Massachusetts'],
  MI: ['Michigan'],
  MN: ['Minnesota'],
  MS: ['Mississippi'],
  MO: ['Missouri'],
  MT: ['Montana'],
  NE: ['Nebraska'],
  NV: ['Nevada'],
  NH: ['New Hampshire'],
  NJ: ['New Jersey'],
  NM: ['New Mexico'],
  NY: ['New York', 'New York State'],
  NC: ['North Carolina'],
  ND: ['North Dakota'],
  OH: ['Ohio'],
  OK: ['Oklahoma'],
  OR: ['Oregon'],
  PA: ['Pennsylvania'],
  RI: ['Rhode Island'],
  SC: ['South Carolina'],
  SD: ['South Dakota'],
  TN: ['Tennessee'],
  TX: ['Texas'],
  UT: ['Utah'],
  VT: ['Vermont'],
  VA: ['Virginia'],
  WA: ['Washington', 'Washington State'],
  WV: ['West Virginia'],
  WI: ['Wisconsin'],
  WY: ['Wyoming'],
  DC: ['District of Columbia', 'Washington DC', 'Washington D.C.'],
  AS: ['American Samoa'],
  GU: ['Guam'],
  MP: ['Northern Mariana Islands'],
  PR: ['Puerto Rico'],
  VI: ['U.S. Virgin Islands', 'US Virgin Islands', 'Virgin Islands'],
  UM: ['U.S. Minor Outlying Islands', 'United States Minor Outlying Islands'],
  AA: ['Armed Forces Americas'],
  AE: ['Armed Forces Europe'],
  AP: ['Armed Forces Pacific'],
};

const CODES = new Set(Object.keys(US_STATE_NAMES));

const CODE_BY_NAME_KEY: ReadonlyMap<string, string> = (() => {
  const byKey = new Map<string, string>();
  for (const [code, names] of Object.entries(US_STATE_NAMES)) {
    for (const name of names) {
      byKey.set(lookupKey(name), code);
    }
  }
  return byKey;
})();

/**
 * Resolves a US state code or name to its uppercase two-letter code, or returns undefined.
 * Two-letter text is read as a code only.
 */
export function toUsStateCode(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 2) {
    const code = trimmed.toUpperCase();
    return CODES.has(code) ? code : undefined;
  }
  return CODE_BY_NAME_KEY.get(lookupKey(trimmed));
}

/** Returns every state, district and territory with its first name, for tests and docs. */
export function usStates(): { code: string; name: string }[] {
  return Object.entries(US_STATE_NAMES).map(([code, names]) => ({ code, name: names[0] ?? code }));
}
