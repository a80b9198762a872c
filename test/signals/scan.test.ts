import { createHash } from 'node:crypto';
import type { ProfileStore } from '../../src/profiles';
import {
  DAY_MS,
  listSignals,
  parseSignalsConfig,
  scanCandidates,
  scanSignalPage,
  sentRecord,
} from '../../src/signals';
import type { SignalDefinition } from '../../src/signals';
import { describeEachEngine } from '../profiles/engines';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const NOW = Date.parse('2026-06-15T10:00:00Z');
const VIP: SignalDefinition = { kind: 'vip', eventName: 'VIP Qualified', currency: 'USD' };
const WINBACK_30: SignalDefinition = { kind: 'winback', windowDays: 30, eventName: 'Winback' };
const WINBACK_60: SignalDefinition = { kind: 'winback', windowDays: 60, eventName: 'Winback' };

async function orderDaysAgo(store: ProfileStore, customerId: string, days: number): Promise<void> {
  await store.applyOrder({
    customerId,
    orderId: `${customerId}-${days}`,
    userData: { external_id: sha(customerId) },
    orderValue: 20,
    at: NOW - days * DAY_MS,
  });
}

async function ids(store: ProfileStore, signal: SignalDefinition, now = NOW): Promise<string[]> {
  const page = await scanCandidates(store, signal, { limit: 100, now });
  return page.candidates.map((profile) => profile.customerId);
}

describeEachEngine('signal scan', (open) => {
  test('VIP candidates around threshold', async () => {
    const store = await open({ vipThreshold: 500 });
    const at = NOW - DAY_MS;
    await store.applyIdentify({ customerId: 'above', traits: { lifetime_value: 500.01 }, at });
    await store.applyIdentify({ customerId: 'below', traits: { lifetime_value: 499.99 }, at });
    await store.applyIdentify({ customerId: 'exact', traits: { lifetime_value: 500 }, at });

    expect(await ids(store, VIP)).toEqual(['above', 'exact']);
  });

  test('VIP scan ignores later qualification', async () => {
    const store = await open({ vipThreshold: 100 });
    await store.applyIdentify({
      customerId: 'c1',
      traits: { lifetime_value: 150 },
      at: NOW + DAY_MS,
    });

    expect(await ids(store, VIP)).toEqual([]);
    expect(await ids(store, VIP, NOW + 2 * DAY_MS)).toEqual(['c1']);
  });

  test('winback windows 30 and 60', async () => {
    const store = await open();
    await orderDaysAgo(store, 'd29', 29);
    await orderDaysAgo(store, 'd30', 30);
    await orderDaysAgo(store, 'd31', 31);
    await orderDaysAgo(store, 'd61', 61);
    await store.applyIdentify({ customerId: 'never', traits: {}, at: NOW - 90 * DAY_MS });

    expect(await ids(store, WINBACK_30)).toEqual(['d30', 'd31', 'd61']);
    expect(await ids(store, WINBACK_60)).toEqual(['d61']);
  });

  test('winback page skips stale windows', async () => {
    const store = await open();
    await orderDaysAgo(store, 'd31', 31);
    await orderDaysAgo(store, 'd61', 61);

    const page = await scanSignalPage(store, WINBACK_30, { limit: 100, now: NOW });

    expect(page.calls.map((call) => call.customerId)).toEqual(['d31']);
    expect(page.skipped).toBe(1);
    expect(
      await store.isSignalSent({ signal: 'winback:30d', customerId: 'd61', period: '20260415' }),
    ).toBe(true);
    expect(await ids(store, WINBACK_30)).toEqual(['d31']);
    expect(await ids(store, WINBACK_60)).toEqual(['d61']);
  });

  test('marked signal leaves the scan', async () => {
    const store = await open({ vipThreshold: 100 });
    await store.applyIdentify({
      customerId: 'vip',
      traits: { lifetime_value: 150 },
      at: NOW - DAY_MS,
    });
    await orderDaysAgo(store, 'lapsed', 35);

    for (const signal of [VIP, WINBACK_30]) {
      const page = await scanSignalPage(store, signal, { limit: 100, now: NOW });
      expect(page.calls).toHaveLength(1);
      await store.markSignalSent(sentRecord(page.calls[0]!, NOW));
    }

    expect(await ids(store, VIP)).toEqual([]);
    expect(await ids(store, WINBACK_30)).toEqual([]);
  });

  test('new order re-arms winback', async () => {
    const store = await open();
    await orderDaysAgo(store, 'c1', 31);
    const first = await scanSignalPage(store, WINBACK_30, { limit: 100, now: NOW });
    await store.markSignalSent(sentRecord(first.calls[0]!, NOW));

    await orderDaysAgo(store, 'c1', 1);
    const later = NOW + 30 * DAY_MS;
    expect(await ids(store, WINBACK_30, later - 2 * DAY_MS)).toEqual([]);
    const second = await scanSignalPage(store, WINBACK_30, { limit: 100, now: later });

    expect(first.calls[0]!.eventId).toBe('winback:30d:c1:20260515');
    expect(second.calls.map((call) => call.eventId)).toEqual(['winback:30d:c1:20260614']);
  });

  test('pagination returns each candidate once', async () => {
    const store = await open({ vipThreshold: 10 });
    const expected: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      const customerId = `c${String(i).padStart(2, '0')}`;
      const value = i % 5 === 0 ? 5 : 50;
      await store.applyIdentify({
        customerId,
        traits: { lifetime_value: value },
        at: NOW - DAY_MS,
      });
      if (value >= 10) expected.push(customerId);
    }

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let after: string | undefined;
    do {
      const page = await scanCandidates(store, VIP, { after, limit: 7, now: NOW });
      pageSizes.push(page.candidates.length);
      seen.push(...page.candidates.map((profile) => profile.customerId));
      after = page.nextAfter;
    } while (after !== undefined);

    expect(expected).toHaveLength(20);
    expect(seen).toEqual(expected);
    expect(pageSizes).toEqual([7, 7, 6]);
  });

  test('config lists enabled signals', () => {
    const config = parseSignalsConfig({
      vip: { enabled: true, threshold: 500 },
      winback: { enabled: true, windowsDays: [60, 30, 60] },
    });

    expect(listSignals(config)).toEqual([VIP, WINBACK_30, WINBACK_60]);
  });
});
