import type {
  Client,
  WorkflowExecutionDescription,
  WorkflowExecutionInfo,
} from '@temporalio/client';
import {
  DELIVERY_STATUS_KEY,
  EVENT_TIME,
  META_EVENT,
  REASON_CODE,
} from '../temporal/search-attributes';
import { REPLAYABLE_STATUSES, type ReplayableStatus } from './query';

/** One conversion a replay selected: the latest run of its workflow id. */
export interface ReplayCandidate {
  workflowId: string;
  runId: string;
  /** The Meta event name, such as `Purchase`; empty when the run has no MetaEvent attribute. */
  metaEvent: string;
  status: ReplayableStatus;
  reasonCode?: string;
  /** When the conversion happened; absent when the call's timestamp could not be read. */
  eventTime?: Date;
  /** The run's search attributes, copied onto a new run. */
  description: WorkflowExecutionDescription;
}

/**
 * Lists the conversions that match the visibility query, keeping only the latest run of each
 * workflow id, and only when that run still has the status it was listed with. The list query
 * returns every run, so the failed first run of a conversion that a replay has since delivered
 * still matches `DeliveryStatus = "rejected"`. Describing the latest run distinguishes them.
 * Sorted by workflow id.
 */
export async function listReplayCandidates(
  client: Client,
  query: string,
): Promise<ReplayCandidate[]> {
  const checked = new Set<string>();
  const candidates: ReplayCandidate[] = [];

  try {
    for await (const execution of client.workflow.list({ query })) {
      await addCandidate(client, execution, checked, candidates);
    }
  } catch (error) {
    // The SDK's message is only "Failed to list workflows"; the server's reason is in the cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    if (!cause) throw error;
    throw new Error(`listing conversions failed for the query ${query}: ${cause}`, {
      cause: error,
    });
  }
  return candidates.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
}

async function addCandidate(
  client: Client,
  execution: WorkflowExecutionInfo,
  checked: Set<string>,
  candidates: ReplayCandidate[],
): Promise<void> {
  if (checked.has(execution.workflowId)) return;
  checked.add(execution.workflowId);

  const listedStatus = execution.typedSearchAttributes.get(DELIVERY_STATUS_KEY);
  const latest = await client.workflow.getHandle(execution.workflowId).describe();
  const latestStatus = latest.typedSearchAttributes.get(DELIVERY_STATUS_KEY);
  if (latest.runId !== execution.runId || latestStatus !== listedStatus) return;
  if (!isReplayable(latestStatus)) return;
  if (latest.status.name !== EXECUTION_STATUS_NAME[latestStatus]) return;

  candidates.push(toCandidate(latest, latestStatus));
}

/** The execution status a run must have for its delivery status to be current. */
const EXECUTION_STATUS_NAME: Record<ReplayableStatus, string> = {
  rejected: 'FAILED',
  expired: 'FAILED',
  held: 'RUNNING',
};

function isReplayable(status: string | undefined): status is ReplayableStatus {
  return REPLAYABLE_STATUSES.some((replayable) => replayable === status);
}

function toCandidate(
  description: WorkflowExecutionDescription,
  status: ReplayableStatus,
): ReplayCandidate {
  const attributes = description.typedSearchAttributes;
  const candidate: ReplayCandidate = {
    workflowId: description.workflowId,
    runId: description.runId,
    metaEvent: attributes.get(META_EVENT) ?? '',
    status,
    description,
  };
  const reasonCode = attributes.get(REASON_CODE);
  if (reasonCode) candidate.reasonCode = reasonCode;
  const eventTime = attributes.get(EVENT_TIME);
  if (eventTime) candidate.eventTime = eventTime;
  return candidate;
}
