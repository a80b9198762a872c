import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, fromPayloadsAtIndex } from '@temporalio/common';
import { conversionWorkflowId } from '../workflows/ids';
import type { ConversionInput } from '../workflows/types';

export class ReplayInputError extends Error {
  readonly code = 'INVALID_REPLAY_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'ReplayInputError';
  }
}

/**
 * Reads the ConversionInput a run was started with: the first argument in its first history event.
 * A run that continued as new also carries the held event as a second argument, which a replay
 * leaves out so the new run builds the event again. Throws ReplayInputError when the input does not
 * belong to the workflow id, because a new run must keep the same `event_id`.
 */
export async function readOriginalInput(
  client: Client,
  workflowId: string,
  runId: string,
): Promise<ConversionInput> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) {
    throw new ReplayInputError(
      `workflow ${workflowId} run ${runId}: the first history event is not the workflow start`,
    );
  }

  // NOTE: this reads the payload with the default converter. A deployment that adds a payload
  // codec (encryption) to its clients needs to decode here too.
  const input = fromPayloadsAtIndex<unknown>(defaultPayloadConverter, 0, started.input?.payloads);
  if (!isConversionInput(input)) {
    throw new ReplayInputError(
      `workflow ${workflowId} run ${runId}: the start input is not a conversion input`,
    );
  }
  const expectedId = conversionWorkflowId(input.pixelId, input.metaEventName, input.eventId);
  if (expectedId !== workflowId) {
    throw new ReplayInputError(
      `workflow ${workflowId} run ${runId}: its input belongs to ${expectedId}, not to this id`,
    );
  }
  return input;
}

function isConversionInput(value: unknown): value is ConversionInput {
  if (typeof value !== 'object' || value === null) return false;
  const input = value as Record<string, unknown>;
  return (
    typeof input.pixelId === 'string' &&
    typeof input.metaEventName === 'string' &&
    typeof input.eventId === 'string' &&
    typeof input.call === 'object' &&
    input.call !== null
  );
}
