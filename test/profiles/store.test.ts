import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { PROFILE_ERROR_CODES, ProfileStoreError } from '../../src/profiles';
import { migrateToLatest } from '../../src/profiles/migrations';
import { describeEachEngine } from './engines';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');

describeEachEngine('profile store', (open) => {
  test('identify then order updates totals', async () => {
    const store = await open();

    await store.applyIdentify({
      customerId: 'c1',
      userData: { em: sha('ann@example.com'), external_id: sha('c1') },
      traits: { lifetime_value: 100, orders_count: 2, last_order_at: '2026-02-20T00:00:00Z' },
      at: T0,
    });
    const result = await store.applyOrder({
      customerId: 'c1',
      orderId: 'o-1',
      userData: { fbp: 'fb.1.1700000000000.42' },
      orderValue: 50.5,
      at: T0 + HOUR,
    });

    expect(result.counted).toBe(true);
    expect(result.profile.lifetimeValue).toBe(150.5);
    expect(result.profile.ordersCount).toBe(3);
    expect(result.profile.lastOrderAt).toBe(T0 + HOUR);
    expect(result.profile.updatedAt).toBe(T0 + HOUR);
    expect(await store.getProfile('c1')).toEqual(result.profile);
    expect(await store.getUserData('c1')).toEqual({
      em: sha('ann@example.com'),
      external_id: sha('c1'),
      fbp: 'fb.1.1700000000000.42',
    });
  });

  test('trait names are configurable', async () => {
    const store = await open({ traitNames: { lifetimeValue: 'ltv', ordersCount: 'orders' } });

    const profile = await store.applyIdentify({
      customerId: 'c1',
      traits: { ltv: '250.25', orders: 4, lifetime_value: 999, last_order_at: 1_772_000_000 },
      at: T0,
    });

    expect(profile.lifetimeValue).toBe(250.25);
    expect(profile.ordersCount).toBe(4);
    expect(profile.lastOrderAt).toBe(1_772_000_000_000);
  });

  test('older identify never overwrites newer', async () => {
    const store = await open();

    await store.applyIdentify({
      customerId: 'c1',
      userData: { em: sha('new@example.com') },
      traits: { lifetime_value: 300 },
      at: T0,
    });
    const profile = await store.applyIdentify({
      customerId: 'c1',
      userData: { em: sha('old@example.com'), ph: sha('15551234567') },
      traits: { lifetime_value: 100 },
      at: T0 - HOUR,
    });

    expect(profile.userData.em).toBe(sha('new@example.com'));
    // An older write may still fill an identifier the profile does not have yet.
    expect(profile.userData.ph).toBe(sha('15551234567'));
    expect(profile.lifetimeValue).toBe(300);
    expect(profile.updatedAt).toBe(T0);
  });

  test('newer identify replaces carried fields only', async () => {
    const store = await open();

    await store.applyIdentify({
      customerId: 'c1',
      userData: { em: sha('a@example.com'), ph: sha('15550000000') },
      at: T0,
    });
    const profile = await store.applyIdentify({
      customerId: 'c1',
      userData: { em: [sha('b@example.com'), sha('c@example.com')] },
      at: T0 + HOUR,
    });

    expect(profile.userData.em).toEqual([sha('b@example.com'), sha('c@example.com')]);
    expect(profile.userData.ph).toBe(sha('15550000000'));
  });

  test('order before trait snapshot counted once', async () => {
    const store = await open();

    await store.applyIdentify({
      customerId: 'c1',
      traits: { lifetime_value: 300, orders_count: 3 },
      at: T0,
    });
    const late = await store.applyOrder({
      customerId: 'c1',
      orderId: 'o-early',
      orderValue: 80,
      at: T0 - HOUR,
    });

    // The identify at T0 already includes an order placed before T0.
    expect(late.counted).toBe(true);
    expect(late.profile.lifetimeValue).toBe(300);
    expect(late.profile.ordersCount).toBe(3);
    expect(late.profile.lastOrderAt).toBe(T0 - HOUR);
  });

  test('late identify keeps later orders', async () => {
    const store = await open();

    await store.applyOrder({ customerId: 'c1', orderId: 'o-2', orderValue: 40, at: T0 });
    const profile = await store.applyIdentify({
      customerId: 'c1',
      traits: { lifetime_value: 200, orders_count: 1 },
      at: T0 - HOUR,
    });

    expect(profile.lifetimeValue).toBe(240);
    expect(profile.ordersCount).toBe(2);
    expect(profile.lastOrderAt).toBe(T0);
  });

  test('last order time never moves back', async () => {
    const store = await open();

    await store.applyOrder({ customerId: 'c1', orderId: 'o-new', orderValue: 10, at: T0 });
    const profile = await store.applyIdentify({
      customerId: 'c1',
      traits: { last_order_at: new Date(T0 - 24 * HOUR).toISOString() },
      at: T0 + HOUR,
    });

    expect(profile.lastOrderAt).toBe(T0);
  });

  test('redelivered order counted once', async () => {
    const store = await open();
    const order = { customerId: 'c1', orderId: 'o-1', orderValue: 25, at: T0 };

    const first = await store.applyOrder(order);
    const second = await store.applyOrder(order);

    expect(first.counted).toBe(true);
    expect(second.counted).toBe(false);
    expect(second.profile.lifetimeValue).toBe(25);
    expect(second.profile.ordersCount).toBe(1);
  });

  test('concurrent orders all counted', async () => {
    const store = await open();

    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.applyOrder({ customerId: 'c1', orderId: `o-${i}`, orderValue: 5, at: T0 + i }),
      ),
    );
    const profile = await store.getProfile('c1');

    expect(profile?.ordersCount).toBe(20);
    expect(profile?.lifetimeValue).toBe(100);
    expect(profile?.lastOrderAt).toBe(T0 + 19);
  });

  test('VIP time set at threshold', async () => {
    const store = await open({ vipThreshold: 500 });

    const below = await store.applyIdentify({
      customerId: 'below',
      traits: { lifetime_value: 499.99 },
      at: T0,
    });
    const exact = await store.applyIdentify({
      customerId: 'exact',
      traits: { lifetime_value: 500 },
      at: T0,
    });
    await store.applyOrder({ customerId: 'crossed', orderId: 'o-a', orderValue: 300, at: T0 });
    const crossed = await store.applyOrder({
      customerId: 'crossed',
      orderId: 'o-b',
      orderValue: 300,
      at: T0 + HOUR,
    });
    const again = await store.applyOrder({
      customerId: 'crossed',
      orderId: 'o-c',
      orderValue: 1,
      at: T0 + 2 * HOUR,
    });

    expect(below.vipQualifiedAt).toBeNull();
    expect(exact.vipQualifiedAt).toBe(T0);
    expect(crossed.profile.vipQualifiedAt).toBe(T0 + HOUR);
    // The VIP time is the first crossing; later orders keep it.
    expect(again.profile.vipQualifiedAt).toBe(T0 + HOUR);
  });

  test('VIP time cleared below threshold', async () => {
    const store = await open({ vipThreshold: 500 });

    await store.applyIdentify({ customerId: 'c1', traits: { lifetime_value: 600 }, at: T0 });
    const refunded = await store.applyIdentify({
      customerId: 'c1',
      traits: { lifetime_value: 450 },
      at: T0 + HOUR,
    });

    expect(refunded.vipQualifiedAt).toBeNull();
  });

  test('raw email rejected without echo', async () => {
    const store = await open();

    const write = store.applyIdentify({
      customerId: 'c1',
      userData: { em: 'ann@example.com' },
      at: T0,
    });

    await expect(write).rejects.toBeInstanceOf(ProfileStoreError);
    await expect(write).rejects.toMatchObject({
      code: PROFILE_ERROR_CODES.invalidInput,
      field: 'userData.em',
    });
    await expect(write).rejects.not.toThrow(/ann@example\.com/);
    expect(await store.getProfile('c1')).toBeUndefined();
  });

  test('invalid inputs name the field', async () => {
    const store = await open();

    await expect(store.applyIdentify({ customerId: '', at: T0 })).rejects.toMatchObject({
      field: 'customerId',
    });
    await expect(store.applyIdentify({ customerId: 'c1', at: 'yesterday' })).rejects.toMatchObject({
      field: 'at',
    });
    await expect(
      store.applyOrder({ customerId: 'c1', orderId: 'o', orderValue: Number.NaN, at: T0 }),
    ).rejects.toMatchObject({ field: 'orderValue' });
  });

  test('unknown customer has no profile', async () => {
    const store = await open();

    expect(await store.getProfile('nobody')).toBeUndefined();
    expect(await store.getUserData('nobody')).toBeUndefined();
  });

  test('delivery ledger keeps newest record', async () => {
    const store = await open();
    const key = { pixelId: '123456789', eventName: 'Purchase', eventId: 'evt-1' };

    expect(await store.findDelivery(key)).toBeUndefined();
    await store.recordDelivery({ ...key, status: 'sent', fbtraceId: 'trace-new', sentAt: T0 });
    await store.recordDelivery({
      ...key,
      status: 'sent',
      fbtraceId: 'trace-old',
      sentAt: T0 - HOUR,
    });

    expect(await store.findDelivery(key)).toEqual({
      ...key,
      status: 'sent',
      fbtraceId: 'trace-new',
      sentAt: T0,
    });
    expect(await store.findDelivery({ ...key, eventName: 'Lead' })).toBeUndefined();
  });

  test('signal record written once', async () => {
    const store = await open();
    const key = { signal: 'vip_qualified', customerId: 'c1', period: 'lifetime' };
    const record = { ...key, eventId: 'vip_qualified:c1', status: 'sent' as const, sentAt: T0 };

    expect(await store.isSignalSent(key)).toBe(false);
    expect(await store.markSignalSent(record)).toBe(true);
    expect(await store.markSignalSent({ ...record, sentAt: T0 + HOUR })).toBe(false);
    expect(await store.isSignalSent(key)).toBe(true);
    expect(await store.isSignalSent({ ...key, period: 'other' })).toBe(false);
  });

  test('migrations run twice are no-op', async () => {
    const store = await open();

    const rerun = await migrateToLatest(store.db as Kysely<unknown>, {
      migrationTableSchema:
        store.engine === 'postgres' ? await currentSchema(store.db as Kysely<unknown>) : undefined,
    });

    expect(rerun).toEqual([]);
    await store.applyOrder({ customerId: 'c1', orderId: 'o-1', orderValue: 1, at: T0 });
    expect((await store.getProfile('c1'))?.ordersCount).toBe(1);
  });
});

describeEachEngine('profile store startup', (open, engine) => {
  test('two stores open one location', async () => {
    const location = engine.newLocation();

    const [first, second] = await Promise.all([engine.open(location), engine.open(location)]);
    try {
      await first.applyOrder({ customerId: 'c1', orderId: 'o-1', orderValue: 7, at: T0 });
      expect((await second.getProfile('c1'))?.lifetimeValue).toBe(7);
    } finally {
      await first.close();
      await second.close();
    }
    await open();
  });
});

async function currentSchema(db: Kysely<unknown>): Promise<string> {
  const { sql } = await import('kysely');
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return result.rows[0]!.schema;
}
