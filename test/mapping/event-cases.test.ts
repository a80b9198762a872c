import { previewCall } from '../../src/mapping/preview';
import { resolveEvent } from '../../src/mapping/resolve-event';
import { EVENT_CASES, type EventCase } from './event-cases';
import { NOW, PAGE_URL, mapWith, mapping, sent, trackCall } from './helpers';

function caseNamed(name: string): EventCase {
  const found = EVENT_CASES.find((entry) => entry.case === name);
  if (!found) throw new Error(`no case named ${name}`);
  return found;
}

describe('event cases', () => {
  test('numeric string value', () => {
    const { input, expect: expected } = caseNamed('value given as a numeric string');
    const event = sent(mapWith(trackCall('Checkout Started', input)));

    expect(event.custom_data?.value).toBe(expected['custom_data.value']);
    expect(event.custom_data?.currency).toBe(expected['custom_data.currency']);
  });

  test('value with currency symbol', () => {
    const { input, expect: expected } = caseNamed('value with a currency symbol');
    const outcome = mapWith(trackCall('Checkout Started', { ...input, currency: 'USD' }));

    expect(outcome.outcome).toBe('reject');
    if (outcome.outcome !== 'reject') return;
    expect(outcome.reason.code).toBe(expected.code);
    expect(outcome.reason.field).toBe(expected.field);
    expect(outcome.reason.message).toContain(expected.field as string);
    expect(outcome.reason.message).toContain('"$68.00"');
  });

  test('purchase without currency', () => {
    const { input, expect: expected } = caseNamed(
      'Purchase without currency and no default configured',
    );
    const { event: name, ...properties } = input;
    const outcome = mapWith(trackCall(name as string, { order_id: 'o-1', ...properties }));

    expect(outcome.outcome).toBe('reject');
    if (outcome.outcome !== 'reject') return;
    expect(outcome.reason.code).toBe(expected.code);
    expect(outcome.reason.field).toBe(expected.field);
  });

  test.each([['event time in milliseconds'], ['event time as ISO 8601']])('%s', (name) => {
    const { input, expect: expected } = caseNamed(name);
    const event = sent(mapWith(trackCall('Product Viewed', {}, input)));

    expect(event.event_time).toBe(expected.event_time);
  });

  test.each([['event older than 7 days'], ['event two hours in the future']])('%s', (name) => {
    const { input, expect: expected } = caseNamed(name);
    const outcome = mapWith(trackCall('Product Viewed', {}, input));

    expect(outcome.outcome).toBe('reject');
    if (outcome.outcome !== 'reject') return;
    expect(outcome.reason.code).toBe(expected.code);
    expect(outcome.reason.field).toBe(expected.field);
  });

  test('physical store 30 days', () => {
    const { input, expect: expected } = caseNamed('physical store event 30 days old');
    const config = mapping({
      events: { 'Store Purchase': { metaEvent: 'Purchase', actionSource: input.action_source } },
    });
    const call = trackCall(
      'Store Purchase',
      { order_id: 'pos-1', revenue: 20, currency: 'USD' },
      { timestamp: input.timestamp },
    );
    const event = sent(mapWith(call, config));

    expect(event.event_time).toBe(expected.event_time);
    expect(event.action_source).toBe('physical_store');
  });

  test('numeric order id', () => {
    const { input, expect: expected } = caseNamed('numeric order id');
    const call = trackCall(input.event as string, {
      order_id: input.order_id,
      revenue: 68,
      currency: 'USD',
    });
    const event = sent(mapWith(call));

    expect(event.event_id).toBe(expected.event_id);
    expect(event.custom_data?.order_id).toBe(expected['custom_data.order_id']);
  });

  test('same order delivered twice', () => {
    const { input } = caseNamed('the same order delivered twice');
    const properties = { order_id: input.order_id, revenue: 68, currency: 'USD' };
    const deliveries = Array.from({ length: input.deliveries as number }, (_, index) =>
      trackCall('Order Completed', properties, { messageId: `msg_delivery_${index}` }),
    );
    const eventIds = deliveries.map((call) => {
      const resolved = resolveEvent(call, mapping());
      return resolved.kind === 'map' ? resolved.eventId : resolved.reason.code;
    });

    // Both deliveries resolve to the same event_id, and ingest derives one workflow id from it.
    // That workflow id is what lets only one request to Meta carry event_id 1001.
    expect(new Set(eventIds).size).toBe(1);
    expect(eventIds[0]).toBe('1001');
  });

  test('LDU with zero codes', () => {
    const { input, expect: expected } = caseNamed('Limited Data Use with zero codes');
    const call = trackCall('Product Viewed', {
      data_processing_options: input.data_processing_options,
      data_processing_options_country: input.country,
      data_processing_options_state: input.state,
    });
    const event = sent(mapWith(call));

    expect(event.data_processing_options).toEqual(expected.data_processing_options);
    expect(event.data_processing_options_country).toBe(expected.data_processing_options_country);
    expect(event.data_processing_options_state).toBe(expected.data_processing_options_state);
  });

  test('no identifier at all', () => {
    const { expect: expected } = caseNamed('no identifier at all');
    const line = previewCall(
      {
        type: 'track',
        messageId: 'msg_anonymous',
        timestamp: '2026-12-01T11:00:00Z',
        userId: null,
        anonymousId: 'anon-1',
        event: 'Product Viewed',
        traits: null,
        context: { ip: null, userAgent: null, page: { url: PAGE_URL } },
      },
      { mapping: mapping() },
      NOW,
    );

    expect(line.outcome).toBe('reject');
    expect(line.reason?.code).toBe(expected.code);
  });
});
