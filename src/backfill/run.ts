import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { backfillWorkflow } from '../workflows/backfill';
import type { PreparedBackfill } from './prepare';
import { removeSpool } from './spool';
import {
  BACKFILL_PROGRESS_QUERY,
  BACKFILL_WORKFLOW,
  type BackfillInput,
  type BackfillProgress,
} from './types';

export interface RunBackfillOptions {
  client: Client;
  taskQueue: string;
  /** Chunks sent at once by the workflow. @default 4 */
  concurrency?: number;
  /** Chunks per workflow run before it continues as new. @default 100 */
  chunksPerRun?: number;
  /** Called with the workflow's counts every pollIntervalMs while it runs. */
  onProgress?: (progress: BackfillProgress) => void;
  /** How often the progress query runs, in milliseconds. @default 500 */
  pollIntervalMs?: number;
}

/** The end of a backfill run, as seen by the command that started or joined it. */
export interface BackfillRun {
  workflowId: string;
  /** False when a run of the same file was already going and this call waited for it. */
  started: boolean;
  progress: BackfillProgress;
}

/** A backfill the workflow stopped, such as for a wrong token. The message names what to fix. */
export class BackfillStoppedError extends Error {
  readonly code = 'BACKFILL_STOPPED';
  constructor(
    message: string,
    readonly workflowId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackfillStoppedError';
  }
}

/**
 * Starts the workflow of a prepared backfill and waits for it to end. When a run of the same file
 * is already going, it waits for that run instead and deletes its own, unused chunk folder. A run
 * after a finished one starts again, and the delivery ledger skips what the earlier run sent.
 */
export async function runBackfill(
  prepared: PreparedBackfill,
  options: RunBackfillOptions,
): Promise<BackfillRun> {
  const { spool, workflowId } = prepared;
  if (!spool) throw new Error('runBackfill needs a prepared spool: this backfill was a dry run');

  let started = false;
  if (!(await isRunning(options.client, workflowId))) {
    const input: BackfillInput = {
      spool,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.chunksPerRun === undefined ? {} : { chunksPerRun: options.chunksPerRun }),
    };
    try {
      await options.client.workflow.start<typeof backfillWorkflow>(BACKFILL_WORKFLOW, {
        taskQueue: options.taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        workflowIdConflictPolicy: 'FAIL',
      });
      started = true;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  if (!started) await removeSpool(spool.spoolDir);

  const handle = options.client.workflow.getHandle<typeof backfillWorkflow>(workflowId);
  const result = handle.result();
  const polling = pollProgress(result, options, () =>
    handle.query<BackfillProgress>(BACKFILL_PROGRESS_QUERY),
  );

  try {
    const progress = await result;
    options.onProgress?.(progress);
    return { workflowId, started, progress };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const message = error.cause?.message ?? error.message;
    throw new BackfillStoppedError(message, workflowId, { cause: error });
  } finally {
    await polling;
  }
}

async function isRunning(client: Client, workflowId: string): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return description.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** Queries the progress until the result settles, skipping failed queries (continue-as-new). */
async function pollProgress(
  result: Promise<unknown>,
  options: RunBackfillOptions,
  query: () => Promise<BackfillProgress>,
): Promise<void> {
  const { onProgress } = options;
  if (!onProgress) return;
  let settled = false;
  const done = result.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    try {
      onProgress(await query());
    } catch {
      // The next poll tries again; the final counts come from the result.
    }
    await Promise.race([done, delay(options.pollIntervalMs ?? 500)]);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
