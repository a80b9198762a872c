import type { PreviewLine } from './types';

/** Identifiers whose share among sent events the preview summary reports. */
export const SUMMARY_IDENTIFIERS = [
  'em',
  'ph',
  'external_id',
  'fbp',
  'fbc',
  'ip+user agent',
] as const;
export type SummaryIdentifier = (typeof SUMMARY_IDENTIFIERS)[number];

/** Counts over a preview run. */
export interface PreviewSummary {
  total: number;
  outcomes: { send: number; skip: number; reject: number };
  /** Counts by outcome, then by reason code. */
  reasons: { skip: Record<string, number>; reject: Record<string, number> };
  /** How many sent events carry each identifier. */
  identifiers: Record<SummaryIdentifier, number>;
  /** Calls whose messageId appeared earlier in the input: redeliveries the workflow sends once. */
  repeatedMessageIds: number;
}

/** Accumulates preview lines into a PreviewSummary. */
export class PreviewCounter {
  private readonly seen = new Set<string>();
  readonly summary: PreviewSummary = {
    total: 0,
    outcomes: { send: 0, skip: 0, reject: 0 },
    reasons: { skip: {}, reject: {} },
    identifiers: { em: 0, ph: 0, external_id: 0, fbp: 0, fbc: 0, 'ip+user agent': 0 },
    repeatedMessageIds: 0,
  };

  add(line: PreviewLine): void {
    const summary = this.summary;
    summary.total += 1;
    summary.outcomes[line.outcome] += 1;

    if (line.messageId !== null) {
      if (this.seen.has(line.messageId)) summary.repeatedMessageIds += 1;
      else this.seen.add(line.messageId);
    }
    if (line.outcome !== 'send' && line.reason) {
      const counts = summary.reasons[line.outcome];
      counts[line.reason.code] = (counts[line.reason.code] ?? 0) + 1;
    }

    const userData = line.event?.user_data;
    if (line.outcome !== 'send' || !userData) return;
    for (const key of ['em', 'ph', 'external_id', 'fbp', 'fbc'] as const) {
      if (userData[key] !== undefined) summary.identifiers[key] += 1;
    }
    if (userData.client_ip_address && userData.client_user_agent) {
      summary.identifiers['ip+user agent'] += 1;
    }
  }
}

/** Writes a summary as the lines `preview` prints on stderr. */
export function formatSummary(summary: PreviewSummary): string {
  const { total, outcomes } = summary;
  const lines = [
    `${total} calls: ${outcomes.send} send, ${outcomes.skip} skip, ${outcomes.reject} reject`,
  ];

  for (const outcome of ['skip', 'reject'] as const) {
    const entries = Object.entries(summary.reasons[outcome]).sort((a, b) => b[1] - a[1]);
    for (const [code, count] of entries) {
      lines.push(`  ${outcome.padEnd(6)} ${code.padEnd(34)} ${String(count).padStart(6)}`);
    }
  }

  if (outcomes.send > 0) {
    const shares = SUMMARY_IDENTIFIERS.map(
      (key) => `${key} ${percent(summary.identifiers[key], outcomes.send)}`,
    );
    lines.push(`identifiers on the ${outcomes.send} sent events: ${shares.join(', ')}`);
  }
  if (summary.repeatedMessageIds > 0) {
    lines.push(
      `${summary.repeatedMessageIds} calls repeat an earlier messageId (redeliveries); the workflow sends each event once`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function percent(count: number, of: number): string {
  return `${((count / of) * 100).toFixed(1)}%`;
}
