import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { generateDay, summarizeExpectations } from '../generator';
import { createLogger } from '../logging';
import { ensureTemporalCli } from '../temporal/binary';
import { installTemporalLogging } from '../temporal/runtime';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { startStack, type Stack } from './stack';
import { awaitConversions, postCalls, summarizeTraffic, type TrafficSummary } from './traffic';

export interface DemoOptions {
  /** The project folder, where `.tools/` and `.cio-capi/` live. */
  projectRoot: string;
  /** Seed of the generated traffic. @default derived from the current time */
  seed?: number;
  /** Distinct calls to generate. @default 600 */
  calls?: number;
  /** Customers in the generated shop. @default 80 */
  customers?: number;
  /** Keep Temporal's data in `.cio-capi/temporal.db` instead of in memory. @default false */
  persist?: boolean;
  /** Web UI port of the embedded Temporal server. @default a free port */
  uiPort?: number;
  /** The sink of progress lines. */
  print: (line: string) => void;
}

export interface RunningDemo {
  summary: TrafficSummary;
  /** The Temporal Web UI, or undefined when TEMPORAL_ADDRESS names an outside server. */
  uiUrl?: string;
  ingestUrl: string;
  stop(): Promise<void>;
}

/**
 * Runs the whole pipeline on generated traffic: a Temporal dev server (unless TEMPORAL_ADDRESS is
 * set), the Meta emulator, a worker and the ingest server. Returns once every conversion has ended.
 */
export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const { print } = options;
  let devServer: DevServer | undefined;
  let stack: Stack | undefined;

  // Rejected conversions are part of the demo's traffic; their failures are counted, not logged.
  installTemporalLogging(createLogger('temporal', 'error'), 'ERROR');

  try {
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const cliPath = await ensureTemporalCli({ projectRoot: options.projectRoot, log: print });
      const stateDir = path.join(options.projectRoot, '.cio-capi');
      if (options.persist) await mkdir(stateDir, { recursive: true });
      devServer = await startDevServer({
        cliPath,
        uiPort: options.uiPort,
        dbFilename: options.persist ? path.join(stateDir, 'temporal.db') : undefined,
      });
      temporalAddress = devServer.address;
      print(`Temporal dev server: ${devServer.address} (Web UI ${devServer.uiUrl})`);
    } else {
      print(`Temporal server: ${temporalAddress} (from TEMPORAL_ADDRESS)`);
    }

    stack = await startStack({ temporalAddress });
    print(`Meta emulator: ${stack.emulator.url}`);
    print(`Ingest server: ${stack.ingestUrl}`);

    const seed = options.seed ?? Date.now() % 2_147_483_647;
    const calls = generateDay({
      seed,
      calls: options.calls ?? 600,
      customers: options.customers ?? 80,
      end: new Date(),
    });
    const expected = summarizeExpectations(calls);
    print(
      `Sending ${calls.length} generated Customer.io calls (seed ${seed}): ` +
        `${expected.send} convertible, ${expected.duplicate} redeliveries, ` +
        `${expected.skip} skips, ${expected.reject} invalid`,
    );

    const started = Date.now();
    const results = await postCalls(
      stack,
      calls.map((call) => call.body),
    );
    const workflowIds = results.flatMap((result) =>
      result.outcome === 'started' && result.workflowId ? [result.workflowId] : [],
    );
    const ends = await awaitConversions(stack.starter.client, workflowIds);
    const summary = summarizeTraffic(results, ends);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    const accepted = new Map<string, number>();
    for (const event of stack.emulator.store.events()) {
      accepted.set(event.eventName, (accepted.get(event.eventName) ?? 0) + 1);
    }
    print(`All ${workflowIds.length} conversions ended in ${seconds} s.`);
    print(
      `Meta emulator accepted: ${[...accepted].map(([name, count]) => `${name} ${count}`).join(', ')}`,
    );
    printReasons(print, results, ends);

    const running = stack;
    const server = devServer;
    return {
      summary,
      uiUrl: devServer?.uiUrl,
      ingestUrl: stack.ingestUrl,
      async stop() {
        await running.stop();
        await server?.stop();
      },
    };
  } catch (error) {
    await stack?.stop().catch(() => undefined);
    await devServer?.stop().catch(() => undefined);
    throw error;
  }
}

function printReasons(
  print: (line: string) => void,
  results: Awaited<ReturnType<typeof postCalls>>,
  ends: Awaited<ReturnType<typeof awaitConversions>>,
): void {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const result of results) {
    if (result.outcome === 'skipped' || result.outcome === 'rejected') {
      add(
        `${result.outcome} at ingest: ${result.reason?.code ?? result.errors?.[0]?.code ?? 'invalid'}`,
      );
    }
  }
  for (const end of ends)
    if (end.status !== 'sent') add(`${end.status} in workflow: ${end.reason?.code}`);
  for (const [key, count] of [...counts].sort()) print(`  ${key}: ${count}`);
}
