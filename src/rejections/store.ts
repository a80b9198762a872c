import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FieldError, RejectedCallEntry, RejectionSink } from '../ingest/types';
import type { Database } from '../profiles/schema';

/** One rejected call as an operator reads it. */
export interface RejectedCall {
  id: string;
  receivedAt: string;
  route: string;
  requestId: string;
  messageId?: string;
  errors: FieldError[];
  /** The call with its personal values sealed; undefined when nothing could be kept. */
  call?: unknown;
}

export interface ListOptions {
  /** Only calls received at or after this time. */
  since?: Date;
  /** @default 100 */
  limit?: number;
}

/**
 * The dead-letter store of the ingest server: calls it rejected as invalid, sealed so they hold no
 * raw email or phone, kept in the profile store's database until an operator replays or drops them.
 */
export class RejectedCallStore implements RejectionSink {
  constructor(private readonly db: Kysely<Database>) {}

  async recordRejectedCall(entry: RejectedCallEntry): Promise<void> {
    await this.db
      .insertInto('rejected_calls')
      .values({
        id: randomUUID(),
        received_at: Date.parse(entry.receivedAt) || Date.now(),
        route: entry.route,
        request_id: entry.requestId,
        message_id: entry.messageId ?? null,
        errors: JSON.stringify(entry.errors),
        call: entry.call === undefined ? null : JSON.stringify(entry.call),
      })
      .execute();
  }

  async list(options: ListOptions = {}): Promise<RejectedCall[]> {
    let query = this.db.selectFrom('rejected_calls').selectAll().orderBy('received_at', 'asc');
    if (options.since) query = query.where('received_at', '>=', options.since.getTime());
    const rows = await query.limit(options.limit ?? 100).execute();
    return rows.map((row) => ({
      id: row.id,
      receivedAt: new Date(Number(row.received_at)).toISOString(),
      route: row.route,
      requestId: row.request_id,
      ...(row.message_id === null ? {} : { messageId: row.message_id }),
      errors: JSON.parse(row.errors) as FieldError[],
      ...(row.call === null ? {} : { call: JSON.parse(row.call) as unknown }),
    }));
  }

  /** Deletes one kept call, after it was replayed or judged not worth keeping. */
  async remove(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('rejected_calls')
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
