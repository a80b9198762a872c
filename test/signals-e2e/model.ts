import type { GeneratedCall } from '../../src/generator';
import type { CallResult } from '../../src/ingest/types';
import { customerKey } from '../../src/profiles/call-updates';
import type { PipelinesCall } from '../../src/customerio/call';

/*
 * An independent model of what the scans must send, computed from the calls themselves: the
 * identify traits, the accepted orders and their times. It shares no code with the store or the
 * scan, only the customer key function.
 */

const DAY_MS = 86_400_000;
const MAX_AGE_MS = 7 * DAY_MS - 3_600_000;

interface Write {
  at: number;
  /** An identify's lifetime_value trait. */
  traitValue?: number;
  /** An identify's last_order_at trait, epoch ms. */
  traitLastOrderAt?: number;
  order?: { id: string; value: number };
}

export type CustomerWrites = Map<string, Write[]>;

export interface ModelConfig {
  threshold: number;
  windowsDays: number[];
}

export interface ScanExpectation {
  /** event_ids the scan must send. */
  sent: string[];
  /** `signal|customer|period` of the candidates it must record as skipped. */
  skipped: string[];
}

/** Collects the writes of every call that reached the store: identify calls and started orders. */
export function collectWrites(calls: GeneratedCall[], results: CallResult[]): CustomerWrites {
  const writes: CustomerWrites = new Map();
  calls.forEach((generated, index) => {
    const result = results[index]!;
    const body = generated.body as PipelinesCall;
    if (result.outcome === 'rejected') return;
    const key = typeof body.userId === 'string' ? customerKey(body) : undefined;
    if (key === undefined) return;

    if (body.type === 'identify') {
      const traits = body.traits ?? {};
      addWrite(writes, key, {
        at: timeOf(body.timestamp),
        traitValue: typeof traits.lifetime_value === 'number' ? traits.lifetime_value : undefined,
        traitLastOrderAt:
          typeof traits.last_order_at === 'string' ? Date.parse(traits.last_order_at) : undefined,
      });
    }
    if (body.type === 'track' && body.event === 'Order Completed' && result.outcome === 'started') {
      const properties = body.properties ?? {};
      addWrite(writes, key, {
        at: timeOf(body.timestamp),
        order: { id: String(properties.order_id), value: Number(properties.total) },
      });
    }
  });
  return writes;
}

export function addWrite(writes: CustomerWrites, key: string, write: Write): void {
  writes.set(key, [...(writes.get(key) ?? []), write]);
}

/**
 * Computes the sends and skips of one scan at `now`, given the signals recorded by earlier scans.
 * Adds this scan's signals to `recorded`.
 */
export function expectScan(
  writes: CustomerWrites,
  config: ModelConfig,
  now: number,
  recorded: Set<string>,
): ScanExpectation {
  const sent: string[] = [];
  const skipped: string[] = [];
  const decide = (key: string, eventId: string, qualifiedAt: number) => {
    if (recorded.has(key)) return;
    recorded.add(key);
    if (now - qualifiedAt > MAX_AGE_MS) skipped.push(key);
    else sent.push(eventId);
  };

  for (const [customer, customerWrites] of writes) {
    const vipAt = vipTime(customerWrites, config.threshold);
    if (vipAt !== undefined && vipAt <= now) {
      decide(`vip_qualified|${customer}|lifetime`, `vip_qualified:${customer}`, vipAt);
    }

    const lastOrderAt = lastOrderTime(customerWrites);
    if (lastOrderAt === undefined) continue;
    for (const days of config.windowsDays) {
      const qualifiedAt = lastOrderAt + days * DAY_MS;
      if (qualifiedAt > now) continue;
      const period = new Date(lastOrderAt).toISOString().slice(0, 10).replaceAll('-', '');
      decide(
        `winback:${days}d|${customer}|${period}`,
        `winback:${days}d:${customer}:${period}`,
        qualifiedAt,
      );
    }
  }
  return { sent: sent.sort(), skipped: skipped.sort() };
}

/** Lifetime value after the writes: the newest trait plus the orders placed after it. */
export function lifetimeValue(writes: Write[]): number {
  let trait: Write | undefined;
  for (const write of writes) {
    if (write.traitValue !== undefined && (trait === undefined || write.at >= trait.at)) {
      trait = write;
    }
  }
  const orders = new Map<string, Write>();
  for (const write of writes) if (write.order) orders.set(write.order.id, write);

  let value = trait?.traitValue ?? 0;
  for (const order of orders.values()) {
    if (trait === undefined || order.at > trait.at) value += order.order!.value;
  }
  return value;
}

/** Returns the first time, in source time order, at which the lifetime value reached the threshold. */
function vipTime(writes: Write[], threshold: number): number | undefined {
  if (lifetimeValue(writes) < threshold) return undefined;
  const ordered = [...writes].sort((a, b) => a.at - b.at);
  for (let count = 1; count <= ordered.length; count++) {
    if (lifetimeValue(ordered.slice(0, count)) >= threshold) return ordered[count - 1]!.at;
  }
  return undefined;
}

function lastOrderTime(writes: Write[]): number | undefined {
  const times = writes.flatMap((write) => [
    ...(write.order ? [write.at] : []),
    ...(write.traitLastOrderAt === undefined ? [] : [write.traitLastOrderAt]),
  ]);
  return times.length === 0 ? undefined : Math.max(...times);
}

function timeOf(timestamp: string | number): number {
  if (typeof timestamp === 'number') return timestamp < 1e11 ? timestamp * 1000 : timestamp;
  return /^\d+$/.test(timestamp) ? timeOf(Number(timestamp)) : Date.parse(timestamp);
}
