import { mapCall } from '../../src/mapping/map-call';
import { resolveEvent } from '../../src/mapping/resolve-event';
import {
  NOW,
  NOW_SECONDS,
  PAGE_URL,
  browserIdentity,
  codeOf,
  mapWith,
  mapping,
  sent,
  trackCall,
} from './helpers';
import { pipelinesCallSchema } from '../../src/customerio/call';

const ORDER = { order_id: 'o-77', revenue: 68, total: 80.5, currency: 'USD' };

describe('default mappings', () => {
  test.each([
    ['Order Completed', ORDER, 'Purchase'],
    ['Checkout Started', { value: 10, currency: 'USD' }, 'InitiateCheckout'],
    ['Product Added', { product_id: 'p1', price: 5 }, 'AddToCart'],
    ['Product Viewed', { product_id: 'p1', price: 5 }, 'ViewContent'],
    ['Products Searched', { query: 'serum' }, 'Search'],
  ])('%s is on', (event, properties, metaEvent) => {
    expect(sent(mapWith(trackCall(event, properties))).event_name).toBe(metaEvent);
  });

  test.each([
    ['Payment Info Entered', 'AddPaymentInfo'],
    ['Product Added to Wishlist', 'AddToWishlist'],
  ])('%s is off', (event, metaEvent) => {
    const outcome = mapWith(trackCall(event));
    expect(codeOf(outcome)).toBe('event_disabled');
    expect(
      sent(mapWith(trackCall(event), mapping({ events: { [event]: { enabled: true } } })))
        .event_name,
    ).toBe(metaEvent);
  });

  test('page is off', () => {
    const page = pipelinesCallSchema.parse({
      type: 'page',
      messageId: 'msg_page',
      timestamp: '2026-12-01T11:00:00Z',
      userId: 'cust_1',
      name: 'Home',
      context: { userAgent: 'UA', page: { url: PAGE_URL } },
    });
    expect(codeOf(mapWith(page))).toBe('event_disabled');
    const event = sent(mapWith(page, mapping({ events: { page: { enabled: true } } })));
    expect(event.event_name).toBe('PageView');
    expect(event.event_id).toBe('msg_page');
  });
});

describe('event resolution', () => {
  test.each([['order completed'], ['ORDER_COMPLETED'], ['order-completed'], ['OrderCompleted']])(
    'name variant %s',
    (name) => {
      const resolved = resolveEvent(trackCall(name, ORDER), mapping());
      expect(resolved).toEqual({
        kind: 'map',
        metaEventName: 'Purchase',
        eventId: 'o-77',
        sourceEvent: name,
      });
    },
  );

  test('identify call skipped', () => {
    const call = pipelinesCallSchema.parse({
      type: 'identify',
      messageId: 'm',
      timestamp: '2026-12-01T11:00:00Z',
      userId: 'u',
      traits: { email: 'a@example.com' },
    });
    expect(codeOf(mapWith(call))).toBe('identify_call');
  });

  test('unmapped custom event', () => {
    const outcome = mapWith(trackCall('VIP Qualified'));
    expect(codeOf(outcome)).toBe('unmapped_event');
    if (outcome.outcome === 'skip') expect(outcome.reason.message).toContain('"VIP Qualified"');
  });

  test('custom event by name', () => {
    const config = mapping({
      events: { 'VIP Qualified': { metaEvent: 'VIPQualified', actionSource: 'system_generated' } },
    });
    const event = sent(mapWith(trackCall('vip_qualified', {}, { context: {} }), config));
    expect(event.event_name).toBe('VIPQualified');
    expect(event.action_source).toBe('system_generated');
    expect(event.event_source_url).toBeUndefined();
  });

  test('track named page unmapped', () => {
    const config = mapping({ events: { page: { enabled: true } } });
    expect(codeOf(mapWith(trackCall('Page'), config))).toBe('unmapped_event');
  });

  test('purchase event id fallback', () => {
    const outcome = mapWith(trackCall('Order Completed', { revenue: 5, currency: 'USD' }));
    expect(sent(outcome).event_id).toBe('msg_test_1');
    expect(outcome.outcome === 'send' && outcome.warnings.map((w) => w.code)).toEqual([
      'event_id_fallback',
    ]);
  });

  test('event id from dotted path', () => {
    const config = mapping({
      events: { 'Checkout Started': { eventId: 'properties.checkout_id' } },
    });
    const call = trackCall('Checkout Started', { checkout_id: 'chk_9' });
    expect(resolveEvent(call, config)).toMatchObject({ eventId: 'chk_9' });
  });
});

describe('value and currency', () => {
  test.each([
    [' Usd ', 'USD'],
    ['eur', 'EUR'],
    ['JPY', 'JPY'],
    ['gbp', 'GBP'],
  ])('currency %j', (raw, code) => {
    const event = sent(mapWith(trackCall('Order Completed', { ...ORDER, currency: raw })));
    expect(event.custom_data?.currency).toBe(code);
  });

  test('unknown currency rejected', () => {
    const outcome = mapWith(trackCall('Order Completed', { ...ORDER, currency: 'XYZ' }));
    expect(codeOf(outcome)).toBe('invalid_currency');
  });

  test('EUR comma decimal rejected', () => {
    const outcome = mapWith(
      trackCall('Order Completed', { ...ORDER, revenue: '68,50', currency: 'EUR' }),
    );
    expect(outcome.outcome).toBe('reject');
    if (outcome.outcome !== 'reject') return;
    expect(outcome.reason.code).toBe('invalid_value');
    expect(outcome.reason.field).toBe('properties.revenue');
    expect(outcome.reason.message).toContain('"68,50"');
  });

  test('thousands separator rejected', () => {
    const outcome = mapWith(trackCall('Order Completed', { ...ORDER, revenue: '1,234.00' }));
    expect(codeOf(outcome)).toBe('invalid_value');
  });

  test('revenue is the default', () => {
    expect(sent(mapWith(trackCall('Order Completed', ORDER))).custom_data?.value).toBe(68);
  });

  test('total when configured', () => {
    const config = mapping({ events: { 'Order Completed': { value: 'total' } } });
    expect(sent(mapWith(trackCall('Order Completed', ORDER), config)).custom_data?.value).toBe(
      80.5,
    );
  });

  test('fallback to total', () => {
    const outcome = mapWith(trackCall('Order Completed', { ...ORDER, revenue: undefined }));
    expect(sent(outcome).custom_data?.value).toBe(80.5);
    expect(outcome.outcome === 'send' ? outcome.warnings[0]?.code : undefined).toBe(
      'value_fallback',
    );
  });

  test('purchase without value', () => {
    const outcome = mapWith(trackCall('Order Completed', { order_id: 'o', currency: 'USD' }));
    expect(codeOf(outcome)).toBe('missing_value');
  });

  test('default currency applies', () => {
    const config = mapping({ defaultCurrency: 'EUR' });
    const event = sent(
      mapWith(trackCall('Order Completed', { order_id: 'o', revenue: 9 }), config),
    );
    expect(event.custom_data?.currency).toBe('EUR');
  });

  test('value without currency dropped', () => {
    const outcome = mapWith(trackCall('Product Viewed', { product_id: 'p1', price: 21 }));
    expect(sent(outcome).custom_data?.value).toBeUndefined();
    expect(outcome.outcome === 'send' && outcome.warnings.map((w) => w.code)).toEqual([
      'value_without_currency',
    ]);
  });
});

describe('contents', () => {
  test('products with fallback ids', () => {
    const products = [
      { product_id: 'p1', sku: 'S1', price: '34.00', quantity: 2 },
      { sku: 'S2', price: 18 },
      { id: 3, quantity: 1 },
      { name: 'no id' },
    ];
    const outcome = mapWith(
      trackCall('Checkout Started', { value: 104, currency: 'USD', products }),
    );
    const data = sent(outcome).custom_data;
    expect(data?.content_ids).toEqual(['p1', 'S2', '3']);
    expect(data?.contents).toEqual([
      { id: 'p1', quantity: 2, item_price: 34 },
      { id: 'S2', item_price: 18 },
      { id: '3', quantity: 1 },
    ]);
    expect(data?.content_type).toBe('product');
    expect(data?.num_items).toBe(4);
    expect(outcome.outcome === 'send' && outcome.warnings.map((w) => w.message)).toEqual([
      '1 of 4 products in properties.products have no product_id, sku or id: left out of contents',
    ]);
  });

  test('single product event', () => {
    const properties = {
      product_id: 'sku-202',
      name: 'Silk Conditioner',
      category: 'Haircare',
      price: 21,
      quantity: 1,
      currency: 'usd',
    };
    const data = sent(mapWith(trackCall('Product Added', properties))).custom_data;
    expect(data).toEqual({
      value: 21,
      currency: 'USD',
      content_ids: ['sku-202'],
      contents: [{ id: 'sku-202', quantity: 1, item_price: 21 }],
      content_type: 'product',
      content_name: 'Silk Conditioner',
      content_category: 'Haircare',
    });
  });

  test('search string and ltv', () => {
    const data = sent(
      mapWith(trackCall('Products Searched', { query: ' serum ', predicted_ltv: '120.5' })),
    ).custom_data;
    expect(data).toEqual({ search_string: 'serum', predicted_ltv: 120.5 });
  });
});

describe('custom data allowlist', () => {
  test('copies allowlisted properties', () => {
    const config = mapping({ customDataAllowlist: ['source', 'tags', 'coupon'] });
    const call = trackCall('Order Completed', {
      ...ORDER,
      source: 'site',
      tags: ['a', 'b'],
      secret: 'x',
    });
    const data = sent(mapWith(call, config)).custom_data;
    expect(data?.source).toBe('site');
    expect(data?.tags).toEqual(['a', 'b']);
    expect(data?.secret).toBeUndefined();
    expect(data?.coupon).toBeUndefined();
  });

  test('drops email-like values', () => {
    const config = mapping({ customDataAllowlist: ['referrer_code'] });
    const call = trackCall('Order Completed', { ...ORDER, referrer_code: 'jane@example.com' });
    const outcome = mapWith(call, config);
    expect(sent(outcome).custom_data?.referrer_code).toBeUndefined();
    expect(outcome.outcome === 'send' && outcome.warnings.map((w) => w.code)).toContain(
      'allowlisted_value_dropped',
    );
  });
});

describe('event time', () => {
  test.each([
    [1796122800, 1796122800],
    [1796122800000, 1796122800],
    ['1796122800', 1796122800],
    ['1796122800123', 1796122800],
    ['2026-12-01T11:00:00+01:00', 1796119200],
    ['2026-12-01T11:00:00', 1796122800],
  ])('timestamp %j', (timestamp, seconds) => {
    expect(sent(mapWith(trackCall('Product Viewed', {}, { timestamp }))).event_time).toBe(seconds);
  });

  test.each([['yesterday'], ['Dec 1 2026'], ['-5'], ['']])('invalid timestamp %j', (timestamp) => {
    expect(codeOf(mapWith(trackCall('Product Viewed', {}, { timestamp })))).toBe(
      'invalid_timestamp',
    );
  });

  test('exactly 7 days accepted', () => {
    const timestamp = new Date((NOW_SECONDS - 7 * 86400) * 1000).toISOString();
    expect(codeOf(mapWith(trackCall('Product Viewed', {}, { timestamp })))).toBe('send');
  });

  test('physical store 62 days', () => {
    const config = mapping({ events: { 'Product Viewed': { actionSource: 'physical_store' } } });
    const at = (days: number) => new Date((NOW_SECONDS - days * 86400) * 1000).toISOString();
    expect(codeOf(mapWith(trackCall('Product Viewed', {}, { timestamp: at(62) }), config))).toBe(
      'send',
    );
    expect(codeOf(mapWith(trackCall('Product Viewed', {}, { timestamp: at(63) }), config))).toBe(
      'event_too_old',
    );
  });

  test('future within skew clamped', () => {
    const outcome = mapWith(trackCall('Product Viewed', {}, { timestamp: '2026-12-01T12:04:00Z' }));
    expect(sent(outcome).event_time).toBe(NOW_SECONDS);
    expect(outcome.outcome === 'send' ? outcome.warnings[0]?.code : undefined).toBe(
      'event_time_clamped',
    );
  });

  test('future beyond custom skew', () => {
    const config = mapping({ maxClockSkewSeconds: 60 });
    const call = trackCall('Product Viewed', {}, { timestamp: '2026-12-01T12:02:00Z' });
    expect(codeOf(mapWith(call, config))).toBe('event_in_future');
  });
});

describe('website fields', () => {
  test('url from properties', () => {
    const call = trackCall(
      'Product Viewed',
      { url: 'https://shop.example.com/p' },
      { context: { userAgent: 'UA' } },
    );
    expect(sent(mapWith(call)).event_source_url).toBe('https://shop.example.com/p');
  });

  test('missing url rejected', () => {
    const call = trackCall('Product Viewed', {}, { context: { userAgent: 'UA' } });
    expect(codeOf(mapWith(call))).toBe('website_event_missing_url');
  });

  test('missing user agent rejected', () => {
    const identity = browserIdentity({ client_user_agent: undefined });
    delete identity.userData.client_user_agent;
    expect(codeOf(mapWith(trackCall('Product Viewed'), mapping(), identity))).toBe(
      'website_event_missing_user_agent',
    );
  });

  test('non-website source needs neither', () => {
    const config = mapping({ events: { 'Order Completed': { actionSource: 'email' } } });
    const identity = { userData: { em: 'b'.repeat(64) }, warnings: [], sources: {} };
    const call = trackCall('Order Completed', ORDER, { context: {} });
    const event = sent(mapCall(call, identity, config, { now: NOW }));
    expect(event.action_source).toBe('email');
    expect(event.event_source_url).toBeUndefined();
  });

  test('weak identifiers rejected', () => {
    const identity = {
      userData: { ct: 'c'.repeat(64), client_user_agent: 'UA' },
      warnings: [],
      sources: {},
    };
    expect(codeOf(mapWith(trackCall('Product Viewed'), mapping(), identity))).toBe(
      'weak_identifiers',
    );
  });
});

describe('limited data use', () => {
  test('from the mapping', () => {
    const event = sent(
      mapWith(
        trackCall('Product Viewed'),
        mapping({ limitedDataUse: { country: 1, state: 1000 } }),
      ),
    );
    expect(event.data_processing_options).toEqual(['LDU']);
    expect(event.data_processing_options_country).toBe(1);
    expect(event.data_processing_options_state).toBe(1000);
  });

  test('pixel tuple in context', () => {
    const call = trackCall(
      'Product Viewed',
      {},
      {
        context: {
          userAgent: 'UA',
          page: { url: PAGE_URL },
          dataProcessingOptions: [['LDU'], 1, 1000],
        },
      },
    );
    const event = sent(mapWith(call));
    expect(event.data_processing_options_country).toBe(1);
    expect(event.data_processing_options_state).toBe(1000);
  });

  test('object form with zeros', () => {
    const call = trackCall('Product Viewed', {
      data_processing_options: { options: ['ldu'], country: '0', state: 0 },
    });
    const event = sent(mapWith(call));
    expect(event.data_processing_options).toEqual(['LDU']);
    expect(event.data_processing_options_country).toBe(0);
    expect(event.data_processing_options_state).toBe(0);
  });

  test('empty options mean none', () => {
    const event = sent(mapWith(trackCall('Product Viewed', { data_processing_options: [] })));
    expect(event.data_processing_options).toBeUndefined();
  });

  test('invalid codes rejected', () => {
    const call = trackCall('Product Viewed', {
      data_processing_options: ['LDU'],
      data_processing_options_country: -1,
    });
    expect(codeOf(mapWith(call))).toBe('invalid_data_processing_options');
  });
});
