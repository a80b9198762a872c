import { parseMappingConfig } from '../../src/config/mapping';
import { InvalidSettingsError, loadSettings } from '../../src/config/settings';
import { mapCall } from '../../src/mapping';
import { parseSignalsConfig } from '../../src/signals';
import { withSignalRules } from '../../src/signals/mapping-rules';

const SIGNALS = parseSignalsConfig({
  vip: { enabled: true, threshold: 500 },
  winback: { enabled: true, windowsDays: [30] },
});
const DIGEST = 'a'.repeat(64);

describe('signal mapping rules', () => {
  test('signal events become system_generated', () => {
    const mapping = withSignalRules(parseMappingConfig({}), SIGNALS);
    const outcome = mapCall(
      {
        type: 'track',
        event: 'Winback',
        messageId: `winback:30d:${DIGEST}:20261101`,
        timestamp: '2026-12-01T11:00:00.000Z',
        userId: DIGEST,
        properties: { winback_days: 30, orders_count: 2 },
      },
      { userData: { external_id: [DIGEST] }, warnings: [], sources: { external_id: 'userId' } },
      mapping,
      { now: new Date('2026-12-01T12:00:00Z') },
    );
    expect(outcome).toMatchObject({
      outcome: 'send',
      event: {
        event_name: 'Winback',
        action_source: 'system_generated',
        custom_data: { winback_days: 30, orders_count: 2 },
      },
    });
  });

  test('mapping file rule is kept', () => {
    const mapping = withSignalRules(
      parseMappingConfig({ events: { 'VIP Qualified': { metaEvent: 'VIPCustomer' } } }),
      SIGNALS,
    );
    expect(mapping.rules.vipqualified?.metaEvent).toBe('VIPCustomer');
    expect(mapping.rules.winback?.actionSource).toBe('system_generated');
  });

  test('signals off add no rules', () => {
    const base = parseMappingConfig({});
    expect(withSignalRules(base, parseSignalsConfig({}))).toEqual(base);
  });
});

describe('signal settings', () => {
  test('environment turns signals on', () => {
    const settings = loadSettings({
      env: { CIO_CAPI_VIP_THRESHOLD: '750', CIO_CAPI_WINBACK_DAYS: '60,30' },
    });
    expect(settings.signals.config.vip).toMatchObject({ enabled: true, threshold: 750 });
    expect(settings.signals.config.winback).toMatchObject({
      enabled: true,
      windowsDays: [30, 60],
    });
    expect(settings.signals.schedule).toEqual({ everyMinutes: 60, catchupWindowMinutes: 60 });
  });

  test('invalid values name the variable', () => {
    expect(() =>
      loadSettings({
        env: { CIO_CAPI_VIP_THRESHOLD: '-5', CIO_CAPI_SIGNALS_EVERY_MINUTES: '0' },
        overrides: { signals: { winback: { enabled: true, windowsDays: [0] } } },
      }),
    ).toThrow(InvalidSettingsError);
    try {
      loadSettings({
        env: { CIO_CAPI_VIP_THRESHOLD: '-5', CIO_CAPI_SIGNALS_EVERY_MINUTES: '0' },
        overrides: { signals: { winback: { enabled: true, windowsDays: [0] } } },
      });
    } catch (error) {
      expect((error as InvalidSettingsError).problems).toEqual([
        'CIO_CAPI_VIP_THRESHOLD: invalid threshold "-5": expected a positive amount',
        'signals.winback.windowsDays.0: Too small: expected number to be >=1',
        'CIO_CAPI_SIGNALS_EVERY_MINUTES: invalid value "0": expected a whole number from 1 to 10080',
      ]);
    }
  });

  test('VIP without threshold fails', () => {
    expect(() =>
      loadSettings({ env: {}, overrides: { signals: { vip: { enabled: true } } } }),
    ).toThrow('signals.vip.threshold: missing threshold');
  });
});
