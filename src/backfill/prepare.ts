import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { runPreview } from '../cli/preview';
import type { PreviewConfig } from '../mapping/preview';
import { REJECT_CODES, type PreviewLine } from '../mapping/types';
import { BatchPacker, type BatchLimits } from './batching';
import { SpoolWriter } from './spool';
import type { ChunkFile, SpoolRef } from './types';

/** Counts of the mapping outcomes of a backfill file's calls, before anything is sent. */
export interface MappingCounts {
  /** Calls read, including the invalid ones. */
  calls: number;
  /** Calls that became a Meta event, each (event_name, event_id) once. */
  mapped: number;
  /** Calls whose (event_name, event_id) appeared earlier in the file, such as redelivered ones. */
  duplicates: number;
  /** Calls already past Meta's window at `now`. */
  tooOld: number;
  /** Calls that are not conversions (identify, unmapped or disabled events), by reason code. */
  skipped: Record<string, number>;
  /** Calls that cannot be sent, by reason code; `event_too_old` is counted in tooOld instead. */
  rejected: Record<string, number>;
}

/** A backfill file, mapped and cut into chunks, ready for its workflow. */
export interface PreparedBackfill {
  /** Derived from the pixel and the file's SHA-256, so the same file is never run twice at once. */
  workflowId: string;
  /** SHA-256 of the file's bytes, hex. */
  fileSha256: string;
  pixelId: string;
  mapping: MappingCounts;
  /** Chunks, each one Graph API request unless Meta rejects an event in it. */
  chunkCount: number;
  /** The spool folder the workflow reads; absent for a dry run. */
  spool?: SpoolRef;
}

export interface PrepareOptions {
  /** The input: NDJSON, a JSON array, or a `{"batch": [...]}` body, as `preview` reads. */
  file: string;
  /** The pixel every event of the file is sent to. */
  pixelId: string;
  config: PreviewConfig;
  /** The time the 7-day window is measured from. */
  now: Date;
  /** Folder under which the chunk folder is created; unset for a dry run, which writes nothing. */
  spoolRoot?: string;
  limits?: BatchLimits;
}

/**
 * Maps every call of a file with the same pure steps as `preview` (validation, sealing, user_data,
 * mapping), packs the events into chunks of one request each, and writes the chunks to a new
 * spool folder. The events never enter Temporal's history: the workflow receives the folder.
 *
 * NOTE: unlike the live workflow, mapping here does not complete identifiers from stored profiles,
 * so a call without its own identifiers is rejected even when its customer has a profile.
 */
export async function prepareBackfill(options: PrepareOptions): Promise<PreparedBackfill> {
  const fileSha256 = await hashFile(options.file);
  const name = `${options.pixelId}-${fileSha256.slice(0, 16)}-${randomBytes(4).toString('hex')}`;
  const writer = options.spoolRoot
    ? await SpoolWriter.create(path.join(options.spoolRoot, name))
    : undefined;

  let chunkCount = 0;
  const store = async (chunk: ChunkFile | undefined): Promise<void> => {
    if (!chunk) return;
    chunkCount += 1;
    await writer?.write(chunk);
  };

  const packer = new BatchPacker(options.limits);
  const mapping = await mapFile(options.file, options.config, options.now, (event) =>
    store(packer.add(options.pixelId, event)),
  );
  for (const chunk of packer.flush()) await store(chunk);

  return {
    workflowId: backfillWorkflowId(options.pixelId, fileSha256),
    fileSha256,
    pixelId: options.pixelId,
    mapping,
    chunkCount,
    ...(writer ? { spool: writer.ref() } : {}),
  };
}

/** Returns the workflow id of a backfill: one per pixel and file content. */
export function backfillWorkflowId(pixelId: string, fileSha256: string): string {
  return `backfill:${pixelId}:${fileSha256.slice(0, 32)}`;
}

/** Returns the SHA-256 of a file's bytes, hex. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(file), hash);
  } catch (error) {
    throw new Error(`cannot read backfill file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return hash.digest('hex');
}

/**
 * Runs `preview`'s reader and mapping over a file and passes each mapped event to `onEvent`,
 * in file order, waiting for it before the next call is mapped.
 */
async function mapFile(
  file: string,
  config: PreviewConfig,
  now: Date,
  onEvent: (event: NonNullable<PreviewLine['event']>) => Promise<void>,
): Promise<MappingCounts> {
  const counts: MappingCounts = {
    calls: 0,
    mapped: 0,
    duplicates: 0,
    tooOld: 0,
    skipped: {},
    rejected: {},
  };
  // Two copies of one event in a file would go out in one request, so only the first is kept.
  const seen = new Set<string>();

  // runPreview writes one JSON line per call; this sink reads them back. Each write is one line.
  const sink = new Writable({
    decodeStrings: false,
    write(text: string, _encoding, done) {
      const line = JSON.parse(text) as PreviewLine;
      counts.calls += 1;
      if (line.outcome === 'send' && line.event) {
        const key = `${line.event.event_name}\u0000${line.event.event_id}`;
        if (seen.has(key)) {
          counts.duplicates += 1;
          done();
          return;
        }
        seen.add(key);
        counts.mapped += 1;
        onEvent(line.event).then(() => done(), done);
        return;
      }
      const code = line.reason?.code ?? 'unknown';
      if (line.outcome === 'reject' && code === REJECT_CODES.eventTooOld) counts.tooOld += 1;
      else {
        const byReason = line.outcome === 'skip' ? counts.skipped : counts.rejected;
        byReason[code] = (byReason[code] ?? 0) + 1;
      }
      done();
    },
  });

  // A failed chunk write fails the sink; the listener keeps it from being an uncaught 'error'.
  let failure: Error | undefined;
  sink.on('error', (error) => {
    failure ??= error;
  });
  await runPreview(createReadStream(file), sink, config, now);
  sink.end();
  await finished(sink).catch(() => undefined);
  if (failure !== undefined) throw failure;
  return counts;
}
