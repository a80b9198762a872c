import { maskValue } from '../../src/identity';

describe('maskValue', () => {
  test.each([
    ['em', 'jane.doe@example.com', 'j***@example.com'],
    ['em', 'no-at-sign', 'n***'],
    ['ph', '+1 212 555 1212', '+1******1212'],
    ['ph', '(650) 555-1212', '6*****1212'],
    ['ph', '1234', '****'],
    ['fn', 'Ólafur', 'Ó***'],
    ['ln', '𝒜lpha', '𝒜***'],
    ['db', '1990-01-05', '1***'],
    ['external_id', 'CUST_1000', 'C***'],
    ['client_ip_address', '203.0.113.7', '2***'],
    ['country', 'XX', 'XX'],
    ['ge', 'non-binary', 'non-binary'],
    ['fbc', 'fb.1.1796116000123', 'fb.1.1796116000123'],
  ] as const)('%s %s', (key, raw, masked) => {
    expect(maskValue(key, raw)).toBe(masked);
  });

  test('non-text values described', () => {
    expect(maskValue('em', null)).toBe('null');
    expect(maskValue('em', undefined)).toBe('undefined');
    expect(maskValue('em', ['a@example.com'])).toBe('[array of 1]');
    expect(maskValue('em', { email: 'a@example.com' })).toBe('[object]');
    expect(maskValue('em', true)).toBe('true');
    expect(maskValue('ph', 16505551212)).toBe('1******1212');
  });

  test('long shown values cut', () => {
    expect(maskValue('country', 'x'.repeat(100))).toBe(`${'x'.repeat(40)}…`);
  });
});
