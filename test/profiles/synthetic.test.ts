import { insertSyntheticProfiles } from '../../src/profiles';
import { scanCandidates } from '../../src/signals';
import { describeEachEngine } from './engines';

const NOW = Date.parse('2026-06-15T10:00:00Z');

describeEachEngine('synthetic profiles', (open) => {
  test('bulk insert is repeatable', async () => {
    const store = await open({ vipThreshold: 1000 });
    const progress: number[] = [];

    const inserted = await insertSyntheticProfiles(store, {
      count: 2500,
      seed: 7,
      now: NOW,
      onProgress: (done) => progress.push(done),
    });
    const rerun = await insertSyntheticProfiles(store, { count: 2500, seed: 7, now: NOW });

    expect(inserted).toBe(2500);
    expect(rerun).toBe(0);
    expect(progress).toEqual([1000, 2000, 2500]);
    const total = await store.db
      .selectFrom('profiles')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(total.count)).toBe(2500);
  });

  test('same seed gives same profiles', async () => {
    const first = await open();
    const second = await open();

    await insertSyntheticProfiles(first, { count: 50, seed: 3, now: NOW });
    await insertSyntheticProfiles(second, { count: 50, seed: 3, now: NOW });

    expect(await second.getProfile('synthetic-000000042')).toEqual(
      await first.getProfile('synthetic-000000042'),
    );
  });

  test('synthetic VIPs match threshold', async () => {
    const store = await open({ vipThreshold: 1000 });
    await insertSyntheticProfiles(store, { count: 500, seed: 11, now: NOW });

    const page = await scanCandidates(
      store,
      { kind: 'vip', eventName: 'VIP', currency: 'USD' },
      {
        limit: 500,
        now: NOW,
      },
    );
    const above = await store.db
      .selectFrom('profiles')
      .select('customer_id')
      .where('lifetime_value', '>=', 1000)
      .orderBy('customer_id')
      .execute();

    expect(page.candidates.length).toBeGreaterThan(0);
    expect(page.candidates.map((profile) => profile.customerId)).toEqual(
      above.map((row) => row.customer_id),
    );
  });
});
