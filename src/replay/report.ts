import type { ReplayCandidate } from './candidates';
import { REPLAY_OUTCOME, type ReplayOutcome, type ReplayReport } from './runner';

/**
 * Formats one tab-separated line per conversion: workflow id, Meta event, delivery status, reason code,
 * event time (ISO 8601) and what the replay does with it. A missing value prints as `-`.
 */
export function formatCandidateLine(candidate: ReplayCandidate, outcome: ReplayOutcome): string {
  return [
    candidate.workflowId,
    candidate.metaEvent || '-',
    candidate.status,
    candidate.reasonCode ?? '-',
    candidate.eventTime?.toISOString() ?? '-',
    outcome,
  ].join('\t');
}

/** Formats the human-readable summary line of a replay or a dry run. */
export function formatSummaryLine(report: ReplayReport): string {
  const { counts } = report;
  if (report.dryRun) {
    const wouldReplay = countOf(report, REPLAY_OUTCOME.wouldReplay);
    const wouldSignal = countOf(report, REPLAY_OUTCOME.wouldSignal);
    return (
      `Dry run: ${counts.selected} selected: ${wouldReplay} would be started again, ` +
      `${wouldSignal} would get the retrySend signal, ${counts.skippedTooOld} are past Meta's ` +
      `7-day window. Nothing was changed.`
    );
  }
  return (
    `Replay: ${counts.selected} selected: ${counts.replayed} started again, ` +
    `${counts.signalled} got the retrySend signal, ${counts.skippedTooOld} skipped as past ` +
    `Meta's 7-day window, ${counts.alreadyRunning} already had a newer run.`
  );
}

/** Formats the machine-readable last line: `{"replay":{...counts}}`, with `"dryRun":true` on a dry run. */
export function formatSummaryJson(report: ReplayReport): string {
  const body = report.dryRun ? { dryRun: true, ...report.counts } : report.counts;
  return JSON.stringify({ replay: body });
}

function countOf(report: ReplayReport, outcome: ReplayOutcome): number {
  return report.results.filter((result) => result.outcome === outcome).length;
}
