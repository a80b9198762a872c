import { MappingConfigError, parseMappingConfig } from '../../src/config/mapping';
import { previewCall } from '../../src/mapping';

const NOW = new Date('2026-12-01T12:00:00Z');
const mapping = parseMappingConfig({});

function order(overrides: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: 'msg-hostile',
    timestamp: '2026-12-01T11:00:00Z',
    userId: 'cust-1',
    context: {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
      page: { url: 'https://shop.example.com/checkout' },
    },
    properties: { order_id: '1001', revenue: 68, currency: 'USD', ...properties },
    ...overrides,
  };
}

function reasonOf(raw: unknown, config = { mapping }) {
  const line = previewCall(raw, config, NOW);
  return { outcome: line.outcome, code: line.reason?.code, field: line.reason?.field };
}

describe('hostile calls in preview', () => {
  test.each([
    ['a number beyond year 9999', 1e300],
    ['a 17-digit number', Number('99999999999999999')],
    ['30 November plus one', '2026-11-31T10:00:00Z'],
    ['30 February', '2026-02-30'],
  ])('timestamp as %s is invalid', (_name, timestamp) => {
    expect(reasonOf(order({ timestamp }))).toEqual({
      outcome: 'reject',
      code: 'invalid_timestamp',
      field: 'timestamp',
    });
  });

  test('deep nesting is rejected, not a crash', () => {
    let nested: Record<string, unknown> = {};
    const root = nested;
    for (let depth = 0; depth < 5000; depth++) {
      const child: Record<string, unknown> = {};
      nested.next = child;
      nested = child;
    }
    expect(reasonOf(order({}, { extra: root }))).toEqual({
      outcome: 'reject',
      code: 'invalid_call',
      field: '(root)',
    });
  });

  test('order id above 2^53 is rejected', () => {
    expect(reasonOf(order({}, { order_id: Number('12345678901234567890') }))).toEqual({
      outcome: 'reject',
      code: 'invalid_event_id',
      field: 'properties.order_id',
    });
  });

  test('overlong order id is rejected', () => {
    expect(reasonOf(order({}, { order_id: 'x'.repeat(5000) }))).toEqual({
      outcome: 'reject',
      code: 'invalid_event_id',
      field: 'properties.order_id',
    });
  });

  test('phone in an allowlisted property is dropped', () => {
    const config = { mapping: parseMappingConfig({ customDataAllowlist: ['coupon'] }) };
    const line = previewCall(order({}, { coupon: '+1 615 509 3305' }), config, NOW);
    expect(line.outcome).toBe('send');
    expect(line.event?.custom_data?.coupon).toBeUndefined();
    expect(line.warnings?.map((warning) => warning.code)).toContain('allowlisted_value_dropped');
  });

  test('coupon code in an allowlisted property is kept', () => {
    const config = { mapping: parseMappingConfig({ customDataAllowlist: ['coupon'] }) };
    const line = previewCall(order({}, { coupon: 'SAVE-10' }), config, NOW);
    expect(line.event?.custom_data?.coupon).toBe('SAVE-10');
  });

  test.each(['zip', 'postal_code', 'city', 'gender', 'external_id', 'fbc', 'userId'])(
    'allowlisting %s is a config error',
    (name) => {
      expect(() => parseMappingConfig({ customDataAllowlist: [name] })).toThrow(MappingConfigError);
    },
  );
});
