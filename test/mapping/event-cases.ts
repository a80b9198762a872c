/**
 * The mapping cases of the project's identity case table, with their exact expected values. The
 * clock of every case is 2026-12-01T12:00:00Z. `expect.code` is the stable reason code the
 * described rejection carries here.
 */
export interface EventCase {
  case: string;
  input: Record<string, unknown>;
  expect: Record<string, unknown>;
}

export const EVENT_CASES: EventCase[] = [
  {
    case: 'value given as a numeric string',
    input: { value: '68.00', currency: 'usd' },
    expect: { 'custom_data.value': 68, 'custom_data.currency': 'USD' },
  },
  {
    case: 'value with a currency symbol',
    input: { value: '$68.00' },
    expect: { code: 'invalid_value', field: 'properties.value', rawValue: '$68.00' },
  },
  {
    case: 'Purchase without currency and no default configured',
    input: { event: 'Order Completed', revenue: 68 },
    expect: { code: 'missing_currency', field: 'properties.currency' },
  },
  {
    case: 'event time in milliseconds',
    input: { timestamp: 1796126400000 },
    expect: { event_time: 1796126400 },
  },
  {
    case: 'event time as ISO 8601',
    input: { timestamp: '2026-12-01T12:00:00.000Z' },
    expect: { event_time: 1796126400 },
  },
  {
    case: 'event older than 7 days',
    input: { timestamp: '2026-11-24T11:00:00Z' },
    expect: { code: 'event_too_old', field: 'timestamp' },
  },
  {
    case: 'physical store event 30 days old',
    input: { timestamp: '2026-11-01T12:00:00Z', action_source: 'physical_store' },
    expect: { event_time: 1793534400 },
  },
  {
    case: 'event two hours in the future',
    input: { timestamp: '2026-12-01T14:00:00Z' },
    expect: { code: 'event_in_future', field: 'timestamp' },
  },
  {
    case: 'numeric order id',
    input: { event: 'Order Completed', order_id: 1001 },
    expect: { event_id: '1001', 'custom_data.order_id': '1001' },
  },
  {
    case: 'the same order delivered twice',
    input: { deliveries: 2, order_id: '1001' },
    expect: { meta_requests_with_event_id_1001: 1 },
  },
  {
    case: 'Limited Data Use with zero codes',
    input: { data_processing_options: ['LDU'], country: 0, state: 0 },
    expect: {
      data_processing_options: ['LDU'],
      data_processing_options_country: 0,
      data_processing_options_state: 0,
    },
  },
  {
    case: 'no identifier at all',
    input: { userId: null, traits: null, ip: null, userAgent: null },
    expect: { code: 'no_customer_information' },
  },
];
