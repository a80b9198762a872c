import type { PreparedBackfill } from './prepare';
import type { BackfillProgress, RejectedEvent } from './types';

/** The counts of one backfill command, printed as its final JSON line. */
export interface BackfillSummary {
  workflowId: string;
  dryRun: boolean;
  /** Calls read from the file. */
  calls: number;
  /** Calls that became Meta events, each event once. */
  events: number;
  /** Calls whose event appeared earlier in the file, not sent again. */
  duplicatesInFile: number;
  /** Chunks, each one request unless Meta rejected an event in it. */
  chunks: number;
  sent: number;
  /** Events the delivery ledger listed as sent by an earlier run or by the live pipeline. */
  alreadySent: number;
  /** Events past Meta's window, at mapping (`--now`) or at send time (the worker's clock). */
  tooOld: number;
  /** Events not sent because an earlier attempt may have reached Meta; check Events Manager. */
  unconfirmed: number;
  /** Calls that are not conversions, by reason code. */
  skippedAtMapping: Record<string, number>;
  /** Calls that cannot become a valid event, by reason code. */
  rejectedAtMapping: Record<string, number>;
  /** Events Meta rejected, each isolated in a request of its own. */
  rejectedByMeta: number;
  /** Graph API requests made, bisection's included. */
  requests: number;
}

/** Combines what mapping counted with what the workflow counted; no workflow for a dry run. */
export function summarizeBackfill(
  prepared: PreparedBackfill,
  progress?: BackfillProgress,
): BackfillSummary {
  const { mapping } = prepared;
  return {
    workflowId: prepared.workflowId,
    dryRun: progress === undefined,
    calls: mapping.calls,
    events: mapping.mapped,
    duplicatesInFile: mapping.duplicates,
    chunks: prepared.chunkCount,
    sent: progress?.sent ?? 0,
    alreadySent: progress?.alreadySent ?? 0,
    tooOld: mapping.tooOld + (progress?.tooOld ?? 0),
    unconfirmed: progress?.unconfirmed ?? 0,
    skippedAtMapping: mapping.skipped,
    rejectedAtMapping: mapping.rejected,
    rejectedByMeta: progress?.rejected ?? 0,
    requests: progress?.requests ?? 0,
  };
}

/** Formats the summary for people: one line per count, each Meta rejection, then the JSON line. */
export function formatBackfillSummary(
  summary: BackfillSummary,
  rejectedEvents: RejectedEvent[] = [],
): string {
  const lines = [
    `backfill ${summary.workflowId}${summary.dryRun ? ' (dry run: nothing sent)' : ''}`,
    row('calls read', summary.calls),
    row('events mapped', `${summary.events} in ${summary.chunks} chunks`),
    row('sent', `${summary.sent} in ${summary.requests} requests`),
    row('skipped, already sent', summary.alreadySent),
    row('skipped, repeated in file', summary.duplicatesInFile),
    row("skipped, older than Meta's window", summary.tooOld),
    row('held, an earlier attempt may have reached Meta', summary.unconfirmed),
    ...byReason('skipped at mapping', summary.skippedAtMapping),
    ...byReason('rejected at mapping', summary.rejectedAtMapping),
    row('rejected by Meta', summary.rejectedByMeta),
  ];
  for (const event of rejectedEvents) lines.push(`    ${describeRejected(event)}`);
  const unlisted = summary.rejectedByMeta - rejectedEvents.length;
  if (unlisted > 0) lines.push(`    and ${unlisted} more (see the worker's log)`);

  lines.push(JSON.stringify({ backfill: summary }));
  return `${lines.join('\n')}\n`;
}

function row(label: string, value: string | number): string {
  return `  ${`${label}:`.padEnd(36)}${value}`;
}

function byReason(label: string, counts: Record<string, number>): string[] {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const lines = [row(label, total)];
  for (const [code, count] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`    ${code}: ${count}`);
  }
  return lines;
}

function describeRejected(event: RejectedEvent): string {
  const code = event.subcode === undefined ? `${event.code}` : `${event.code}/${event.subcode}`;
  const trace = event.fbtraceId ? ` fbtrace_id ${event.fbtraceId}` : '';
  return `${event.eventName} ${event.eventId}: code ${code}${trace}: ${event.message}`;
}
