import { CONVERSION_WORKFLOW } from '../client';
import {
  DELIVERY_STATUS_KEY,
  EVENT_TIME,
  META_EVENT,
  PIXEL_ID,
  REASON_CODE,
} from '../temporal/search-attributes';

/**
 * The delivery statuses a replay can act on. A rejected or expired conversion has failed and is
 * started again; a held one is still running and gets the `retrySend` signal.
 */
export const REPLAYABLE_STATUSES = ['rejected', 'expired', 'held'] as const;
export type ReplayableStatus = (typeof REPLAYABLE_STATUSES)[number];

/** The statuses selected when none are given. */
export const DEFAULT_REPLAY_STATUSES: readonly ReplayableStatus[] = ['rejected', 'expired'];

/** The filters that select a replay's conversions. Every filter that is set must match. */
export interface ReplayFilters {
  /** Delivery statuses to select. @default rejected and expired */
  statuses?: readonly ReplayableStatus[];
  /** Earliest EventTime, inclusive. */
  since?: Date;
  /** Latest EventTime, inclusive. */
  until?: Date;
  /** The Meta event name (MetaEvent), such as `Purchase`. */
  metaEvent?: string;
  /** The pixel (dataset) id (PixelId). */
  pixelId?: string;
  /** The reason code of the failure or hold (ReasonCode), such as `meta_100_2804010`. */
  reasonCode?: string;
  /** A raw Temporal visibility query, combined with the other filters by AND. */
  query?: string;
}

export class ReplayFilterError extends Error {
  readonly code = 'INVALID_REPLAY_FILTER';
  constructor(message: string) {
    super(message);
    this.name = 'ReplayFilterError';
  }
}

/**
 * The execution status that goes with each delivery status. A failed run's DeliveryStatus stays
 * as it was, so a held run that later continued as new or expired is not selected as held.
 */
const EXECUTION_STATUS: Record<ReplayableStatus, string> = {
  rejected: 'Failed',
  expired: 'Failed',
  held: 'Running',
};

/**
 * Builds the Temporal visibility query that selects the conversions to replay. Every value is
 * quoted and escaped, so a reason code or event name cannot change the query's structure.
 */
export function buildReplayQuery(filters: ReplayFilters = {}): string {
  const statuses = filters.statuses ?? DEFAULT_REPLAY_STATUSES;
  if (statuses.length === 0) throw new ReplayFilterError('no delivery status to select');
  for (const status of statuses) {
    if (!REPLAYABLE_STATUSES.includes(status)) {
      throw new ReplayFilterError(
        `invalid status "${String(status)}": expected ${REPLAYABLE_STATUSES.join(', ')}`,
      );
    }
  }

  const statusClauses = [...new Set(statuses)].map(
    (status) =>
      `(${DELIVERY_STATUS_KEY.name} = ${quote(status)} AND ` +
      `ExecutionStatus = ${quote(EXECUTION_STATUS[status])})`,
  );
  const clauses = [
    `WorkflowType = ${quote(CONVERSION_WORKFLOW)}`,
    statusClauses.length === 1 ? statusClauses[0]! : `(${statusClauses.join(' OR ')})`,
  ];

  if (filters.since)
    clauses.push(`${EVENT_TIME.name} >= ${quote(isoTime(filters.since, 'since'))}`);
  if (filters.until)
    clauses.push(`${EVENT_TIME.name} <= ${quote(isoTime(filters.until, 'until'))}`);
  if (filters.since && filters.until && filters.since > filters.until) {
    throw new ReplayFilterError(
      `since ${filters.since.toISOString()} is after until ${filters.until.toISOString()}`,
    );
  }
  if (filters.metaEvent !== undefined)
    clauses.push(`${META_EVENT.name} = ${quote(filters.metaEvent)}`);
  if (filters.pixelId !== undefined) clauses.push(`${PIXEL_ID.name} = ${quote(filters.pixelId)}`);
  if (filters.reasonCode !== undefined) {
    clauses.push(`${REASON_CODE.name} = ${quote(filters.reasonCode)}`);
  }
  if (filters.query !== undefined) {
    const raw = filters.query.trim();
    if (raw === '') throw new ReplayFilterError('the raw query is empty');
    // Brackets keep an OR inside the raw query from escaping the other filters.
    clauses.push(`(${raw})`);
  }
  return clauses.join(' AND ');
}

/**
 * Quotes a value as a visibility query string literal. Temporal's query parser reads MySQL-style
 * literals, in which a backslash escapes the next character (checked against Temporal Server 1.32
 * by the replay tests).
 */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function isoTime(value: Date, name: string): string {
  if (Number.isNaN(value.getTime())) throw new ReplayFilterError(`${name} is not a valid time`);
  return value.toISOString();
}
