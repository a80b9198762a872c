import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConversionStarter } from '../../src/client';
import { loadMappingConfig } from '../../src/config/mapping';
import { pipelinesCallSchema } from '../../src/customerio/call';
import { DEMO_PIXEL_ID } from '../../src/demo/stack';
import { awaitConversions } from '../../src/demo/traffic';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { createPrepare } from '../../src/ingest/prepare';
import { confirmDeliveredSignal, retrySendSignal } from '../../src/workflows/conversion';
import type { ConversionInput } from '../../src/workflows/types';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const CLI_ENTRY = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
const CONVERSIONS = 40;
/** Accepted events at which the first worker is killed: some, but far from all. */
const KILL_AFTER_ACCEPTED = 8;
/** Pause between two starts, in milliseconds, so the sends spread out around the kill. */
const START_SPACING_MS = 75;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A worker process, with the tail of its output for failure messages. */
interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  started: Promise<void>;
}

function spawnWorker(env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, [CLI_ENTRY, 'worker'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const started = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output.push(text);
      if (output.length > 200) output.shift();
      if (text.includes('"worker started"')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `worker exited before it started (code ${code}, signal ${signal}):\n${output.join('')}`,
        ),
      ),
    );
  });
  return { child, output, started };
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** Builds the worker's environment: this process's, minus its cio-capi settings, plus `settings`. */
function workerEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(META_|CIO_CAPI_|TEMPORAL_|DATABASE_URL$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, LOG_LEVEL: 'info', ...settings };
}

function purchaseCall(orderId: string, timestamp: string) {
  return pipelinesCallSchema.parse({
    type: 'track',
    event: 'Order Completed',
    messageId: `msg-${orderId}`,
    timestamp,
    userId: `cust-${orderId}`,
    context: {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Macintosh)',
      page: { url: 'https://shop.example.com/checkout' },
      traits: { email: `buyer-${orderId}@example.com` },
    },
    properties: { order_id: orderId, revenue: 68, currency: 'USD' },
  });
}

describe('worker killed mid-delivery', () => {
  const accessToken = randomBytes(24).toString('hex');
  const taskQueue = `crash-${process.pid}-${Date.now()}`;
  const tag = `crash${Date.now().toString(36)}`;
  let emulator: RunningEmulator;
  let starter: ConversionStarter;
  let dataDir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(CLI_ENTRY)) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
        cwd: PROJECT_ROOT,
        stdio: 'inherit',
      });
    }
    emulator = await startEmulator({
      pixels: { [DEMO_PIXEL_ID]: [accessToken] },
      latencyMs: 300,
    });
    dataDir = mkdtempSync(path.join(tmpdir(), 'cio-capi-crash-'));
    starter = ConversionStarter.create({
      address: process.env.TEMPORAL_TEST_ADDRESS!,
      namespace: 'default',
      taskQueue,
    });
  }, 180_000);

  afterAll(async () => {
    for (const worker of workers) await stopProcess(worker.child, 'SIGKILL');
    await starter?.close();
    await emulator?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('each event is accepted once', async () => {
    const env = workerEnv({
      META_PIXEL_ID: DEMO_PIXEL_ID,
      META_ACCESS_TOKEN: accessToken,
      META_GRAPH_BASE_URL: emulator.url,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
      CIO_CAPI_TASK_QUEUE: taskQueue,
      CIO_CAPI_SQLITE_PATH: path.join(dataDir, 'profiles.db'),
    });
    const first = spawnWorker(env);
    workers.push(first);
    await first.started;

    // The worker's clock is the real one, so the events happened a minute ago.
    const timestamp = new Date(Date.now() - 60_000).toISOString();
    const prepare = createPrepare({ pixelId: DEMO_PIXEL_ID, mapping: loadMappingConfig() });
    const orderIds = Array.from({ length: CONVERSIONS }, (_, index) => `${tag}-${index + 1}`);
    const inputs: ConversionInput[] = [];
    for (const orderId of orderIds) {
      const prepared = await prepare(purchaseCall(orderId, timestamp), {
        origin: 'pipelines',
        receivedAt: new Date().toISOString(),
      });
      if (prepared.kind !== 'start') throw new Error(`order ${orderId} was not mapped to a send`);
      inputs.push(prepared.input);
    }

    const starting = (async () => {
      const workflowIds: string[] = [];
      for (const input of inputs) {
        const started = await starter.start(input);
        expect(started.status).toBe('started');
        workflowIds.push(started.workflowId);
        await sleep(START_SPACING_MS);
      }
      return workflowIds;
    })();

    for (let tries = 0; emulator.store.events().length < KILL_AFTER_ACCEPTED; tries++) {
      if (tries > 6_000) {
        throw new Error(`the first worker sent no events in a minute:\n${first.output.join('')}`);
      }
      await sleep(10);
    }
    await stopProcess(first.child, 'SIGKILL');
    const acceptedAtKill = emulator.store.events().length;
    expect(acceptedAtKill).toBeGreaterThanOrEqual(KILL_AFTER_ACCEPTED);
    expect(acceptedAtKill).toBeLessThan(CONVERSIONS);

    const second = spawnWorker(env);
    workers.push(second);
    await second.started;
    const workflowIds = await starting;

    // An attempt in flight at the kill may have reached Meta, so its conversion is held as
    // delivery_unconfirmed instead of sending again. Act as the operator: look the event up at
    // "Meta" (the emulator), then confirm it or let it resend.
    const unconfirmed = await waitUntilEndedOrHeld(starter, workflowIds);
    for (const workflowId of unconfirmed) {
      const orderId = workflowId.split(':').pop()!;
      const handle = starter.client.workflow.getHandle(workflowId);
      if (emulator.store.events({ eventId: orderId }).length > 0) {
        await handle.signal(confirmDeliveredSignal);
      } else {
        await handle.signal(retrySendSignal, { resendUnconfirmed: true });
      }
    }
    const ends = await awaitConversions(starter.client, workflowIds);
    await stopProcess(second.child, 'SIGTERM');

    expect(ends.filter((end) => end.status !== 'sent')).toEqual([]);
    const accepted = emulator.store.events();
    const timesAccepted = new Map<string, number>();
    for (const event of accepted) {
      timesAccepted.set(event.eventId, (timesAccepted.get(event.eventId) ?? 0) + 1);
    }
    const acceptedMoreThanOnce = [...timesAccepted].filter(([, times]) => times > 1);
    expect(acceptedMoreThanOnce).toEqual([]);
    expect(accepted.filter((event) => event.duplicate)).toHaveLength(0);
    expect(accepted).toHaveLength(CONVERSIONS);
    expect([...timesAccepted.keys()].sort()).toEqual([...orderIds].sort());
  }, 240_000);
});

/**
 * Waits until every conversion has ended or is held as delivery_unconfirmed, and returns the
 * held ones. Gives up after two minutes.
 */
async function waitUntilEndedOrHeld(
  starter: ConversionStarter,
  workflowIds: string[],
): Promise<string[]> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const held: string[] = [];
    let running = 0;
    for (const workflowId of workflowIds) {
      const handle = starter.client.workflow.getHandle(workflowId);
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') continue;
      const { status, reason } = await handle.query<{ status: string; reason?: { code: string } }>(
        'deliveryStatus',
      );
      if (status === 'held' && reason?.code === 'delivery_unconfirmed') held.push(workflowId);
      else running += 1;
    }
    if (running === 0) return held;
    if (Date.now() > deadline)
      throw new Error(`${running} conversions neither ended nor were held`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
