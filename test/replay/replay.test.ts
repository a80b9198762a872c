import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { PassThrough } from 'node:stream';
import { replayCommand } from '../../src/cli/replay';
import { DEMO_PIXEL_ID, startStack, type Stack } from '../../src/demo/stack';
import { awaitConversions, postCalls } from '../../src/demo/traffic';
import { parseFaults } from '../../src/emulator';
import {
  buildReplayQuery,
  formatCandidateLine,
  formatSummaryJson,
  runReplay,
  type ReplayFilters,
} from '../../src/replay';

const NOW = new Date('2026-12-01T12:00:00Z');
const EVENT_TIME = '2026-12-01T11:00:00.000Z';
/** Eight days after the events, past Meta's 7-day window. */
const EIGHT_DAYS_LATER = new Date('2026-12-09T11:00:00Z');

/** Order ids unique to this run, because other test files share the Temporal server. */
const TAG = `rp${Date.now().toString(36)}`;

function purchase(orderId: string): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: `msg-${orderId}`,
    timestamp: EVENT_TIME,
    userId: `cust-${orderId}`,
    context: {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Macintosh)',
      page: { url: 'https://shop.example.com/checkout' },
      traits: { email: `buyer-${orderId}@example.com` },
    },
    properties: { order_id: orderId, revenue: 68, currency: 'USD' },
  };
}

function workflowIdOf(orderId: string): string {
  return `conversion:${DEMO_PIXEL_ID}:Purchase:${orderId}`;
}

/** Only this stack's conversions: each stack runs on a task queue of its own. */
function scopedTo(stack: Stack, filters: ReplayFilters = {}): ReplayFilters {
  return { ...filters, query: `TaskQueue = "${stack.settings.temporal.taskQueue}"` };
}

/** Polls the visibility list until it returns `expected` executions: it lags behind the workflows. */
async function waitForListed(client: Client, query: string, expected: number): Promise<void> {
  let listed = -1;
  for (let tries = 0; tries < 150; tries++) {
    listed = 0;
    for await (const execution of client.workflow.list({ query })) {
      if (execution.workflowId) listed += 1;
    }
    if (listed === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`visibility listed ${listed} executions for ${query}, expected ${expected}`);
}

/** Runs `cio-capi replay` in this process with a settings file for the stack; returns its output. */
async function runCommand(
  stack: Stack,
  args: string[],
  options: { terminal?: boolean } = {},
): Promise<{ stdout: string; stderr: string }> {
  const configPath = path.join(
    mkdtempSync(path.join(tmpdir(), 'cio-capi-replay-')),
    'settings.json',
  );
  writeFileSync(
    configPath,
    JSON.stringify({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS,
      taskQueue: stack.settings.temporal.taskQueue,
    }),
  );
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  // cli-progress draws its bar only on a stream that calls itself a terminal.
  if (options.terminal) Object.assign(stderr, { isTTY: true });
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));

  const command = replayCommand({
    stdin: new PassThrough(),
    stdout,
    stderr,
    setExitCode: () => {},
  });
  await command.parseAsync(
    [
      '--config',
      configPath,
      '--query',
      `TaskQueue = "${stack.settings.temporal.taskQueue}"`,
      '--now',
      NOW.toISOString(),
      ...args,
    ],
    { from: 'user' },
  );
  return {
    stdout: Buffer.concat(chunks.stdout).toString('utf8'),
    stderr: Buffer.concat(chunks.stderr).toString('utf8'),
  };
}

async function runIdOf(client: Client, workflowId: string): Promise<string> {
  return (await client.workflow.getHandle(workflowId).describe()).runId;
}

describe('replay of rejected conversions', () => {
  const rejectedOrders = [`${TAG}-1`, `${TAG}-2`, `${TAG}-3`];
  const sentOrder = `${TAG}-4`;
  let stack: Stack;
  let client: Client;
  let firstRunIds: string[];

  beforeAll(async () => {
    stack = await startStack({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS!,
      taskQueue: `replay-${process.pid}-${Date.now()}`,
      clock: () => NOW,
    });
    client = stack.starter.client;

    stack.emulator.faults.add(
      parseFaults([{ error: { code: 100, error_subcode: 2804010 }, times: 3 }]),
    );
    const results = await postCalls(stack, rejectedOrders.map(purchase));
    const ends = await awaitConversions(
      client,
      results.map((result) => result.workflowId!),
    );
    expect(ends.map((end) => end.status)).toEqual(['rejected', 'rejected', 'rejected']);

    const [sent] = await postCalls(stack, [purchase(sentOrder)]);
    const [sentEnd] = await awaitConversions(client, [sent!.workflowId!]);
    expect(sentEnd!.status).toBe('sent');

    await waitForListed(client, buildReplayQuery(scopedTo(stack)), 3);
    firstRunIds = await Promise.all(
      rejectedOrders.map((orderId) => runIdOf(client, workflowIdOf(orderId))),
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test('rejected sends carry search attributes', async () => {
    for (const orderId of rejectedOrders) {
      const description = await client.workflow.getHandle(workflowIdOf(orderId)).describe();
      expect(description.status.name).toBe('FAILED');
      expect(description.searchAttributes.DeliveryStatus).toEqual(['rejected']);
      expect(description.searchAttributes.ReasonCode).toEqual(['meta_100_2804010']);
      expect(description.searchAttributes.EventTime).toEqual([new Date(EVENT_TIME)]);
    }
  });

  test('dry run lists without changing', async () => {
    const requestsBefore = stack.emulator.store.requests().length;
    const report = await runReplay(client, {
      filters: scopedTo(stack),
      taskQueue: stack.settings.temporal.taskQueue,
      now: NOW,
      dryRun: true,
    });

    expect(
      report.results.map((result) => formatCandidateLine(result.candidate, result.outcome)),
    ).toEqual(
      rejectedOrders.map((orderId) =>
        [
          workflowIdOf(orderId),
          'Purchase',
          'rejected',
          'meta_100_2804010',
          EVENT_TIME,
          'would_replay',
        ].join('\t'),
      ),
    );
    expect(report.counts).toEqual({
      selected: 3,
      replayed: 0,
      signalled: 0,
      skippedTooOld: 0,
      alreadyRunning: 0,
    });
    expect(formatSummaryJson(report)).toBe(
      '{"replay":{"dryRun":true,"selected":3,"replayed":0,"signalled":0,"skippedTooOld":0,"alreadyRunning":0}}',
    );
    expect(stack.emulator.store.requests()).toHaveLength(requestsBefore);
    for (const [index, orderId] of rejectedOrders.entries()) {
      expect(await runIdOf(client, workflowIdOf(orderId))).toBe(firstRunIds[index]);
    }
  });

  test('command dry run prints the list', async () => {
    const requestsBefore = stack.emulator.store.requests().length;
    const { stdout, stderr } = await runCommand(stack, ['--dry-run']);

    expect(stdout.split('\n')).toEqual([
      ...rejectedOrders.map((orderId) =>
        [
          workflowIdOf(orderId),
          'Purchase',
          'rejected',
          'meta_100_2804010',
          EVENT_TIME,
          'would_replay',
        ].join('\t'),
      ),
      "Dry run: 3 selected: 3 would be started again, 0 would get the retrySend signal, 0 are past Meta's 7-day window. Nothing was changed.",
      '{"replay":{"dryRun":true,"selected":3,"replayed":0,"signalled":0,"skippedTooOld":0,"alreadyRunning":0}}',
      '',
    ]);
    expect(stderr).toBe('');
    expect(stack.emulator.store.requests()).toHaveLength(requestsBefore);
  });

  test('events past the window are skipped', async () => {
    const requestsBefore = stack.emulator.store.requests().length;
    const report = await runReplay(client, {
      filters: scopedTo(stack),
      taskQueue: stack.settings.temporal.taskQueue,
      now: EIGHT_DAYS_LATER,
    });

    expect(report.counts).toEqual({
      selected: 3,
      replayed: 0,
      signalled: 0,
      skippedTooOld: 3,
      alreadyRunning: 0,
    });
    expect(report.results.map((result) => result.outcome)).toEqual([
      'skipped_too_old',
      'skipped_too_old',
      'skipped_too_old',
    ]);
    expect(stack.emulator.store.requests()).toHaveLength(requestsBefore);
    for (const [index, orderId] of rejectedOrders.entries()) {
      expect(await runIdOf(client, workflowIdOf(orderId))).toBe(firstRunIds[index]);
    }
  });

  test('quoted filter value stays a value', async () => {
    const report = await runReplay(client, {
      filters: scopedTo(stack, { reasonCode: 'x" OR DeliveryStatus = "rejected' }),
      taskQueue: stack.settings.temporal.taskQueue,
      now: NOW,
    });
    expect(report.counts.selected).toBe(0);
  });

  test('replay sends each event once', async () => {
    const report = await runReplay(client, {
      filters: scopedTo(stack),
      taskQueue: stack.settings.temporal.taskQueue,
      now: NOW,
    });
    expect(report.counts).toEqual({
      selected: 3,
      replayed: 3,
      signalled: 0,
      skippedTooOld: 0,
      alreadyRunning: 0,
    });

    const ends = await awaitConversions(client, rejectedOrders.map(workflowIdOf));
    expect(ends.map((end) => end.status)).toEqual(['sent', 'sent', 'sent']);
    for (const [index, orderId] of rejectedOrders.entries()) {
      const accepted = stack.emulator.store.events({ eventId: orderId });
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.event.event_id).toBe(orderId);
      expect(accepted[0]!.duplicate).toBe(false);

      const description = await client.workflow.getHandle(workflowIdOf(orderId)).describe();
      expect(description.runId).not.toBe(firstRunIds[index]);
      expect(description.status.name).toBe('COMPLETED');
      expect(description.searchAttributes.DeliveryStatus).toEqual(['sent']);
      expect(description.searchAttributes.MetaEvent).toEqual(['Purchase']);
      expect(description.searchAttributes.EventTime).toEqual([new Date(EVENT_TIME)]);
    }
    expect(stack.emulator.store.summary().requestsByEventId[sentOrder]).toBe(1);
  });

  test('second replay selects nothing', async () => {
    const requestsBefore = stack.emulator.store.requests().length;
    const { stdout, stderr } = await runCommand(stack, []);

    expect(stdout.split('\n')).toEqual([
      "Replay: 0 selected: 0 started again, 0 got the retrySend signal, 0 skipped as past Meta's 7-day window, 0 already had a newer run.",
      '{"replay":{"selected":0,"replayed":0,"signalled":0,"skippedTooOld":0,"alreadyRunning":0}}',
      '',
    ]);
    expect(stderr).toBe('replay: 0 conversions selected\n');
    expect(stack.emulator.store.requests()).toHaveLength(requestsBefore);
    expect(stack.emulator.store.summary().acceptedEvents).toBe(4);
  });
});

describe('replay of held sends', () => {
  const orderId = `${TAG}-held`;
  let stack: Stack;
  let tokenFile: string;

  beforeAll(async () => {
    tokenFile = path.join(mkdtempSync(path.join(tmpdir(), 'cio-capi-replay-')), 'token');
    writeFileSync(tokenFile, 'expired-token\n');
    stack = await startStack({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS!,
      taskQueue: `replay-held-${process.pid}-${Date.now()}`,
      clock: () => NOW,
      accessToken: { kind: 'file', path: tokenFile },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test('held send is signalled once fixed', async () => {
    const client = stack.starter.client;
    const [result] = await postCalls(stack, [purchase(orderId)]);
    expect(result!.workflowId).toBe(workflowIdOf(orderId));
    const heldFilters = scopedTo(stack, { statuses: ['held'] });
    await waitForListed(client, buildReplayQuery(heldFilters), 1);

    const failedOnly = await runReplay(client, {
      filters: scopedTo(stack),
      taskQueue: stack.settings.temporal.taskQueue,
      now: NOW,
    });
    expect(failedOnly.counts.selected).toBe(0);

    writeFileSync(tokenFile, 'rotated-token\n');
    stack.emulator.setTokens(DEMO_PIXEL_ID, ['rotated-token']);
    const { stdout, stderr } = await runCommand(stack, ['--status', 'held'], { terminal: true });
    expect(stdout.split('\n')).toEqual([
      [workflowIdOf(orderId), 'Purchase', 'held', 'meta_190_467', EVENT_TIME, 'signalled'].join(
        '\t',
      ),
      "Replay: 1 selected: 0 started again, 1 got the retrySend signal, 0 skipped as past Meta's 7-day window, 0 already had a newer run.",
      '{"replay":{"selected":1,"replayed":0,"signalled":1,"skippedTooOld":0,"alreadyRunning":0}}',
      '',
    ]);
    expect(stderr).toContain('replay [');
    expect(stderr).toContain('] 1/1 conversions');

    const [end] = await awaitConversions(client, [workflowIdOf(orderId)]);
    expect(end!.status).toBe('sent');
    expect(stack.emulator.store.events({ eventId: orderId })).toHaveLength(1);
  });
});
