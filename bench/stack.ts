import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEMO_PIXEL_ID } from '../src/demo/stack';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { ensureTemporalCli } from '../src/temporal/binary';
import { freePort, startDevServer, type DevServer } from '../src/temporal/dev-server';
import type { WorkerTuning } from '../src/worker';
import { findChildren } from './proc';
import { WORKER_TUNING_ENV } from './env';

/** The compiled project root: dist/bench/stack.js sits two folders below it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(PROJECT_ROOT, 'dist');

/** How long a child process may take to start or to stop, in milliseconds. */
const CHILD_TIMEOUT_MS = 60_000;

export interface BenchStackOptions {
  /** Delay of each emulator response, in milliseconds. */
  latencyMs: number;
  /** Write a V8 CPU profile of the worker into this folder when it exits. */
  profileDir?: string;
}

export interface WorkerSettings extends WorkerTuning {
  /** Activities run at once. @default 100 */
  maxConcurrentActivities?: number;
}

/**
 * The processes of one benchmark run: a Temporal dev server, the emulator (in this process, so
 * its store can be read directly), the ingest server and a worker (each in its own process).
 */
export class BenchStack {
  private worker?: ChildProcess;
  private readonly children = new Set<ChildProcess>();

  private constructor(
    readonly temporal: DevServer,
    readonly temporalPid: number | undefined,
    readonly emulator: RunningEmulator,
    readonly accessToken: string,
    readonly ingestSecret: string,
    readonly taskQueue: string,
    private readonly options: BenchStackOptions,
  ) {}

  static async start(options: BenchStackOptions): Promise<BenchStack> {
    const cliPath = await ensureTemporalCli({ projectRoot: PROJECT_ROOT });
    const temporal = await startDevServer({ cliPath });
    const temporalPid = findChildren('start-dev')[0];
    const accessToken = randomBytes(24).toString('hex');
    const emulator = await startEmulator({
      pixels: { [DEMO_PIXEL_ID]: [accessToken] },
      latencyMs: options.latencyMs,
    });
    const ingestSecret = randomBytes(24).toString('hex');
    return new BenchStack(
      temporal,
      temporalPid,
      emulator,
      accessToken,
      ingestSecret,
      'cio-capi-bench',
      options,
    );
  }

  /** Builds the environment of both child processes: cio-capi's settings variables. */
  private env(extra: Record<string, string>): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      META_PIXEL_ID: DEMO_PIXEL_ID,
      META_ACCESS_TOKEN: this.accessToken,
      META_GRAPH_BASE_URL: this.emulator.url,
      CIO_CAPI_INGEST_SECRETS: this.ingestSecret,
      TEMPORAL_ADDRESS: this.temporal.address,
      CIO_CAPI_TASK_QUEUE: this.taskQueue,
      CIO_CAPI_SQLITE_PATH: ':memory:',
      LOG_LEVEL: 'warn',
      ...extra,
    };
  }

  /** Starts the ingest server in its own process; returns its URL and pid. */
  async startIngest(): Promise<{ url: string; pid: number }> {
    const port = await freePort();
    const child = this.spawnChild(
      [path.join(DIST, 'src', 'cli', 'main.js'), 'serve'],
      this.env({ CIO_CAPI_PORT: String(port), CIO_CAPI_HOST: '127.0.0.1' }),
      'listening on',
    );
    await child.ready;
    return { url: `http://127.0.0.1:${port}`, pid: child.process.pid! };
  }

  /** Starts a worker in its own process with `settings`; returns its pid. */
  async startWorker(settings: WorkerSettings = {}): Promise<number> {
    const nodeFlags = this.options.profileDir
      ? ['--cpu-prof', '--cpu-prof-dir', this.options.profileDir]
      : [];
    const child = this.spawnChild(
      [...nodeFlags, path.join(DIST, 'bench', 'worker-main.js')],
      this.env({ [WORKER_TUNING_ENV]: JSON.stringify(settings) }),
      'worker ready',
    );
    await child.ready;
    this.worker = child.process;
    return child.process.pid!;
  }

  /** Stops the worker and waits for it to exit, so a CPU profile is complete. */
  async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await stopChild(worker);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children].map((child) => stopChild(child)));
    await this.emulator.close();
    await this.temporal.stop();
  }

  /** Kills every child at once, for the process's `exit` event where nothing can be awaited. */
  killNow(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
  }

  private spawnChild(
    args: string[],
    env: NodeJS.ProcessEnv,
    readyLine: string,
  ): { process: ChildProcess; ready: Promise<void> } {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${args.join(' ')} did not start within ${CHILD_TIMEOUT_MS} ms`));
      }, CHILD_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
        if (output.includes(readyLine)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited with code ${String(code)}: ${output}`));
      });
    });
    return { process: child, ready };
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}
