import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelinesCallSchema } from '../../src/customerio/call';
import type { GeneratedCall, MessKind } from '../../src/generator';
import {
  GeneratorOptionsError,
  MESS_KINDS,
  generateDay,
  summarizeExpectations,
  toNdjson,
} from '../../src/generator';

const END = new Date('2026-12-01T12:00:00Z');
const END_MS = END.getTime();
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const day = generateDay({ seed: 42, customers: 200, calls: 2000, end: END });

function timeOf(body: Record<string, unknown>): number {
  return typeof body.timestamp === 'number' ? body.timestamp : Date.parse(String(body.timestamp));
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function withMess(kind: MessKind): GeneratedCall[] {
  return day.filter((call) => call.mess === kind);
}

function props(call: GeneratedCall): Record<string, unknown> {
  return call.body.properties as Record<string, unknown>;
}

describe('generateDay', () => {
  test('same seed gives same bytes', () => {
    const again = generateDay({ seed: 42, customers: 200, calls: 2000, end: END });
    expect(toNdjson(again)).toBe(toNdjson(day));
  });

  test('different seed gives different bytes', () => {
    const other = generateDay({ seed: 43, customers: 200, calls: 2000, end: END });
    expect(toNdjson(other)).not.toBe(toNdjson(day));
  });

  test('exact label counts for seed 42', () => {
    expect(summarizeExpectations(day)).toEqual({
      total: 2036,
      send: 1731,
      duplicate: 36,
      skip: 195,
      reject: 74,
      sendByMetaEvent: {
        AddToCart: 297,
        InitiateCheckout: 169,
        PageView: 452,
        Purchase: 145,
        Search: 59,
        ViewContent: 609,
      },
      skipByReason: { identify_call: 118, unmapped_event: 77 },
      rejectByReason: {
        event_in_future: 11,
        event_too_old: 18,
        invalid_call: 5,
        invalid_value: 7,
        missing_currency: 3,
        no_customer_information: 22,
        website_event_missing_user_agent: 8,
      },
    });
  });

  test('distinct calls match the request', () => {
    const firstDeliveries = day.filter((call) => call.expect.outcome !== 'duplicate');
    expect(firstDeliveries).toHaveLength(2000);
  });

  test('every mess kind is present', () => {
    for (const kind of MESS_KINDS) {
      expect({ kind, present: withMess(kind).length > 0 }).toEqual({ kind, present: true });
    }
  });

  test('bodies pass the call schema', () => {
    for (const call of day) {
      const parsed = pipelinesCallSchema.safeParse(call.body);
      const invalid = call.expect.outcome === 'reject' && call.expect.reason === 'invalid_call';
      expect({ messageId: call.body.messageId, valid: parsed.success }).toEqual({
        messageId: call.body.messageId,
        valid: !invalid,
      });
    }
  });

  test('invalid calls miss messageId or event', () => {
    const invalid = withMess('invalidCall');
    expect(invalid.some((call) => !('messageId' in call.body))).toBe(true);
    expect(invalid.some((call) => call.body.type === 'track' && !('event' in call.body))).toBe(
      true,
    );
  });

  test('clean timestamps fall in the day', () => {
    for (const call of day) {
      if (call.mess === 'tooOld' || call.mess === 'inFuture' || call.mess === 'invalidCall') {
        continue;
      }
      const time = timeOf(call.body);
      expect(time).toBeGreaterThanOrEqual(END_MS - DAY_MS);
      expect(time).toBeLessThanOrEqual(END_MS);
    }
  });

  test('stale and future timestamps', () => {
    for (const call of withMess('tooOld')) {
      expect(timeOf(call.body)).toBeLessThan(END_MS - 7 * DAY_MS);
    }
    for (const call of withMess('inFuture')) {
      expect(timeOf(call.body)).toBeGreaterThanOrEqual(END_MS + 2 * HOUR_MS);
    }
  });

  test('epoch milliseconds and ISO timestamps', () => {
    const numeric = day.filter((call) => typeof call.body.timestamp === 'number');
    expect(numeric).toEqual(withMess('epochMillis'));
    for (const call of day) {
      if (typeof call.body.timestamp === 'string') {
        expect(call.body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      }
    }
  });

  test('redeliveries repeat an earlier body', () => {
    const seen = new Map<string, string>();
    let purchases = 0;
    for (const call of day) {
      const json = JSON.stringify(call.body);
      if (call.expect.outcome === 'duplicate') {
        expect(seen.get(call.expect.of)).toBe(json);
        purchases += call.body.event === 'Order Completed' ? 1 : 0;
      } else if (call.body.messageId !== undefined) {
        expect(seen.has(asText(call.body.messageId))).toBe(false);
        seen.set(asText(call.body.messageId), json);
      }
    }
    expect(purchases).toBeGreaterThan(0);
  });

  test('order ids are unique per order', () => {
    const orders = day.filter(
      (call) => call.expect.outcome === 'send' && call.expect.metaEvent === 'Purchase',
    );
    const ids = orders.map((call) => String(props(call).order_id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const call of orders) {
      expect(call.expect).toEqual({
        outcome: 'send',
        metaEvent: 'Purchase',
        eventId: String(props(call).order_id),
      });
    }
    expect(orders.some((call) => typeof props(call).order_id === 'number')).toBe(true);
    expect(orders.some((call) => typeof props(call).order_id === 'string')).toBe(true);
  });

  test('other sends use the messageId', () => {
    for (const call of day) {
      if (call.expect.outcome === 'send' && call.expect.metaEvent !== 'Purchase') {
        expect(call.expect.eventId).toBe(call.body.messageId);
      }
    }
  });

  test('price mess shapes', () => {
    for (const call of withMess('priceWithSymbol')) {
      expect(props(call).revenue).toMatch(/^(\$|£|R\$ )?\d+[.,]\d\d( €)?$/);
      expect(props(call).revenue).not.toMatch(/^\d+\.\d\d$/);
    }
    for (const call of withMess('priceAsString')) {
      expect(props(call).revenue).toMatch(/^\d+\.\d\d$/);
      expect(call.expect.outcome).toBe('send');
    }
  });

  test('currency mess shapes', () => {
    for (const call of withMess('missingCurrency')) {
      expect(call.body.event).toBe('Order Completed');
      expect('currency' in props(call)).toBe(false);
    }
    for (const call of withMess('currencyOddCase')) {
      const currency = String(props(call).currency);
      expect(currency).not.toMatch(/^[A-Z]{3}$/);
      expect(currency.trim().toUpperCase()).toMatch(/^(USD|GBP|CAD|EUR|BRL)$/);
      expect(call.expect.outcome).toBe('send');
    }
  });

  test('anonymous calls carry no identifiers', () => {
    for (const call of withMess('anonymous')) {
      const context = call.body.context as Record<string, unknown>;
      expect(call.body.userId).toBeUndefined();
      expect(context.ip).toBeUndefined();
      expect(context.userAgent).toBeUndefined();
      expect(context.traits).toBeUndefined();
      expect(props(call).fbp).toBeUndefined();
      expect(props(call).fbc).toBeUndefined();
      expect(JSON.stringify(call.body)).not.toContain('fbclid');
    }
  });

  test('missing user agent keeps identifiers', () => {
    for (const call of withMess('missingUserAgent')) {
      const context = call.body.context as Record<string, unknown>;
      expect(context.userAgent).toBeUndefined();
      expect(typeof call.body.userId).toBe('string');
      expect(typeof context.ip).toBe('string');
    }
  });

  test('no real-looking personal data', () => {
    const ipv4 = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;
    const ipv6 = /^2001:db8:/;
    for (const call of day) {
      const context = (call.body.context ?? {}) as Record<string, unknown>;
      const traits = {
        ...((context.traits ?? {}) as Record<string, unknown>),
        ...((call.body.traits ?? {}) as Record<string, unknown>),
      };
      if (traits.email !== undefined) {
        expect(asText(traits.email).trim()).toMatch(/@example\.(com|org|net)$/i);
      }
      if (traits.phone !== undefined) {
        expect(asText(traits.phone).replace(/\D/g, '')).toMatch(
          /55501\d\d$|7700900|3023125|955550/,
        );
      }
      if (context.ip !== undefined) {
        expect(asText(context.ip)).toMatch(new RegExp(`${ipv4.source}|${ipv6.source}`));
      }
    }
  });

  test('customers span five countries', () => {
    const currencies = new Set(
      day
        .map((call) =>
          asText(props(call)?.currency ?? '')
            .trim()
            .toUpperCase(),
        )
        .filter(Boolean),
    );
    expect([...currencies].sort()).toEqual(['BRL', 'CAD', 'EUR', 'GBP', 'USD']);
  });

  test('zero mess rates give clean calls', () => {
    const rates = Object.fromEntries(MESS_KINDS.map((kind) => [kind, 0]));
    const clean = generateDay({ seed: 42, customers: 200, calls: 500, end: END, mess: rates });
    expect(clean.filter((call) => call.mess !== undefined)).toEqual([]);
    expect(clean.filter((call) => call.expect.outcome === 'reject')).toEqual([]);
  });

  test('invalid options raise coded errors', () => {
    const bad = [
      { seed: Number.NaN, customers: 1, calls: 1, end: END },
      { seed: 1, customers: -1, calls: 1, end: END },
      { seed: 1, customers: 1, calls: 1.5, end: END },
      { seed: 1, customers: 1, calls: 1, end: new Date('nope') },
      { seed: 1, customers: 1, calls: 1, end: END, mess: { tooOld: 2 } },
    ];
    for (const options of bad) {
      expect(() => generateDay(options)).toThrow(GeneratorOptionsError);
      try {
        generateDay(options);
      } catch (error) {
        expect((error as GeneratorOptionsError).code).toBe('INVALID_GENERATOR_OPTIONS');
      }
    }
  });
});

// The shared sample day sits outside the repository; compare shapes only when it is present.
const SAMPLE = join(__dirname, '../../../shared/fixtures/customerio/pipelines-day.ndjson');
const describeSample = existsSync(SAMPLE) ? describe : describe.skip;
if (!existsSync(SAMPLE)) {
  console.warn(`skipping the sample-day comparison: ${SAMPLE} not found`);
}

describeSample('generateDay against the sample day', () => {
  test('same call types and events', () => {
    const sample = readFileSync(SAMPLE, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const kinds = (bodies: Record<string, unknown>[]) =>
      [...new Set(bodies.map((body) => `${String(body.type)}:${asText(body.event ?? '')}`))].sort();
    expect(
      kinds(day.filter((call) => call.mess !== 'invalidCall').map((call) => call.body)),
    ).toEqual(kinds(sample));
  });
});
