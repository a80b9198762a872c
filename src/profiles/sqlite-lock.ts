import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import { PROFILE_ERROR_CODES, ProfileStoreError } from './errors';

const RETRY_DELAY_MS = 25;

/**
 * Runs `work` inside a BEGIN IMMEDIATE transaction, which holds SQLite's write lock until it
 * commits, so two processes migrating one file run each migration once. kysely's SQLite
 * migration lock is a no-op, because it assumes one connection per file.
 *
 * The lock is polled with busy_timeout at 0 and an async pause, not with busy_timeout itself:
 * busy_timeout blocks the event loop, so two stores in one process would wait on each other
 * until it ran out.
 */
export async function withSqliteWriteLock<T>(
  database: BetterSqlite3.Database,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const busyTimeout = database.pragma('busy_timeout', { simple: true }) as number;
  const deadline = Date.now() + timeoutMs;

  database.pragma('busy_timeout = 0');
  try {
    for (;;) {
      try {
        database.exec('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) {
          throw new ProfileStoreError(
            PROFILE_ERROR_CODES.migrationFailed,
            `could not lock ${database.name} for migration within ${timeoutMs} ms: ${(error as Error).message}`,
            undefined,
            { cause: error },
          );
        }
        await sleep(RETRY_DELAY_MS);
      }
    }
  } finally {
    database.pragma(`busy_timeout = ${busyTimeout}`);
  }

  try {
    const result = await work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    if (database.inTransaction) database.exec('ROLLBACK');
    throw error;
  }
}
