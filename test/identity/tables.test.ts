import { countryCodes } from '../../src/identity/countries';
import { usStates } from '../../src/identity/us-states';
import { normalizeField, toCountryCode, toUsStateCode } from '../../src/identity';

describe('country table', () => {
  test('has all 249 codes', () => {
    const codes = countryCodes();

    expect(codes).toHaveLength(249);
    expect(new Set(codes).size).toBe(249);
  });

  test('every code resolves itself', () => {
    for (const code of countryCodes()) {
      expect(toCountryCode(code)).toBe(code);
      expect(toCountryCode(code.toLowerCase())).toBe(code);
    }
  });

  test('every English name resolves', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of countryCodes()) {
      expect([code, toCountryCode(names.of(code) ?? '')]).toEqual([code, code]);
    }
  });

  test('common variants resolve', () => {
    expect(toCountryCode('U.S.A.')).toBe('US');
    expect(toCountryCode('Holland')).toBe('NL');
    expect(toCountryCode('Czech Republic')).toBe('CZ');
    expect(toCountryCode('Ivory Coast')).toBe('CI');
    expect(toCountryCode('Viet Nam')).toBe('VN');
    expect(toCountryCode('Russian Federation')).toBe('RU');
  });

  test('unknown codes rejected', () => {
    expect(toCountryCode('XX')).toBeUndefined();
    expect(toCountryCode('EU')).toBeUndefined();
    expect(toCountryCode('ZZ')).toBeUndefined();
  });
});

describe('US state table', () => {
  const states = usStates();

  test('covers states, DC and territories', () => {
    expect(states).toHaveLength(50 + 1 + 6 + 3);
  });

  test.each(states)('$name is $code', ({ code, name }) => {
    expect(toUsStateCode(name)).toBe(code);
    expect(toUsStateCode(name.toUpperCase())).toBe(code);
    expect(normalizeField('st', name, { country: 'US' })).toEqual({
      ok: true,
      value: code.toLowerCase(),
    });
  });

  test('codes resolve both cases', () => {
    for (const { code } of states) {
      expect(toUsStateCode(code.toLowerCase())).toBe(code);
    }
  });
});
