import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { request } from 'undici';
import type { CallResult } from '../ingest/types';
import { FAILURE_TYPES } from '../workflows/failure-types';
import type { ConversionResult, Reason } from '../workflows/types';

export interface IngestTarget {
  ingestUrl: string;
  ingestSecret: string;
}

/** The end state of a started conversion. */
export interface ConversionEnd {
  workflowId: string;
  status: 'sent' | 'rejected' | 'expired' | 'failed';
  reason?: Reason;
}

/**
 * Posts calls to the ingest server the way Customer.io's webhook destination does: in batches,
 * with the bearer secret. Returns each call's result, in order.
 */
export async function postCalls(
  target: IngestTarget,
  bodies: unknown[],
  options: { batchSize?: number } = {},
): Promise<CallResult[]> {
  const batchSize = options.batchSize ?? 50;
  const results: CallResult[] = [];

  for (let start = 0; start < bodies.length; start += batchSize) {
    const batch = bodies.slice(start, start + batchSize);
    const response = await request(`${target.ingestUrl}/v1/pipelines`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${target.ingestSecret}`,
      },
      body: JSON.stringify({ batch }),
    });
    const text = await response.body.text();
    if (response.statusCode !== 202) {
      throw new Error(
        `ingest returned HTTP ${response.statusCode} for calls ${start}..: ${text.slice(0, 500)}`,
      );
    }
    const parsed = JSON.parse(text) as { results: CallResult[] };
    for (const result of parsed.results) results.push({ ...result, index: start + result.index });
  }
  return results;
}

/** Waits for each workflow to finish, a bounded number at a time, and reports how it ended. */
export async function awaitConversions(
  client: Client,
  workflowIds: string[],
  concurrency = 64,
): Promise<ConversionEnd[]> {
  const ends: ConversionEnd[] = new Array<ConversionEnd>(workflowIds.length);
  let next = 0;

  const waitOne = async (workflowId: string): Promise<ConversionEnd> => {
    try {
      const result = (await client.workflow.getHandle(workflowId).result()) as ConversionResult;
      return {
        workflowId,
        status: result.status === 'sent' ? 'sent' : 'failed',
        reason: result.reason,
      };
    } catch (error) {
      if (!(error instanceof WorkflowFailedError) || !(error.cause instanceof ApplicationFailure)) {
        return {
          workflowId,
          status: 'failed',
          reason: { code: 'workflow_failed', message: String(error) },
        };
      }
      const failure = error.cause;
      const [detail] = (failure.details ?? []) as Reason[];
      const reason = detail ?? { code: failure.type ?? 'unknown', message: failure.message };
      if (failure.type === FAILURE_TYPES.conversionExpired)
        return { workflowId, status: 'expired', reason };
      if (failure.type === FAILURE_TYPES.conversionRejected)
        return { workflowId, status: 'rejected', reason };
      return { workflowId, status: 'failed', reason };
    }
  };

  const lanes = Array.from({ length: Math.min(concurrency, workflowIds.length) }, async () => {
    while (next < workflowIds.length) {
      const index = next++;
      ends[index] = await waitOne(workflowIds[index]!);
    }
  });
  await Promise.all(lanes);
  return ends;
}

/** The counts `demo` prints as its last line. */
export interface TrafficSummary {
  calls: number;
  sent: number;
  skipped: number;
  rejected: number;
  duplicates: number;
}

/** Counts what happened to every call: at ingest, then in its workflow. */
export function summarizeTraffic(results: CallResult[], ends: ConversionEnd[]): TrafficSummary {
  const count = (outcomes: string[]) =>
    results.filter((result) => outcomes.includes(result.outcome)).length;
  return {
    calls: results.length,
    sent: ends.filter((end) => end.status === 'sent').length,
    skipped: count(['skipped', 'profile_updated']),
    rejected: count(['rejected']) + ends.filter((end) => end.status !== 'sent').length,
    duplicates: count(['duplicate']),
  };
}
