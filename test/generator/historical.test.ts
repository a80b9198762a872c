import { pipelinesCallSchema } from '../../src/customerio/call';
import { generateHistorical, summarizeExpectations, toNdjson } from '../../src/generator';

const END = new Date('2026-12-01T12:00:00Z');
const END_MS = END.getTime();
const SIX_DAYS_MS = 6 * 86_400_000;

describe('generateHistorical', () => {
  const calls = [...generateHistorical({ seed: 9, events: 5000, end: END })];

  test('yields the requested count', () => {
    expect(calls).toHaveLength(5000);
  });

  test('same seed gives same bytes', () => {
    const again = [...generateHistorical({ seed: 9, events: 5000, end: END })];
    expect(toNdjson(again)).toBe(toNdjson(calls));
  });

  test('only purchases and checkouts sent', () => {
    const summary = summarizeExpectations(calls);
    expect(summary.send).toBe(5000);
    expect(Object.keys(summary.sendByMetaEvent)).toEqual(['InitiateCheckout', 'Purchase']);
  });

  test('timestamps rise within six days', () => {
    let previous = END_MS - SIX_DAYS_MS;
    for (const { body } of calls) {
      const time = Date.parse(String(body.timestamp));
      expect(time).toBeGreaterThanOrEqual(previous);
      expect(time).toBeLessThan(END_MS);
      previous = time;
    }
  });

  test('bodies pass the call schema', () => {
    for (const { body } of calls) {
      expect(pipelinesCallSchema.safeParse(body).success).toBe(true);
    }
  });

  test('order ids are unique', () => {
    const ids = calls
      .filter((call) => call.body.event === 'Order Completed')
      .map((call) => String((call.body.properties as Record<string, unknown>).order_id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('iterates lazily', () => {
    const iterator = generateHistorical({ seed: 9, events: 10_000_000, end: END });
    const first = iterator.next();
    expect(first.done).toBe(false);
    expect(first.value?.body.event).toBe('Checkout Started');
  });
});
