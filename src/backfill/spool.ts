import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChunkFile, SpoolRef } from './types';

/** The folder of the backfill command's chunk folders when no `--spool` is given. */
export const DEFAULT_SPOOL_ROOT = '.cio-capi/backfill';

const CHUNK_FILE = /^chunk-\d{6}\.json$/;

/** A chunk file that is missing or unreadable on the worker. */
export class SpoolError extends Error {
  readonly code = 'BACKFILL_SPOOL_UNREADABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpoolError';
  }
}

/** Returns the path of chunk `index` in a spool folder. */
export function chunkPath(spoolDir: string, index: number): string {
  return path.join(spoolDir, `chunk-${String(index).padStart(6, '0')}.json`);
}

/**
 * Writes the chunks of one backfill, one JSON file each, into a new folder. Each file is written
 * under a temporary name and renamed, so a worker never reads half a chunk.
 */
export class SpoolWriter {
  private chunkCount = 0;
  private eventCount = 0;

  private constructor(readonly spoolDir: string) {}

  /** Creates the folder (absolute, with its parents). */
  static async create(spoolDir: string): Promise<SpoolWriter> {
    const absolute = path.resolve(spoolDir);
    await mkdir(absolute, { recursive: true });
    return new SpoolWriter(absolute);
  }

  async write(chunk: ChunkFile): Promise<void> {
    const target = chunkPath(this.spoolDir, this.chunkCount);
    await writeFile(`${target}.tmp`, JSON.stringify(chunk));
    await rename(`${target}.tmp`, target);
    this.chunkCount += 1;
    this.eventCount += chunk.events.length;
  }

  /** Returns the reference the workflow receives in place of the events. */
  ref(): SpoolRef {
    return { spoolDir: this.spoolDir, chunkCount: this.chunkCount, eventCount: this.eventCount };
  }
}

/** Reads chunk `index`. Throws SpoolError naming the file when it is missing or invalid. */
export async function readChunk(spoolDir: string, index: number): Promise<ChunkFile> {
  const file = chunkPath(spoolDir, index);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SpoolError(
      `cannot read backfill chunk ${file}: ${(error as Error).message}. The worker must see the ` +
        'folder the backfill command wrote: run both on one host or share the folder (--spool).',
      { cause: error },
    );
  }

  let chunk: Partial<ChunkFile>;
  try {
    chunk = JSON.parse(text) as Partial<ChunkFile>;
  } catch (error) {
    throw new SpoolError(`invalid backfill chunk ${file}: ${(error as Error).message}`);
  }
  if (typeof chunk.pixelId !== 'string' || !Array.isArray(chunk.events)) {
    throw new SpoolError(`invalid backfill chunk ${file}: expected { pixelId, events: [...] }`);
  }
  return { pixelId: chunk.pixelId, events: chunk.events };
}

/**
 * Deletes a spool folder: its chunk files, then the folder. Other files are left alone, and then
 * the folder stays, so a wrong path never deletes anything but chunk files.
 */
export async function removeSpool(spoolDir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(spoolDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    if (CHUNK_FILE.test(name) || /^chunk-\d{6}\.json\.tmp$/.test(name)) {
      await rm(path.join(spoolDir, name), { force: true });
    }
  }
  try {
    await rmdir(spoolDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'ENOENT') throw error;
  }
}
