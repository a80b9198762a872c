import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadMappingConfig,
  mappingJsonSchema,
  MappingConfigError,
  parseMappingConfig,
} from '../../src/config/mapping';

const ROOT = join(__dirname, '..', '..');

function problemsOf(raw: unknown): string[] {
  try {
    parseMappingConfig(raw);
  } catch (error) {
    if (error instanceof MappingConfigError) {
      return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    }
    throw error;
  }
  return [];
}

describe('mapping config', () => {
  test('defaults without a file', () => {
    const config = loadMappingConfig();
    const enabled = Object.values(config.rules)
      .filter((rule) => rule.enabled)
      .map((rule) => `${rule.sourceEvent}=${rule.metaEvent}`);
    expect(enabled).toEqual([
      'Order Completed=Purchase',
      'Checkout Started=InitiateCheckout',
      'Product Added=AddToCart',
      'Product Viewed=ViewContent',
      'Products Searched=Search',
    ]);
    expect(config.maxClockSkewSeconds).toBe(300);
    expect(config.defaultCurrency).toBeUndefined();
    expect(config.customDataAllowlist).toEqual([]);
    expect(config.limitedDataUse).toBeUndefined();
  });

  test('purchase rule defaults', () => {
    expect(loadMappingConfig().rules.ordercompleted).toEqual({
      sourceEvent: 'Order Completed',
      metaEvent: 'Purchase',
      enabled: true,
      eventId: 'order_id',
      value: 'revenue',
      actionSource: 'website',
      currencyRequired: true,
    });
  });

  test('partial rule merges', () => {
    const config = parseMappingConfig({ events: { order_completed: { value: 'total' } } });
    expect(config.rules.ordercompleted).toMatchObject({
      sourceEvent: 'Order Completed',
      metaEvent: 'Purchase',
      value: 'total',
      eventId: 'order_id',
    });
  });

  test('every problem with its path', () => {
    expect(
      problemsOf({
        defaultCurrency: 'XYZ',
        maxClockSkewSeconds: -1,
        customDataAllowlist: ['source', 'email', 'Phone_Number', 'first_name'],
        events: {
          'Order Completed': { value: 'subtotal' },
          'VIP Qualified': { enabled: true },
          'Gift Card': { metaEvent: 'purchase' },
          'gift-card': { metaEvent: 'Lead' },
        },
        extra: 1,
      }),
    ).toEqual([
      '$.maxClockSkewSeconds: Too small: expected number to be >=0',
      '$.events["Order Completed"].value: Invalid option: expected one of "revenue"|"total"|"value"|"price"',
      '$.extra: unknown key "extra"',
      '$.customDataAllowlist[1]: "email" looks like personal data, which must never go into custom_data',
      '$.customDataAllowlist[2]: "Phone_Number" looks like personal data, which must never go into custom_data',
      '$.customDataAllowlist[3]: "first_name" looks like personal data, which must never go into custom_data',
      '$.defaultCurrency: "XYZ" is not an ISO 4217 currency code',
      '$.events["VIP Qualified"].metaEvent: metaEvent is missing: "VIP Qualified" has no built-in rule, so it needs a Meta event name',
      '$.events["Gift Card"].metaEvent: "purchase" would be a custom event: Meta\'s standard name is "Purchase" (case-sensitive)',
      '$.events["gift-card"]: "gift-card" and "Gift Card" name the same event (case, spaces, "_" and "-" are ignored)',
    ]);
  });

  test('refinement problems listed', () => {
    expect(
      problemsOf({
        defaultCurrency: 'XYZ',
        customDataAllowlist: ['source', 'email', 'Phone_Number', 'first_name'],
        events: {
          'VIP Qualified': { enabled: true },
          'Gift Card': { metaEvent: 'purchase' },
          'gift-card': { metaEvent: 'Lead' },
        },
      }),
    ).toEqual([
      '$.customDataAllowlist[1]: "email" looks like personal data, which must never go into custom_data',
      '$.customDataAllowlist[2]: "Phone_Number" looks like personal data, which must never go into custom_data',
      '$.customDataAllowlist[3]: "first_name" looks like personal data, which must never go into custom_data',
      '$.defaultCurrency: "XYZ" is not an ISO 4217 currency code',
      '$.events["VIP Qualified"].metaEvent: metaEvent is missing: "VIP Qualified" has no built-in rule, so it needs a Meta event name',
      '$.events["Gift Card"].metaEvent: "purchase" would be a custom event: Meta\'s standard name is "Purchase" (case-sensitive)',
      '$.events["gift-card"]: "gift-card" and "Gift Card" name the same event (case, spaces, "_" and "-" are ignored)',
    ]);
  });

  test('unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapping-'));
    const path = join(dir, 'mapping.json');
    writeFileSync(path, '{ "events": ');
    expect(() => loadMappingConfig(path)).toThrow(MappingConfigError);
    expect(() => loadMappingConfig(path)).toThrow(/\$: cannot read the file as JSON/);
  });

  test('example file loads', () => {
    const config = loadMappingConfig(join(ROOT, 'config', 'mapping.example.json'));
    expect(config.defaultCurrency).toBe('USD');
    expect(config.rules.vipqualified?.metaEvent).toBe('VIPQualified');
  });

  test('committed schema is current', () => {
    const committed: unknown = JSON.parse(
      readFileSync(join(ROOT, 'config', 'mapping.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(mappingJsonSchema());
  });
});
