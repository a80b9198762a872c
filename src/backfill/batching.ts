import { isPastMetaWindow } from '../mapping/event-time';
import type { ServerEvent } from '../meta/types';
import { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH, type ChunkFile } from './types';

/** Limits of one batch: one Graph API request, and one chunk of the spool. */
export interface BatchLimits {
  /** Max events per batch. @default MAX_EVENTS_PER_BATCH (1,000, Meta's limit) */
  maxEvents?: number;
  /** Max size of the batch's events as a JSON array, in bytes. @default MAX_BATCH_BYTES (2 MiB) */
  maxBytes?: number;
}

/** Returns the UTF-8 size of an event's JSON, in bytes. */
export function eventJsonBytes(event: ServerEvent): number {
  return Buffer.byteLength(JSON.stringify(event), 'utf8');
}

/**
 * Packs events into batches of one pixel each, in input order, within the limits. A batch's
 * size is measured as the JSON array of its events: the events, the commas and the brackets.
 * An event larger than maxBytes by itself goes alone in a batch, so it is reported by Meta
 * instead of blocking the backfill.
 */
export class BatchPacker {
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly open = new Map<string, { events: ServerEvent[]; bytes: number }>();

  constructor(limits: BatchLimits = {}) {
    this.maxEvents = limits.maxEvents ?? MAX_EVENTS_PER_BATCH;
    this.maxBytes = limits.maxBytes ?? MAX_BATCH_BYTES;
    if (!(Number.isInteger(this.maxEvents) && this.maxEvents >= 1)) {
      throw new RangeError(`invalid maxEvents ${this.maxEvents}: expected an integer of 1 or more`);
    }
    if (!(Number.isInteger(this.maxBytes) && this.maxBytes >= 2)) {
      throw new RangeError(`invalid maxBytes ${this.maxBytes}: expected an integer of 2 or more`);
    }
  }

  /** Adds one event and returns the batch it closed, if adding it filled one. */
  add(pixelId: string, event: ServerEvent): ChunkFile | undefined {
    const bytes = eventJsonBytes(event);
    const current = this.open.get(pixelId);
    let closed: ChunkFile | undefined;

    // The open batch's JSON grows by the event plus one comma.
    if (
      current &&
      (current.events.length >= this.maxEvents || current.bytes + 1 + bytes > this.maxBytes)
    ) {
      closed = { pixelId, events: current.events };
      this.open.delete(pixelId);
    }

    const batch = this.open.get(pixelId);
    if (batch) {
      batch.events.push(event);
      batch.bytes += 1 + bytes;
    } else {
      this.open.set(pixelId, { events: [event], bytes: 2 + bytes });
    }
    return closed;
  }

  /** Returns the batches still open, one per pixel, and empties the packer. */
  flush(): ChunkFile[] {
    const rest = [...this.open].map(([pixelId, batch]) => ({ pixelId, events: batch.events }));
    this.open.clear();
    return rest;
  }
}

/** Packs a list of events into batches; see BatchPacker. */
export function planBatches(
  events: Array<{ pixelId: string; event: ServerEvent }>,
  limits: BatchLimits = {},
): ChunkFile[] {
  const packer = new BatchPacker(limits);
  const batches: ChunkFile[] = [];
  for (const { pixelId, event } of events) {
    const closed = packer.add(pixelId, event);
    if (closed) batches.push(closed);
  }
  return [...batches, ...packer.flush()];
}

/** Returns true when Meta no longer accepts the event at `nowSeconds` (unix seconds). */
export function isPastSendWindow(event: ServerEvent, nowSeconds: number): boolean {
  return isPastMetaWindow(event.event_time, event.action_source, nowSeconds);
}

/** The events of a batch sorted by what happens to them before any request. */
export interface BatchPartition {
  sendable: ServerEvent[];
  alreadySent: ServerEvent[];
  tooOld: ServerEvent[];
  unconfirmed: ServerEvent[];
}

/**
 * Splits a batch into the events to send, those the delivery ledger lists as sent, those an earlier
 * attempt may have delivered (ledger `attempting`), and those past Meta's window. An event both sent
 * and old counts as sent.
 */
export function partitionBatch(
  events: ServerEvent[],
  options: {
    ledgerStatus: (event: ServerEvent) => string | undefined;
    nowSeconds: number;
  },
): BatchPartition {
  const partition: BatchPartition = { sendable: [], alreadySent: [], tooOld: [], unconfirmed: [] };
  for (const event of events) {
    const status = options.ledgerStatus(event);
    if (status === 'sent') partition.alreadySent.push(event);
    else if (isPastSendWindow(event, options.nowSeconds)) partition.tooOld.push(event);
    else if (status === 'attempting') partition.unconfirmed.push(event);
    else partition.sendable.push(event);
  }
  return partition;
}
