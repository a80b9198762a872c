import {
  Client,
  Connection,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  isGrpcServiceError,
} from '@temporalio/client';
import {
  DELIVERY_STATUS_KEY,
  EVENT_TIME,
  META_EVENT,
  PIXEL_ID,
  SOURCE_EVENT,
} from './temporal/search-attributes';
import { parseEventTime } from './mapping/event-time';
import { registerSearchAttributes } from './temporal/register';
import { conversionWorkflowId } from './workflows/ids';
import type { ConversionInput } from './workflows/types';

/** The name of the conversion workflow type, as registered by the worker. */
export const CONVERSION_WORKFLOW = 'conversionWorkflow';

/** How long a start may wait for Temporal before it fails as unavailable, in milliseconds. */
export const START_DEADLINE_MS = 5_000;

export interface TemporalTarget {
  address: string;
  namespace: string;
  taskQueue: string;
}

/** Raised when Temporal cannot be reached, so the sender should retry later (HTTP 503). */
export class TemporalUnavailableError extends Error {
  readonly code = 'TEMPORAL_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemporalUnavailableError';
  }
}

export interface StartedConversion {
  workflowId: string;
  /** `started` for a new workflow; `duplicate` when that event was already started or sent. */
  status: 'started' | 'duplicate';
}

/**
 * A Temporal client for starting conversions. The connection is lazy, so a process can start while
 * Temporal is down; each start then fails with TemporalUnavailableError until it is back.
 */
export class ConversionStarter {
  private constructor(
    readonly client: Client,
    private readonly connection: Connection,
    readonly taskQueue: string,
  ) {}

  static create(target: TemporalTarget): ConversionStarter {
    const connection = Connection.lazy({ address: target.address });
    const client = new Client({ connection, namespace: target.namespace });
    return new ConversionStarter(client, connection, target.taskQueue);
  }

  /**
   * Starts the conversion workflow of one event. Resolves only after Temporal has durably recorded
   * the start, or found an earlier start of the same event.
   */
  async start(input: ConversionInput): Promise<StartedConversion> {
    try {
      return await this.startOnce(input);
    } catch (error) {
      // A dev server restarted without its data has lost the search attributes: add them again.
      if (!isUnknownSearchAttribute(error)) throw error;
      await registerSearchAttributes(this.connection, this.client.options.namespace);
      return await this.startOnce(input);
    }
  }

  private async startOnce(input: ConversionInput): Promise<StartedConversion> {
    const workflowId = conversionWorkflowId(input.pixelId, input.metaEventName, input.eventId);
    try {
      await this.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        this.client.workflow.start(CONVERSION_WORKFLOW, {
          taskQueue: this.taskQueue,
          workflowId,
          args: [input],
          // A sent event never runs again; a rejected or expired one may be replayed.
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
          workflowIdConflictPolicy: 'FAIL',
          typedSearchAttributes: [
            { key: META_EVENT, value: input.metaEventName },
            { key: PIXEL_ID, value: input.pixelId },
            { key: SOURCE_EVENT, value: input.sourceEvent },
            { key: DELIVERY_STATUS_KEY, value: 'sending' },
            ...eventTimeAttribute(input),
          ],
        }),
      );
      return { workflowId, status: 'started' };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError)
        return { workflowId, status: 'duplicate' };
      throw asUnavailable(error);
    }
  }

  /** Checks that Temporal responds, for health endpoints. */
  async ping(timeoutMs = 2_000): Promise<void> {
    try {
      await this.connection.withDeadline(Date.now() + timeoutMs, () =>
        this.connection.workflowService.getSystemInfo({}),
      );
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

function eventTimeAttribute(input: ConversionInput) {
  // The same parser as the mapping, so the attribute and the event_time sent agree. An invalid
  // timestamp gets no attribute here, and the workflow's map step rejects it.
  const parsed = parseEventTime(input.call.timestamp, 'timestamp');
  return parsed.ok ? [{ key: EVENT_TIME, value: new Date(parsed.value * 1000) }] : [];
}

/** gRPC status codes that mean "try again later": CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const RETRYABLE_GRPC_CODES = new Set([1, 4, 8, 14]);

/**
 * Returns the error as a TemporalUnavailableError when it means Temporal could not be reached,
 * else the error itself. The client wraps gRPC failures in a ServiceError, so its cause is read too.
 */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof TemporalUnavailableError) return error;
  const grpcError: unknown = error instanceof ServiceError && error.cause ? error.cause : error;
  if (isGrpcServiceError(grpcError) || hasNumericCode(grpcError)) {
    if (!RETRYABLE_GRPC_CODES.has(grpcError.code)) return error;
    return new TemporalUnavailableError(`Temporal is unavailable: ${grpcError.message}`, {
      cause: error,
    });
  }
  if (
    error instanceof Error &&
    /connect|ECONNREFUSED|transport|timed? ?out|deadline/i.test(error.message)
  ) {
    return new TemporalUnavailableError(`Temporal is unavailable: ${error.message}`, {
      cause: error,
    });
  }
  return error;
}

/** True when Temporal rejected a start because a search attribute is not registered. */
function isUnknownSearchAttribute(error: unknown): boolean {
  const cause: unknown = error instanceof ServiceError && error.cause ? error.cause : error;
  return (
    cause instanceof Error &&
    /search attribute/i.test(cause.message) &&
    /no mapping|not defined|unknown/i.test(cause.message)
  );
}

/** Client-side deadline errors carry a gRPC code without being full gRPC service errors. */
function hasNumericCode(error: unknown): error is Error & { code: number } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number';
}
