import { parseMappingConfig } from '../../src/config/mapping';
import { startStack, type Stack } from '../../src/demo/stack';
import { awaitConversions, postCalls, type ConversionEnd } from '../../src/demo/traffic';
import { generateDay, type GeneratedCall } from '../../src/generator';
import type { CallResult } from '../../src/ingest/types';
import { HASHED_USER_DATA_KEYS } from '../../src/meta/types';

/** The generated day ends here; every component's clock is pinned to it. */
const DAY_END = new Date('2026-12-01T12:00:00Z');

describe('a generated day through ingest, Temporal, the worker and the emulator', () => {
  let stack: Stack;
  let calls: GeneratedCall[];
  let results: CallResult[];
  const ends = new Map<string, ConversionEnd>();

  beforeAll(async () => {
    stack = await startStack({
      temporalAddress: process.env.TEMPORAL_TEST_ADDRESS!,
      taskQueue: `pipeline-day-${process.pid}-${Date.now()}`,
      clock: () => DAY_END,
      // PageView is off by default; the generated day counts page calls as sends.
      mapping: parseMappingConfig({ events: { page: { enabled: true } } }),
    });
    calls = generateDay({ seed: 42, customers: 200, calls: 2000, end: DAY_END });
    results = await postCalls(
      stack,
      calls.map((call) => call.body),
      { batchSize: 50 },
    );
    const workflowIds = results.flatMap((result) =>
      result.workflowId && result.outcome === 'started' ? [result.workflowId] : [],
    );
    for (const end of await awaitConversions(stack.starter.client, workflowIds))
      ends.set(end.workflowId, end);
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
  });

  test('every call gets its expected outcome', () => {
    // Copies of one call in one batch start concurrently, so any copy may be the one that runs:
    // compare the outcomes of each messageId as a sorted list.
    const expected = new Map<string, string[]>();
    const actual = new Map<string, string[]>();
    calls.forEach((call, index) => {
      const messageId = JSON.stringify(call.body.messageId ?? `#${index}`);
      expected.set(messageId, [...(expected.get(messageId) ?? []), describeExpected(call)]);
      actual.set(messageId, [
        ...(actual.get(messageId) ?? []),
        describeActual(results[index]!, ends),
      ]);
    });

    const mismatches: string[] = [];
    for (const [messageId, outcomes] of expected) {
      const want = [...outcomes].sort().join(' | ');
      const got = [...(actual.get(messageId) ?? [])].sort().join(' | ');
      if (want !== got) mismatches.push(`${messageId}: expected ${want}, got ${got}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('each sent event reaches Meta exactly once', () => {
    const accepted = stack.emulator.store.events();
    const sends = calls.filter((call) => call.expect.outcome === 'send');
    expect(accepted).toHaveLength(sends.length);
    expect(accepted.filter((event) => event.duplicate)).toEqual([]);

    const requestsByEventId = stack.emulator.store.summary().requestsByEventId;
    for (const call of sends) {
      if (call.expect.outcome !== 'send') continue;
      expect(requestsByEventId[call.expect.eventId]).toBe(1);
    }
  });

  test('redeliveries are answered as duplicates', () => {
    const duplicates = calls.filter((call) => call.expect.outcome === 'duplicate').length;
    expect(duplicates).toBeGreaterThan(0);
    expect(results.filter((result) => result.outcome === 'duplicate')).toHaveLength(duplicates);
  });

  test('hashed identifiers are SHA-256 hex only', () => {
    const offenders: string[] = [];
    for (const { event } of stack.emulator.store.events()) {
      for (const key of HASHED_USER_DATA_KEYS) {
        const value = event.user_data[key];
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) {
          if (!/^[0-9a-f]{64}$/.test(item)) offenders.push(`${event.event_id} ${key}=${item}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  test('no raw email reaches Meta', () => {
    const payloads = JSON.stringify(
      stack.emulator.store.events().map((accepted) => accepted.event),
    );
    expect(payloads).not.toMatch(/@example\.(com|org|net)/);
  });
});

function describeExpected(call: GeneratedCall): string {
  const expected = call.expect;
  switch (expected.outcome) {
    case 'send':
      return `sent ${expected.metaEvent} ${expected.eventId}`;
    case 'duplicate':
      return 'duplicate';
    case 'skip':
      return expected.reason === 'identify_call' ? 'profile_updated' : `skipped ${expected.reason}`;
    case 'reject':
      return `rejected ${expected.reason}`;
  }
}

function describeActual(result: CallResult, ends: Map<string, ConversionEnd>): string {
  switch (result.outcome) {
    case 'started': {
      const end = ends.get(result.workflowId!);
      if (end?.status === 'sent') {
        const [, , metaEvent, ...eventId] = result.workflowId!.split(':');
        return `sent ${metaEvent} ${eventId.join(':')}`;
      }
      return `rejected ${end?.reason?.code ?? end?.status}`;
    }
    case 'rejected':
      return 'rejected invalid_call';
    case 'skipped':
      return `skipped ${result.reason?.code}`;
    default:
      return result.outcome;
  }
}
