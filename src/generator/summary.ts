import type { GeneratedCall } from './labels';

/** Counts of generated calls per outcome, per reason and per Meta event. */
export interface ExpectationSummary {
  total: number;
  send: number;
  duplicate: number;
  skip: number;
  reject: number;
  /** Sent calls per Meta event name. */
  sendByMetaEvent: Record<string, number>;
  skipByReason: Record<string, number>;
  rejectByReason: Record<string, number>;
}

/** Counts the labelled outcomes; every record has its keys in sorted order, for stable output. */
export function summarizeExpectations(calls: Iterable<GeneratedCall>): ExpectationSummary {
  const summary: ExpectationSummary = {
    total: 0,
    send: 0,
    duplicate: 0,
    skip: 0,
    reject: 0,
    sendByMetaEvent: {},
    skipByReason: {},
    rejectByReason: {},
  };
  const bump = (counts: Record<string, number>, key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };

  for (const { expect } of calls) {
    summary.total += 1;
    summary[expect.outcome] += 1;
    if (expect.outcome === 'send') {
      bump(summary.sendByMetaEvent, expect.metaEvent);
    } else if (expect.outcome === 'skip') {
      bump(summary.skipByReason, expect.reason);
    } else if (expect.outcome === 'reject') {
      bump(summary.rejectByReason, expect.reason);
    }
  }

  summary.sendByMetaEvent = sortKeys(summary.sendByMetaEvent);
  summary.skipByReason = sortKeys(summary.skipByReason);
  summary.rejectByReason = sortKeys(summary.rejectByReason);
  return summary;
}

function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Writes the bodies as NDJSON, one call a line, with a final newline (empty for no calls). */
export function toNdjson(calls: Iterable<GeneratedCall>): string {
  let out = '';
  for (const call of calls) {
    out += `${JSON.stringify(call.body)}\n`;
  }
  return out;
}
