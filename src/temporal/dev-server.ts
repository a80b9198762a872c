import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { CONVERSION_SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServerOptions {
  /** Path of the `temporal` binary, from `ensureTemporalCli`. */
  cliPath: string;
  /** SQLite file that keeps workflows across restarts; in memory when unset. */
  dbFilename?: string;
  /** gRPC port; a free one when unset. */
  port?: number;
  /** Web UI port; a free one when unset. */
  uiPort?: number;
  /** How long to wait for the server to respond, in milliseconds. @default 30000 */
  startTimeoutMs?: number;
}

export interface DevServer {
  /** host:port of the gRPC endpoint. */
  address: string;
  /** URL of the Temporal Web UI. */
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` on loopback with the conversion search attributes, and waits
 * until it responds.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--log-level',
    'error',
    ...CONVERSION_SEARCH_ATTRIBUTES.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${titleCase(key.type)}`,
    ]),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
  ];
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(address, child, options.startTimeoutMs ?? 30_000, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    stop: () => stopChild(child),
  };
}

async function waitUntilReady(
  address: string,
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `temporal server start-dev exited with code ${child.exitCode}: ${stderr().trim()}`,
      );
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(
          `Temporal dev server at ${address} did not respond within ${timeoutMs} ms: ${String(error)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The CLI spells search attribute types as `Keyword`, `Datetime`. */
function titleCase(type: string): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

/** Asks the kernel for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
