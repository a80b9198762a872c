import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { toProfile } from '../profiles/profile-writes';
import type { Profile, ProfileStore } from '../profiles/types';
import { buildSignalCall } from './build';
import type { SignalCall } from './build';
import { DAY_MS, VIP_PERIOD, signalName } from './definitions';
import type { SignalDefinition } from './definitions';

export interface ScanOptions {
  /** Return customers whose id sorts after this one: the previous page's `nextAfter`. */
  after?: string;
  /** Maximum number of customers per page. */
  limit: number;
  /** Epoch ms the scan runs at; pinned by the workflow so a retried page returns the same rows. */
  now: number;
}

export interface CandidatePage {
  candidates: Profile[];
  /** Cursor of the next page; undefined when this page was the last. */
  nextAfter: string | undefined;
}

/**
 * Returns the next page of customers who qualify for `signal` and have no signals_sent record
 * for its current period, in customer_id order (keyset pagination). The filtering happens in
 * SQL, on the partial indexes of migration 0001.
 */
export async function scanCandidates(
  store: ProfileStore,
  signal: SignalDefinition,
  options: ScanOptions,
): Promise<CandidatePage> {
  const period = signal.kind === 'vip' ? sql<string>`${VIP_PERIOD}` : lastOrderDay(store);
  let query = store.db
    .selectFrom('profiles')
    .selectAll('profiles')
    // A scalar subquery with LIMIT 1, not NOT EXISTS. PostgreSQL turns NOT EXISTS into an anti
    // join planned from statistics. With signals_sent grown since the last ANALYZE, that plan read
    // the whole table per row (seconds per page at 1,000,000 profiles). This form is always one
    // primary-key lookup per candidate, on both engines.
    .where((eb) =>
      eb(
        eb
          .selectFrom('signals_sent')
          .select(sql.lit(1).as('one'))
          .where('signals_sent.signal', '=', signalName(signal))
          .whereRef('signals_sent.customer_id', '=', 'profiles.customer_id')
          .where('signals_sent.period', '=', period)
          .limit(1),
        'is',
        null,
      ),
    );

  if (signal.kind === 'vip') {
    query = query
      .where('vip_qualified_at', 'is not', null)
      .where('vip_qualified_at', '<=', options.now);
  } else {
    query = query
      .where('last_order_at', 'is not', null)
      .where('last_order_at', '<=', options.now - signal.windowDays * DAY_MS);
  }

  if (options.after !== undefined) query = query.where('customer_id', '>', options.after);
  const rows = await query.orderBy('customer_id').limit(options.limit).execute();

  const candidates = rows.map(toProfile);
  const last = candidates.at(-1);
  return {
    candidates,
    nextAfter: candidates.length === options.limit && last ? last.customerId : undefined,
  };
}

/** Computes each row's winback period in SQL: the last order's UTC date as YYYYMMDD. */
function lastOrderDay(store: ProfileStore): RawBuilder<string> {
  if (store.engine === 'postgres') {
    return sql<string>`to_char(to_timestamp(profiles.last_order_at / 1000) at time zone 'UTC', 'YYYYMMDD')`;
  }
  return sql<string>`strftime('%Y%m%d', profiles.last_order_at / 1000, 'unixepoch')`;
}

export interface SignalPage {
  /** Events to start conversion workflows for. */
  calls: SignalCall[];
  /** Customers recorded as skipped because they qualified more than 7 days ago. */
  skipped: number;
  nextAfter: string | undefined;
}

/**
 * Scans one page and turns it into signal calls. Candidates found too late for Meta are
 * recorded as skipped here, so the next scan no longer returns them. The calls are not recorded:
 * the conversion workflow records each one after Meta accepts it.
 */
export async function scanSignalPage(
  store: ProfileStore,
  signal: SignalDefinition,
  options: ScanOptions,
): Promise<SignalPage> {
  const page = await scanCandidates(store, signal, options);
  const calls: SignalCall[] = [];
  const skippedRecords = [];

  for (const profile of page.candidates) {
    const decision = buildSignalCall(profile, signal, options.now);
    if (decision.action === 'send') calls.push(decision.call);
    if (decision.action === 'skip') skippedRecords.push(decision.record);
  }

  const skipped = await store.markSignalsSent(skippedRecords);
  return { calls, skipped, nextAfter: page.nextAfter };
}
