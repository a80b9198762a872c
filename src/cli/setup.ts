import path from 'node:path';
import { Command } from 'commander';
import { loadSettings } from '../config/settings';
import { openProfileStoreFor } from '../profiles/from-settings';
import { ensureTemporalCli } from '../temporal/binary';

/** The project folder: `dist/src/cli` or `src/cli` lies two or three levels below it. */
export function projectRoot(): string {
  const up = __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..';
  return path.resolve(__dirname, up);
}

/** `cio-capi setup`: installs the Temporal CLI when missing and migrates the profile store. */
export function setupCommand(): Command {
  return new Command('setup')
    .description(
      'install the Temporal CLI if it is missing, and create or migrate the profile store',
    )
    .option(
      '--database <url>',
      'PostgreSQL URL to migrate (else DATABASE_URL, else embedded SQLite)',
    )
    .option('--config <path>', 'JSON settings file (else CIO_CAPI_CONFIG)')
    .action(async (options: { database?: string; config?: string }) => {
      const cliPath = await ensureTemporalCli({ projectRoot: projectRoot() });
      process.stdout.write(`Temporal CLI: ${cliPath}\n`);

      const settings = loadSettings({ configPath: options.config });
      const databaseUrl = options.database ?? settings.databaseUrl;
      const store = await openProfileStoreFor(settings, { databaseUrl });
      await store.close();
      const where = databaseUrl ? redactUrl(databaseUrl) : `SQLite ${settings.sqlitePath}`;
      process.stdout.write(`Profile store migrated: ${where}\n`);
    });
}

/** Hides the password of a database URL. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
