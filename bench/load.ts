import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'undici';
import { generateHistorical } from '../src/generator';
import { LOAD_CONFIG_ENV, type LoadConfig, type LoadResult } from './load-config';

/** Most failure messages kept in the result. */
const MAX_FAILURES_KEPT = 5;

/** One request's worth of work: returns the ids it started, or throws. */
type SendOne = () => Promise<string[]>;

/**
 * Runs the load process: sends generated Customer.io calls to the ingest server (or starts no-op
 * workflows) at a target rate or in closed loop, and writes what it measured to `resultPath`.
 * It runs apart from the servers, so its own CPU use does not count against them.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.env[LOAD_CONFIG_ENV] ?? '{}') as LoadConfig;
  const result: LoadResult = {
    startedAtMs: 0,
    endedAtMs: 0,
    requests: 0,
    acked: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    ackLatenciesMs: [],
    sendTimes: [],
  };

  const { sendOne, close } =
    config.mode === 'calls' ? callSender(config) : await baselineSender(config);

  const issue = async () => {
    const sentAtMs = Date.now();
    const started = performance.now();
    result.requests += 1;
    try {
      const ids = await sendOne();
      result.ackLatenciesMs.push(performance.now() - started);
      result.acked += ids.length;
      for (const id of ids) result.sendTimes.push([id, sentAtMs]);
    } catch (error) {
      result.failed += 1;
      if (result.failures.length < MAX_FAILURES_KEPT) result.failures.push(String(error));
    }
  };

  result.startedAtMs = Date.now();
  if (config.rate === undefined) await closedLoop(config, issue);
  else await openLoop(config, config.rate, issue, result);
  result.endedAtMs = Date.now();

  await close();
  writeFileSync(config.resultPath, JSON.stringify(result));
}

/** Keeps `concurrency` requests in flight until the duration ends. */
async function closedLoop(config: LoadConfig, issue: () => Promise<void>): Promise<void> {
  const deadline = performance.now() + config.durationMs;
  const lane = async () => {
    while (performance.now() < deadline) await issue();
  };
  await Promise.all(Array.from({ length: config.concurrency }, lane));
}

/**
 * Issues requests on a schedule of `rate / batchSize` per second, whatever the responses, so a slow
 * server shows as latency and skipped sends instead of a lower offered rate.
 */
async function openLoop(
  config: LoadConfig,
  rate: number,
  issue: () => Promise<void>,
  result: LoadResult,
): Promise<void> {
  const requestsPerMs = rate / config.batchSize / 1000;
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  let due = 0;
  let issued = 0;

  while (performance.now() - start < config.durationMs) {
    due = Math.floor((performance.now() - start) * requestsPerMs) + 1;
    while (issued < due) {
      issued += 1;
      if (inFlight.size >= config.concurrency) {
        result.skipped += config.batchSize;
        continue;
      }
      const request: Promise<void> = issue().finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
}

function callSender(config: LoadConfig): { sendOne: SendOne; close: () => Promise<void> } {
  const pool = new Pool(config.ingestUrl, { connections: config.concurrency });
  const expectedCalls = Math.ceil(((config.rate ?? 2000) * config.durationMs) / 1000) * 2 + 1000;
  const calls = generateHistorical({ seed: config.seed, events: expectedCalls, end: new Date() });

  const nextBody = (): { body: Record<string, unknown>; eventId: string } => {
    const next = calls.next();
    if (next.done) throw new Error(`the generator ran out after ${expectedCalls} calls`);
    const body = next.value.body;
    // Tag the ids, so the calls of each phase are new conversions on the same Temporal server.
    body.messageId = `${config.tag}-${String(body.messageId)}`;
    const properties = body.properties as Record<string, unknown>;
    if (body.event === 'Order Completed') {
      properties.order_id = `${config.tag}-${String(properties.order_id)}`;
      return { body, eventId: String(properties.order_id) };
    }
    return { body, eventId: String(body.messageId) };
  };

  const sendOne: SendOne = async () => {
    const batch = Array.from({ length: config.batchSize }, nextBody);
    const payload = config.batchSize === 1 ? batch[0]!.body : { batch: batch.map((b) => b.body) };
    const response = await pool.request({
      method: 'POST',
      path: '/v1/pipelines',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${config.ingestSecret}`,
      },
      body: JSON.stringify(payload),
    });
    const text = await response.body.text();
    if (response.statusCode !== 202) {
      throw new Error(`ingest returned HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
    }
    const reply = JSON.parse(text) as { results?: Array<{ index: number; outcome: string }> };
    const results = reply.results ?? [];
    return results
      .filter((entry) => entry.outcome === 'started')
      .map((entry) => batch[entry.index]!.eventId);
  };
  return { sendOne, close: () => pool.close() };
}

async function baselineSender(
  config: LoadConfig,
): Promise<{ sendOne: SendOne; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  let sequence = 0;

  const sendOne: SendOne = async () => {
    const workflowId = `${config.tag}-${sequence++}`;
    await client.workflow.start('baselineWorkflow', {
      taskQueue: config.taskQueue,
      workflowId,
      args: [],
    });
    return [workflowId];
  };
  return { sendOne, close: () => connection.close() };
}

main().catch((error: unknown) => {
  process.stderr.write(`load failed: ${String(error)}\n`);
  process.exit(1);
});
