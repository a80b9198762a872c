import {
  BatchPacker,
  eventJsonBytes,
  isPastSendWindow,
  partitionBatch,
  planBatches,
} from '../../src/backfill/batching';
import type { ServerEvent } from '../../src/meta/types';

const NOW_SECONDS = Date.parse('2026-12-01T12:00:00Z') / 1000;
const DAY = 86_400;

function event(id: number, extra: Partial<ServerEvent> = {}): ServerEvent {
  return {
    event_name: 'Purchase',
    event_time: NOW_SECONDS - 3600,
    event_id: String(id),
    action_source: 'website',
    user_data: { em: 'a'.repeat(64) },
    custom_data: { value: 10, currency: 'USD' },
    ...extra,
  };
}

function onPixel(events: ServerEvent[], pixelId = '100000000000001') {
  return events.map((item) => ({ pixelId, event: item }));
}

describe('planBatches', () => {
  test('2,500 events make 3 batches', () => {
    const events = Array.from({ length: 2500 }, (_, index) => event(index));
    const batches = planBatches(onPixel(events));
    expect(batches.map((batch) => batch.events.length)).toEqual([1000, 1000, 500]);
    expect(batches.flatMap((batch) => batch.events.map((item) => item.event_id))).toEqual(
      events.map((item) => item.event_id),
    );
  });

  test('byte limit closes a batch', () => {
    const events = Array.from({ length: 10 }, (_, index) => event(index));
    const size = eventJsonBytes(events[0]!);
    // Room for exactly three events: brackets, three events and two commas.
    const batches = planBatches(onPixel(events), { maxBytes: 2 + 3 * size + 2 });
    expect(batches.map((batch) => batch.events.length)).toEqual([3, 3, 3, 1]);
  });

  test('every batch JSON fits the limit', () => {
    const events = Array.from({ length: 300 }, (_, index) =>
      event(index, { custom_data: { value: 1, currency: 'USD', content_name: 'x'.repeat(index) } }),
    );
    const maxBytes = 20_000;
    const batches = planBatches(onPixel(events), { maxBytes });
    for (const batch of batches) {
      expect(Buffer.byteLength(JSON.stringify(batch.events))).toBeLessThanOrEqual(maxBytes);
    }
    expect(batches.reduce((sum, batch) => sum + batch.events.length, 0)).toBe(300);
  });

  test('oversized event goes alone', () => {
    const big = event(2, {
      custom_data: { value: 1, currency: 'USD', content_name: 'x'.repeat(500) },
    });
    const batches = planBatches(onPixel([event(1), big, event(3)]), { maxBytes: 400 });
    expect(batches.map((batch) => batch.events.map((item) => item.event_id))).toEqual([
      ['1'],
      ['2'],
      ['3'],
    ]);
  });

  test('pixels never share a batch', () => {
    const batches = planBatches([
      { pixelId: '111111', event: event(1) },
      { pixelId: '222222', event: event(2) },
      { pixelId: '111111', event: event(3) },
    ]);
    expect(batches).toEqual([
      { pixelId: '111111', events: [event(1), event(3)] },
      { pixelId: '222222', events: [event(2)] },
    ]);
  });

  test('invalid limits are rejected', () => {
    expect(() => new BatchPacker({ maxEvents: 0 })).toThrow('invalid maxEvents 0');
    expect(() => new BatchPacker({ maxBytes: 1.5 })).toThrow('invalid maxBytes 1.5');
  });
});

describe('partitionBatch', () => {
  test('ledger and window split events', () => {
    const fresh = event(1);
    const sent = event(2);
    const old = event(3, { event_time: NOW_SECONDS - 8 * DAY });
    const oldStore = event(4, {
      event_time: NOW_SECONDS - 8 * DAY,
      action_source: 'physical_store',
    });
    const oldAndSent = event(5, { event_time: NOW_SECONDS - 8 * DAY });
    const attempted = event(6);
    const failed = event(7);
    const ledger: Record<string, string> = {
      '2': 'sent',
      '5': 'sent',
      '6': 'attempting',
      '7': 'failed',
    };

    const partition = partitionBatch([fresh, sent, old, oldStore, oldAndSent, attempted, failed], {
      ledgerStatus: (item) => ledger[item.event_id],
      nowSeconds: NOW_SECONDS,
    });
    expect(partition.sendable.map((item) => item.event_id)).toEqual(['1', '4', '7']);
    expect(partition.alreadySent.map((item) => item.event_id)).toEqual(['2', '5']);
    expect(partition.tooOld.map((item) => item.event_id)).toEqual(['3']);
    expect(partition.unconfirmed.map((item) => item.event_id)).toEqual(['6']);
  });

  test('window edge is seven days', () => {
    expect(isPastSendWindow(event(1, { event_time: NOW_SECONDS - 7 * DAY }), NOW_SECONDS)).toBe(
      false,
    );
    expect(isPastSendWindow(event(1, { event_time: NOW_SECONDS - 7 * DAY - 1 }), NOW_SECONDS)).toBe(
      true,
    );
  });
});
