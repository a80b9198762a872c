import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFaultsFile, startEmulator, type RunningEmulator } from '../../src/emulator';
import { NOW, OTHER_PIXEL_ID, PIXEL_ID, TOKEN, postEvents, send, validEvent } from './helpers';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({
    pixels: { [PIXEL_ID]: [TOKEN], [OTHER_PIXEL_ID]: [TOKEN] },
    now: NOW,
  });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await send('POST', `${emulator.url}/_emulator/reset`);
});

const addFaults = (faults: unknown) =>
  send('POST', `${emulator.url}/_emulator/faults`, { json: faults });

const throttledBody = {
  error: {
    message: 'User request limit reached',
    type: 'OAuthException',
    code: 17,
    fbtrace_id: 'AbCdEf012350',
  },
};

describe('emulator faults', () => {
  test('raw error body', async () => {
    await addFaults({ body: throttledBody });
    const faulted = await postEvents(emulator.url, [validEvent()]);
    const next = await postEvents(emulator.url, [validEvent()]);

    expect(faulted.status).toBe(400);
    expect(faulted.json).toEqual(throttledBody);
    expect(next.status).toBe(200);
    expect(emulator.store.events()).toHaveLength(1);
  });

  test('partial error filled in', async () => {
    await addFaults({ error: { code: 2, is_transient: true }, status: 500 });
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(answer.status).toBe(500);
    expect(answer.json.error).toEqual({
      message: 'Scripted error',
      type: 'OAuthException',
      code: 2,
      is_transient: true,
      fbtrace_id: expect.any(String),
    });
  });

  test('status without body', async () => {
    await addFaults({ status: 503 });
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(answer.status).toBe(503);
    expect(answer.text).toBe('');
  });

  test('stock HTML page', async () => {
    await addFaults({ html: true });
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(answer.status).toBe(502);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(answer.text).toContain('502 Bad Gateway');
  });

  test('custom HTML page and status', async () => {
    await addFaults({ html: '<html><body>blocked</body></html>', status: 403 });
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(answer.status).toBe(403);
    expect(answer.text).toBe('<html><body>blocked</body></html>');
  });

  test('events_received mismatch', async () => {
    await addFaults({ eventsReceived: 0 });
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(answer.status).toBe(200);
    expect(answer.json.events_received).toBe(0);
    expect(emulator.store.events()).toHaveLength(0);
  });

  test('delay keeps normal answer', async () => {
    await addFaults({ delayMs: 50 });
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(answer.status).toBe(200);
    expect(emulator.store.events()).toHaveLength(1);
    expect(emulator.store.summary().faultedRequests).toBe(0);
  });

  test('Retry-After header', async () => {
    await addFaults({ body: throttledBody, retryAfterSeconds: 30 });
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(answer.headers['retry-after']).toBe('30');
  });

  test('business use case header', async () => {
    await addFaults({ error: { code: 80004 }, regainAccessMinutes: 7 });
    const answer = await postEvents(emulator.url, [validEvent()]);
    const usage = JSON.parse(answer.headers['x-business-use-case-usage'] as string) as object;
    const entries = Object.values(usage)[0] as Array<Record<string, unknown>>;

    expect(answer.json.error.code).toBe(80004);
    expect(entries[0]!.estimated_time_to_regain_access).toBe(7);
  });

  test('headers on normal answer', async () => {
    await addFaults({ headers: { 'x-app-usage': '{"call_count":95}' } });
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(answer.status).toBe(200);
    expect(answer.headers['x-app-usage']).toBe('{"call_count":95}');
  });

  test('times repeats the fault', async () => {
    await addFaults({ faults: [{ body: throttledBody, times: 2 }] });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await postEvents(emulator.url, [validEvent()])).status);
    }

    expect(statuses).toEqual([400, 400, 200]);
    expect(emulator.store.summary().faultedRequests).toBe(2);
    expect(emulator.store.summary().requestsByEventId).toEqual({ 'order-1001': 3 });
  });

  test('queue is consumed in order', async () => {
    await addFaults([{ status: 500 }, { error: { code: 1 } }]);
    const first = await postEvents(emulator.url, [validEvent()]);
    const second = await postEvents(emulator.url, [validEvent()]);

    expect(first.status).toBe(500);
    expect(second.json.error.code).toBe(1);
  });

  test('match by pixel', async () => {
    await addFaults({ match: { pixelId: OTHER_PIXEL_ID }, status: 500 });
    const untouched = await postEvents(emulator.url, [validEvent()]);
    const matched = await postEvents(emulator.url, [validEvent()], { pixelId: OTHER_PIXEL_ID });

    expect(untouched.status).toBe(200);
    expect(matched.status).toBe(500);
  });

  test('match by event name', async () => {
    await addFaults({ match: { eventName: 'Lead' }, status: 500 });
    const purchase = await postEvents(emulator.url, [validEvent()]);
    const lead = await postEvents(emulator.url, [
      validEvent({ event_name: 'Lead', custom_data: {} }),
    ]);

    expect(purchase.status).toBe(200);
    expect(lead.status).toBe(500);
  });

  test('list and clear faults', async () => {
    await addFaults([{ status: 500 }, { status: 502, times: 3 }]);
    const listed = await send('GET', `${emulator.url}/_emulator/faults`);
    await send('DELETE', `${emulator.url}/_emulator/faults`);
    const answer = await postEvents(emulator.url, [validEvent()]);

    expect(listed.json.faults).toHaveLength(2);
    expect(listed.json.faults[1].times).toBe(3);
    expect(answer.status).toBe(200);
  });

  test('invalid fault rejected', async () => {
    const answer = await addFaults({ html: true, body: {}, times: 0 });

    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('INVALID_FAULTS');
    expect(answer.json.message).toContain('times');
  });

  test('summary counts faulted requests', async () => {
    await addFaults({ error: { code: 190, error_subcode: 460 } });
    await postEvents(emulator.url, [validEvent()]);
    const requests = emulator.store.requests();

    expect(requests[0]!.fault).toBe(true);
    expect(requests[0]!.error).toBe('190/460');
    expect(emulator.store.summary().rejectedRequests).toEqual({});
  });
});

describe('emulator startup faults', () => {
  test('faults file is queued', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'emulator-faults-'));
    const file = path.join(directory, 'faults.json');
    writeFileSync(
      file,
      JSON.stringify({ faults: [{ error: { code: 17 }, retryAfterSeconds: 5 }] }),
    );
    const started = await startEmulator({
      pixels: { [PIXEL_ID]: [TOKEN] },
      now: NOW,
      faults: readFaultsFile(file),
    });
    try {
      const answer = await postEvents(started.url, [validEvent()]);

      expect(answer.json.error.code).toBe(17);
      expect(answer.headers['retry-after']).toBe('5');
    } finally {
      await started.close();
    }
  });

  test('invalid faults file', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'emulator-faults-'));
    const file = path.join(directory, 'faults.json');
    writeFileSync(file, JSON.stringify([{ delay: 5 }]));

    expect(() => readFaultsFile(file)).toThrow(/Invalid faults/);
  });
});

describe('emulator latency', () => {
  test('latency keeps answers', async () => {
    const slow = await startEmulator({ pixels: { [PIXEL_ID]: [TOKEN] }, now: NOW, latencyMs: 20 });
    try {
      const answer = await postEvents(slow.url, [validEvent()]);

      expect(answer.status).toBe(200);
    } finally {
      await slow.close();
    }
  });
});
