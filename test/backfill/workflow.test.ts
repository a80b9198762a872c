import { parseFaults } from '../../src/emulator';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { prepareBackfill } from '../../src/backfill/prepare';
import { BackfillStoppedError, runBackfill } from '../../src/backfill/run';
import { chunkPath } from '../../src/backfill/spool';
import type { ChunkFile } from '../../src/backfill/types';
import { executeBackfill } from '../../src/cli/backfill';
import type { CommandIo } from '../../src/cli/preview';
import { loadMappingConfig } from '../../src/config/mapping';
import { DEMO_PIXEL_ID, startStack, type Stack } from '../../src/demo/stack';
import { generateHistorical, toNdjson } from '../../src/generator';

const NOW = new Date('2026-12-01T12:00:00Z');
const DAY_MS = 86_400_000;

/** Creates a CommandIo that keeps what the command writes. */
function captureIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.resume();
  const state = { exitCode: 0 };
  const io: CommandIo = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    setExitCode: (code) => (state.exitCode = code),
  };
  return { io, state, output: () => out };
}

/** Returns the byte size of every payload in a workflow history. */
function payloadSizes(value: unknown, sizes: number[] = []): number[] {
  if (value instanceof Uint8Array) {
    sizes.push(value.byteLength);
  } else if (Array.isArray(value)) {
    for (const item of value) payloadSizes(item, sizes);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) payloadSizes(item, sizes);
  }
  return sizes;
}

/** Returns one valid Order Completed call at `timestamp`. */
function purchase(orderId: string, timestamp: Date): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: `msg-${orderId}`,
    timestamp: timestamp.toISOString(),
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

describe('backfill workflow', () => {
  let stack: Stack;
  let folder: string;
  let spoolRoot: string;

  const writeInput = (name: string, text: string): string => {
    const file = path.join(folder, name);
    writeFileSync(file, text);
    return file;
  };

  const backfill = async (file: string, now = NOW) => {
    const capture = captureIo();
    const summary = await executeBackfill({
      file,
      settings: stack.settings,
      mapping: loadMappingConfig(undefined),
      now,
      spoolRoot,
      client: stack.starter.client,
      io: capture.io,
    });
    const lines = capture.output().trim().split('\n');
    const json = JSON.parse(lines.at(-1)!) as { backfill: typeof summary };
    return {
      summary,
      json: json.backfill,
      output: capture.output(),
      exitCode: capture.state.exitCode,
    };
  };

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'cio-capi-backfill-'));
    spoolRoot = path.join(folder, 'spool');
    stack = await startStack({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS!,
      taskQueue: `backfill-${process.pid}-${Date.now()}`,
      clock: () => NOW,
      requestTimeoutMs: 1_000,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  beforeEach(() => {
    stack.emulator.store.reset();
  });

  test('2,500 events in 3 requests', async () => {
    const file = writeInput(
      'day.ndjson',
      toNdjson(generateHistorical({ seed: 7, events: 2500, end: NOW })),
    );
    const { summary, json, exitCode } = await backfill(file);

    const emulator = stack.emulator.store.summary();
    expect(emulator.requests).toBe(3);
    expect(emulator.acceptedEvents).toBe(2500);
    expect(emulator.duplicates).toBe(0);
    expect(summary.calls).toBe(2500);
    expect(summary.events).toBe(2500);
    expect(summary.chunks).toBe(3);
    expect(summary.sent).toBe(2500);
    expect(summary.requests).toBe(3);
    expect(summary.alreadySent).toBe(0);
    expect(summary.rejectedByMeta).toBe(0);
    expect(json).toEqual(summary);
    expect(exitCode).toBe(0);

    // The events stay out of Temporal: every payload in the history is a small reference or count.
    const history = await stack.starter.client.workflow
      .getHandle(summary.workflowId)
      .fetchHistory();
    const sizes = payloadSizes(history);
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan(16 * 1024);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThan(512 * 1024);
  });

  test('timed-out batch is held, not resent', async () => {
    const calls = Array.from({ length: 20 }, (_, index) =>
      purchase(`timeout-${index}`, new Date(NOW.getTime() - DAY_MS)),
    );
    const file = writeInput('timeout.ndjson', calls.map((call) => JSON.stringify(call)).join('\n'));
    // Meta takes the batch after the client gave up, so the worker cannot know it arrived.
    stack.emulator.faults.add(parseFaults([{ delayMs: 1_500 }]));
    const { summary } = await backfill(file);

    const emulator = stack.emulator.store.summary();
    expect(emulator.acceptedEvents).toBe(20);
    expect(emulator.duplicates).toBe(0);
    expect(summary.sent).toBe(0);
    expect(summary.unconfirmed).toBe(20);
    expect(summary.alreadySent).toBe(0);
  });

  test('same file again sends nothing', async () => {
    const file = path.join(folder, 'day.ndjson');
    const { summary } = await backfill(file);

    expect(stack.emulator.store.summary().requests).toBe(0);
    expect(summary.sent).toBe(0);
    expect(summary.alreadySent).toBe(2500);
    expect(summary.requests).toBe(0);
  });

  test('bad event isolated by bisection', async () => {
    const file = writeInput(
      'bad.ndjson',
      toNdjson(generateHistorical({ seed: 8, events: 1000, end: NOW })),
    );
    const prepared = await prepareBackfill({
      file,
      pixelId: DEMO_PIXEL_ID,
      config: { mapping: loadMappingConfig(undefined) },
      now: NOW,
      spoolRoot,
    });
    expect(prepared.chunkCount).toBe(1);

    // An unhashed value in one event: Meta rejects the whole request with 100/2804016.
    const chunkFile = chunkPath(prepared.spool!.spoolDir, 0);
    const chunk = JSON.parse(readFileSync(chunkFile, 'utf8')) as ChunkFile;
    const bad = chunk.events[637]!;
    bad.user_data.em = 'not-a-sha256-digest';
    writeFileSync(chunkFile, JSON.stringify(chunk));

    const { progress } = await runBackfill(prepared, {
      client: stack.starter.client,
      taskQueue: stack.settings.temporal.taskQueue,
    });

    expect(progress.sent).toBe(999);
    expect(progress.rejected).toBe(1);
    expect(progress.rejectedEvents).toHaveLength(1);
    expect(progress.rejectedEvents[0]).toMatchObject({
      eventId: bad.event_id,
      eventName: bad.event_name,
      code: 100,
      subcode: 2804016,
    });
    const emulator = stack.emulator.store.summary();
    expect(emulator.acceptedEvents).toBe(999);
    expect(emulator.duplicates).toBe(0);
    expect(stack.emulator.store.events({ eventId: bad.event_id })).toHaveLength(0);
    // Every request that carried the bad event failed, one per bisection level: 1000 down to 1.
    expect(emulator.requestsByEventId[bad.event_id]).toBe(11);
    expect(emulator.rejectedRequests).toEqual({ '100/2804016': 11 });
    expect(progress.requests).toBe(emulator.requests);
  });

  test('old events counted as too old', async () => {
    // Mapped with --now two days back, so the worker's clock finds the 8-day-old calls too old,
    // while mapping itself finds the 10-day-old ones too old.
    const mappedAt = new Date(NOW.getTime() - 2 * DAY_MS);
    const calls = [
      ...['7101', '7102', '7103'].map((id) => purchase(id, new Date(NOW.getTime() - 3 * DAY_MS))),
      ...['7201', '7202'].map((id) => purchase(id, new Date(NOW.getTime() - 8 * DAY_MS))),
      ...['7301', '7302', '7303', '7304'].map((id) =>
        purchase(id, new Date(NOW.getTime() - 10 * DAY_MS)),
      ),
    ];
    const file = writeInput('old.ndjson', calls.map((call) => JSON.stringify(call)).join('\n'));
    const { summary, output } = await backfill(file, mappedAt);

    expect(summary.calls).toBe(9);
    expect(summary.events).toBe(5);
    expect(summary.sent).toBe(3);
    expect(summary.tooOld).toBe(6);
    expect(summary.rejectedAtMapping).toEqual({});
    expect(stack.emulator.store.summary().acceptedEvents).toBe(3);
    expect(output).toMatch(/skipped, older than Meta's window: +6\n/);
  });

  test('mapping outcomes counted by reason', async () => {
    const noCurrency = purchase('7401', new Date(NOW.getTime() - DAY_MS));
    delete (noCurrency.properties as Record<string, unknown>).currency;
    const calls = [
      purchase('7402', new Date(NOW.getTime() - DAY_MS)),
      purchase('7402', new Date(NOW.getTime() - DAY_MS)),
      noCurrency,
      { type: 'identify', userId: 'cust-1', messageId: 'id-1', timestamp: NOW.toISOString() },
    ];
    const file = writeInput('mixed.ndjson', calls.map((call) => JSON.stringify(call)).join('\n'));
    const { summary } = await backfill(file);

    expect(summary.sent).toBe(1);
    expect(summary.duplicatesInFile).toBe(1);
    expect(stack.emulator.store.events({ eventId: '7402' })).toHaveLength(1);
    expect(summary.rejectedAtMapping).toEqual({ missing_currency: 1 });
    expect(summary.skippedAtMapping).toEqual({ identify_call: 1 });
  });

  test('bad token stops the backfill', async () => {
    const token = stack.settings.meta.accessToken;
    if (token.kind !== 'value') throw new Error('the stack token is expected inline');
    stack.emulator.setTokens(DEMO_PIXEL_ID, ['a-different-token']);
    try {
      const file = writeInput(
        'token.ndjson',
        toNdjson(generateHistorical({ seed: 9, events: 20, end: NOW })),
      );
      const capture = captureIo();
      const run = executeBackfill({
        file,
        settings: stack.settings,
        mapping: loadMappingConfig(undefined),
        now: NOW,
        spoolRoot,
        client: stack.starter.client,
        io: capture.io,
      });
      await expect(run).rejects.toBeInstanceOf(BackfillStoppedError);
      await expect(run).rejects.toThrow(/^backfill stopped after 0 of 1 chunks: .*code 190/);
      await expect(run).rejects.toThrow(/Fix the token, the pixel id or its permissions/);
      expect(capture.state.exitCode).toBe(1);
      expect(stack.emulator.store.summary().requests).toBe(1);
      expect(stack.emulator.store.summary().acceptedEvents).toBe(0);
    } finally {
      stack.emulator.setTokens(DEMO_PIXEL_ID, [token.value]);
    }
  });

  test('continue-as-new keeps the counts', async () => {
    const file = writeInput(
      'long.ndjson',
      toNdjson(generateHistorical({ seed: 11, events: 2100, end: NOW })),
    );
    const prepared = await prepareBackfill({
      file,
      pixelId: DEMO_PIXEL_ID,
      config: { mapping: loadMappingConfig(undefined) },
      now: NOW,
      spoolRoot,
      limits: { maxEvents: 300 },
    });
    expect(prepared.chunkCount).toBe(7);

    const seen: number[] = [];
    const { progress, started } = await runBackfill(prepared, {
      client: stack.starter.client,
      taskQueue: stack.settings.temporal.taskQueue,
      concurrency: 2,
      chunksPerRun: 3,
      pollIntervalMs: 50,
      onProgress: (update) => seen.push(update.chunksDone),
    });

    expect(started).toBe(true);
    expect(progress.sent).toBe(2100);
    expect(progress.chunksDone).toBe(7);
    expect(progress.requests).toBe(7);
    expect(stack.emulator.store.summary().acceptedEvents).toBe(2100);
    expect(stack.emulator.store.summary().duplicates).toBe(0);
    expect(seen.at(-1)).toBe(7);
    const description = await stack.starter.client.workflow
      .getHandle(prepared.workflowId)
      .describe();
    expect(description.runId).not.toBe(description.raw.workflowExecutionInfo?.firstRunId);
  });

  test('spool folders are removed', () => {
    expect(readdirSync(spoolRoot)).toEqual([]);
  });

  test('dry run writes and sends nothing', async () => {
    const file = writeInput(
      'dry.ndjson',
      toNdjson(generateHistorical({ seed: 10, events: 1200, end: NOW })),
    );
    const capture = captureIo();
    const summary = await executeBackfill({
      file,
      settings: stack.settings,
      mapping: loadMappingConfig(undefined),
      now: NOW,
      spoolRoot: path.join(folder, 'dry-spool'),
      io: capture.io,
    });
    expect(summary.dryRun).toBe(true);
    expect(summary.events).toBe(1200);
    expect(summary.chunks).toBe(2);
    expect(summary.sent).toBe(0);
    expect(stack.emulator.store.summary().requests).toBe(0);
  });
});
