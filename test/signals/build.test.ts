import type { Profile } from '../../src/profiles';
import {
  DAY_MS,
  InvalidSignalsConfigError,
  MAX_SIGNAL_AGE_MS,
  buildSignalCall,
  parseSignalsConfig,
} from '../../src/signals';
import type { SignalDefinition } from '../../src/signals';

const NOW = Date.parse('2026-06-15T10:00:00Z');
const VIP: SignalDefinition = { kind: 'vip', eventName: 'VIP Qualified', currency: 'EUR' };
const WINBACK_30: SignalDefinition = { kind: 'winback', windowDays: 30, eventName: 'Winback' };

function profile(overrides: Partial<Profile>): Profile {
  return {
    customerId: 'cust-1',
    userData: { external_id: 'a'.repeat(64) },
    lifetimeValue: 750,
    ordersCount: 4,
    lastOrderAt: null,
    updatedAt: NOW - DAY_MS,
    vipQualifiedAt: null,
    ...overrides,
  };
}

describe('buildSignalCall', () => {
  test('VIP call carries value', () => {
    const qualifiedAt = NOW - 2 * DAY_MS + 1234;

    const decision = buildSignalCall(profile({ vipQualifiedAt: qualifiedAt }), VIP, NOW);

    expect(decision).toEqual({
      action: 'send',
      call: {
        signal: 'vip_qualified',
        period: 'lifetime',
        customerId: 'cust-1',
        eventName: 'VIP Qualified',
        eventId: 'vip_qualified:cust-1',
        eventTime: Math.floor(qualifiedAt / 1000),
        customData: { value: 750, currency: 'EUR' },
        userData: { external_id: 'a'.repeat(64) },
      },
    });
  });

  test('winback time is order plus window', () => {
    const lastOrderAt = Date.parse('2026-05-14T23:30:00Z');

    const decision = buildSignalCall(profile({ lastOrderAt }), WINBACK_30, NOW);

    expect(decision.action).toBe('send');
    if (decision.action !== 'send') return;
    expect(decision.call.eventId).toBe('winback:30d:cust-1:20260514');
    expect(decision.call.period).toBe('20260514');
    expect(decision.call.signal).toBe('winback:30d');
    expect(decision.call.eventTime).toBe((lastOrderAt + 30 * DAY_MS) / 1000);
    expect(decision.call.customData).toEqual({ winback_days: 30, orders_count: 4 });
  });

  test('VIP from 30 days ago skipped', () => {
    const decision = buildSignalCall(profile({ vipQualifiedAt: NOW - 30 * DAY_MS }), VIP, NOW);

    expect(decision).toEqual({
      action: 'skip',
      reason: expect.objectContaining({ code: 'signal_too_old' }),
      record: {
        signal: 'vip_qualified',
        customerId: 'cust-1',
        period: 'lifetime',
        eventId: 'vip_qualified:cust-1',
        status: 'skipped',
        sentAt: NOW,
      },
    });
  });

  test('age limit edge', () => {
    const justInside = buildSignalCall(
      profile({ vipQualifiedAt: NOW - MAX_SIGNAL_AGE_MS }),
      VIP,
      NOW,
    );
    const justOutside = buildSignalCall(
      profile({ vipQualifiedAt: NOW - MAX_SIGNAL_AGE_MS - 1 }),
      VIP,
      NOW,
    );

    expect(justInside.action).toBe('send');
    expect(justOutside.action).toBe('skip');
  });

  test('future VIP time clamped', () => {
    const decision = buildSignalCall(profile({ vipQualifiedAt: NOW + DAY_MS }), VIP, NOW);

    expect(decision.action).toBe('send');
    if (decision.action !== 'send') return;
    expect(decision.call.eventTime).toBe(NOW / 1000);
  });

  test('unqualified profile yields none', () => {
    const notVip = buildSignalCall(profile({}), VIP, NOW);
    const recent = buildSignalCall(profile({ lastOrderAt: NOW - 29 * DAY_MS }), WINBACK_30, NOW);
    const noOrders = buildSignalCall(profile({}), WINBACK_30, NOW);

    expect(notVip.action).toBe('none');
    expect(recent.action).toBe('none');
    expect(noOrders.action).toBe('none');
  });
});

describe('parseSignalsConfig', () => {
  test('defaults disable both signals', () => {
    expect(parseSignalsConfig({})).toEqual({
      vip: { enabled: false, eventName: 'VIP Qualified', currency: 'USD' },
      winback: { enabled: false, windowsDays: [30, 60], eventName: 'Winback' },
      pageSize: 500,
    });
  });

  test('enabled VIP needs threshold', () => {
    expect(() => parseSignalsConfig({ vip: { enabled: true } })).toThrow(InvalidSignalsConfigError);
    expect(() => parseSignalsConfig({ vip: { enabled: true } })).toThrow(
      /vip\.threshold: missing threshold/,
    );
  });

  test('invalid fields named', () => {
    expect(() => parseSignalsConfig({ vip: { threshold: -5 } })).toThrow(/vip\.threshold/);
    expect(() => parseSignalsConfig({ vip: { currency: 'usd' } })).toThrow(
      /vip\.currency: expected an ISO 4217/,
    );
    expect(() => parseSignalsConfig({ winback: { windowsDays: [0] } })).toThrow(
      /winback\.windowsDays\.0/,
    );
    expect(() => parseSignalsConfig({ winback: { windowsDays: [] } })).toThrow(
      /winback\.windowsDays/,
    );
  });
});
