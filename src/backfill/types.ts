/*
 * Types and limits shared by the backfill command, its workflow and its activities. This module is
 * imported by the workflow bundle, so it contains no I/O and no Node built-ins.
 *
 * The command maps the file itself and writes the events to a spool folder, one JSON file per
 * chunk (one request), and the workflow receives only the folder and the chunk count. A table in
 * the profile store was the alternative. The folder was chosen because the activities receive the
 * delivery ledger but no database handle, so a table would need new worker wiring, while a folder
 * needs none. The cost: the command and every worker must see the same folder (one host, or a
 * shared volume), and a worker that does not see it fails the backfill with the path it tried.
 */
import type { ServerEvent } from '../meta/types';

/** Max events in one Graph API request, as Meta documents it. */
export const MAX_EVENTS_PER_BATCH = 1000;

/**
 * Max JSON size of the events of one request, in bytes. Events never pass through Temporal (the
 * activities read them from chunk files), so Temporal's 2 MB payload limit does not apply here.
 * Mapped events of the generated shop traffic measure 0.7 to 1 KB each, so 1,000 fit with room.
 *
 * NOTE: Meta documents no body size limit for the events endpoint. This cap is a guard, so a file
 * of unusually large events (long custom_data) does not build multi-megabyte requests.
 */
export const MAX_BATCH_BYTES = 2 * 1024 * 1024;

/** Max rejected events a backfill keeps with their details; the count beyond it is still exact. */
export const MAX_REJECTED_DETAILS = 1000;

/** The stable `type` of the failure that stops a backfill. */
export const BACKFILL_FAILURE_TYPES = {
  /** Meta rejected the token, the pixel or a permission: no batch can succeed until it is fixed. */
  stopped: 'BackfillStopped',
  /** A chunk file is missing or unreadable on the worker. */
  spoolUnreadable: 'BackfillSpoolUnreadable',
} as const;

/** The name of the query that returns a running backfill's progress. */
export const BACKFILL_PROGRESS_QUERY = 'backfillProgress';

/** The workflow type name, as the worker registers it. */
export const BACKFILL_WORKFLOW = 'backfillWorkflow';

/** One event Meta rejected, isolated by bisection, with Meta's code and subcode. */
export interface RejectedEvent {
  eventId: string;
  eventName: string;
  /** Meta's error code, or 0 when the response carried no Meta error body. */
  code: number;
  subcode?: number;
  fbtraceId?: string;
  /** Meta's `message` (never the translated `error_user_*` texts). */
  message: string;
}

/** Counts over the events of one chunk or of a whole backfill, as the workers saw them. */
export interface DeliveryCounts {
  /** Events Meta accepted in this run. */
  sent: number;
  /** Events the delivery ledger already listed as sent, so they were not sent again. */
  alreadySent: number;
  /** Events that were past Meta's window (7 days, 62 for physical_store) at send time. */
  tooOld: number;
  /**
   * Events not sent because an earlier attempt at them ended without a response from Meta (a
   * timeout, a dropped connection or a killed worker), so Meta may have them already.
   */
  unconfirmed: number;
  /** Events Meta rejected, each isolated in a request of its own. */
  rejected: number;
  /** Graph API requests made, including those bisection split off. */
  requests: number;
}

/** The outcome of `sendBackfillChunk` for one chunk. */
export interface ChunkResult extends DeliveryCounts {
  rejectedEvents: RejectedEvent[];
}

/** The location of one backfill's prepared events, a folder every worker can read. */
export interface SpoolRef {
  /** Absolute path of the spool folder, which contains one JSON file per chunk. */
  spoolDir: string;
  chunkCount: number;
  /** Events in all chunks together. */
  eventCount: number;
}

/** The input of `backfillWorkflow`: a reference to the prepared events, never the events. */
export interface BackfillInput {
  spool: SpoolRef;
  /** Chunks sent at once. @default 4 */
  concurrency?: number;
  /** Chunks one run handles before it continues as new, to keep its history short. @default 100 */
  chunksPerRun?: number;
  /** Set by continue-as-new: where the next run starts and what the earlier runs counted. */
  resume?: { nextChunk: number; counts: DeliveryCounts; rejected: RejectedEvent[] };
}

/** The progress of a backfill workflow, returned by its query and as its result. */
export interface BackfillProgress extends DeliveryCounts {
  chunksDone: number;
  chunkCount: number;
  eventCount: number;
  /** The first MAX_REJECTED_DETAILS rejected events, with Meta's code and subcode. */
  rejectedEvents: RejectedEvent[];
}

/** The contents of one chunk file. */
export interface ChunkFile {
  pixelId: string;
  /** Mapped Meta server events, every personal value already hashed. */
  events: ServerEvent[];
}

/** Returns zeroed counts. */
export function emptyCounts(): DeliveryCounts {
  return { sent: 0, alreadySent: 0, tooOld: 0, unconfirmed: 0, rejected: 0, requests: 0 };
}

/** Adds `more` into `total`, in place, and returns `total`. */
export function addCounts(total: DeliveryCounts, more: DeliveryCounts): DeliveryCounts {
  total.sent += more.sent;
  total.alreadySent += more.alreadySent;
  total.tooOld += more.tooOld;
  total.unconfirmed += more.unconfirmed;
  total.rejected += more.rejected;
  total.requests += more.requests;
  return total;
}
