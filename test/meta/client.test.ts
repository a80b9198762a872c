import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type FaultInput, type RunningEmulator } from '../../src/emulator';
import { computeAppSecretProof, GraphClient } from '../../src/meta/client';
import { MetaApiError, type GraphErrorKind } from '../../src/meta/errors';
import { NOW, NOW_SECONDS, PIXEL_ID, TOKEN, VERSION, validEvent } from '../emulator/helpers';

let emulator: RunningEmulator;
let client: GraphClient;

beforeAll(async () => {
  emulator = await startEmulator({ pixels: { [PIXEL_ID]: [TOKEN] }, now: NOW });
  client = new GraphClient({
    graphBaseUrl: emulator.url,
    graphApiVersion: VERSION,
    requestTimeoutMs: 2_000,
  });
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.store.reset();
  emulator.faults.clear();
});

/** Runs a send that must fail and returns its MetaApiError. */
async function sendFailing(
  target: GraphClient,
  events = [validEvent()],
  accessToken = TOKEN,
): Promise<MetaApiError> {
  try {
    await target.sendEvents({ pixelId: PIXEL_ID, events, accessToken });
  } catch (error) {
    if (error instanceof MetaApiError) return error;
    throw error;
  }
  throw new Error('sendEvents succeeded, expected a MetaApiError');
}

describe('GraphClient success', () => {
  test('returns success body', async () => {
    const body = await client.sendEvents({
      pixelId: PIXEL_ID,
      events: [validEvent({ event_id: 'a' }), validEvent({ event_id: 'b' })],
      accessToken: TOKEN,
      testEventCode: 'TEST42',
    });

    expect(body).toEqual({ events_received: 2, messages: [], fbtrace_id: expect.any(String) });
    expect(emulator.store.events().map((event) => event.eventId)).toEqual(['a', 'b']);
    expect(emulator.store.events()[0]!.testEventCode).toBe('TEST42');
  });

  test('appsecret_proof accepted', async () => {
    const guarded = await startEmulator({
      pixels: { [PIXEL_ID]: [TOKEN] },
      now: NOW,
      appSecret: 'app-secret',
    });
    const withProof = new GraphClient({
      graphBaseUrl: guarded.url,
      graphApiVersion: VERSION,
      appSecret: 'app-secret',
    });
    const withoutProof = new GraphClient({ graphBaseUrl: guarded.url, graphApiVersion: VERSION });
    try {
      const body = await withProof.sendEvents({
        pixelId: PIXEL_ID,
        events: [validEvent()],
        accessToken: TOKEN,
      });
      const error = await sendFailing(withoutProof);

      expect(body.events_received).toBe(1);
      expect(error.classification.kind).toBe('permanent');
      expect(error.classification.code).toBe(100);
    } finally {
      await withProof.close();
      await withoutProof.close();
      await guarded.close();
    }
  });
});

describe('GraphClient wire format', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url: string; body: string; socketId: number }> = [];
  let sockets = 0;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const socketId = (request.socket as unknown as { testId: number }).testId;
        seen.push({ url: request.url ?? '', body: Buffer.concat(chunks).toString(), socketId });
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ events_received: 1, messages: [], fbtrace_id: 'T1' }));
      });
    });
    server.on('connection', (socket) => {
      sockets += 1;
      (socket as unknown as { testId: number }).testId = sockets;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graph`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('token only in JSON body', async () => {
    const wire = new GraphClient({
      graphBaseUrl: baseUrl,
      graphApiVersion: VERSION,
      appSecret: 's3',
    });
    try {
      await wire.sendEvents({ pixelId: PIXEL_ID, events: [validEvent()], accessToken: TOKEN });
      const last = seen[seen.length - 1]!;
      const body = JSON.parse(last.body);

      expect(last.url).toBe(`/graph/${VERSION}/${PIXEL_ID}/events`);
      expect(body.access_token).toBe(TOKEN);
      expect(body.appsecret_proof).toBe(computeAppSecretProof(TOKEN, 's3'));
      expect(body.test_event_code).toBeUndefined();
      expect(body.data).toHaveLength(1);
    } finally {
      await wire.close();
    }
  });

  test('reuses one connection', async () => {
    // One connection at most, so a second socket would mean the first was not kept alive.
    const wire = new GraphClient({
      graphBaseUrl: baseUrl,
      graphApiVersion: VERSION,
      connections: 1,
    });
    try {
      const before = seen.length;
      for (let call = 0; call < 3; call += 1) {
        await wire.sendEvents({ pixelId: PIXEL_ID, events: [validEvent()], accessToken: TOKEN });
      }
      const socketIds = new Set(seen.slice(before).map((request) => request.socketId));

      expect(socketIds.size).toBe(1);
    } finally {
      await wire.close();
    }
  });
});

describe('GraphClient classification', () => {
  interface FaultCase {
    name: string;
    fault: FaultInput;
    kind: GraphErrorKind;
    code: string;
    metaCode: number;
    subcode?: number;
  }

  const faultCases: FaultCase[] = [
    {
      name: 'is_transient error',
      fault: { error: { code: 2, is_transient: true }, status: 500 },
      kind: 'transient',
      code: 'META_TRANSIENT',
      metaCode: 2,
    },
    {
      name: 'code 1',
      fault: { error: { code: 1 } },
      kind: 'transient',
      code: 'META_TRANSIENT',
      metaCode: 1,
    },
    {
      name: 'code 21009',
      fault: { error: { code: 21009 } },
      kind: 'transient',
      code: 'META_TRANSIENT',
      metaCode: 21009,
    },
    {
      name: 'HTTP 503 empty',
      fault: { status: 503 },
      kind: 'transient',
      code: 'META_TRANSIENT',
      metaCode: 0,
    },
    {
      name: 'code 4',
      fault: { error: { code: 4 } },
      kind: 'throttled',
      code: 'META_THROTTLED',
      metaCode: 4,
    },
    {
      name: 'code 17/2446079',
      fault: { error: { code: 17, error_subcode: 2446079 } },
      kind: 'throttled',
      code: 'META_THROTTLED',
      metaCode: 17,
      subcode: 2446079,
    },
    {
      name: 'code 32',
      fault: { error: { code: 32 } },
      kind: 'throttled',
      code: 'META_THROTTLED',
      metaCode: 32,
    },
    {
      name: 'code 613/1487742',
      fault: { error: { code: 613, error_subcode: 1487742 } },
      kind: 'throttled',
      code: 'META_THROTTLED',
      metaCode: 613,
      subcode: 1487742,
    },
    {
      name: 'code 80003',
      fault: { error: { code: 80003 } },
      kind: 'throttled',
      code: 'META_THROTTLED',
      metaCode: 80003,
    },
    {
      name: 'code 341',
      fault: { error: { code: 341 } },
      kind: 'app_limited',
      code: 'META_APP_LIMITED',
      metaCode: 341,
    },
    {
      name: 'code 368',
      fault: { error: { code: 368 } },
      kind: 'app_limited',
      code: 'META_APP_LIMITED',
      metaCode: 368,
    },
    {
      name: 'code 100/2804009',
      fault: { error: { code: 100, error_subcode: 2804009 } },
      kind: 'permanent',
      code: 'META_PERMANENT',
      metaCode: 100,
      subcode: 2804009,
    },
    {
      name: 'code 100/2804010',
      fault: { error: { code: 100, error_subcode: 2804010 } },
      kind: 'permanent',
      code: 'META_PERMANENT',
      metaCode: 100,
      subcode: 2804010,
    },
    {
      name: 'code 100/2804050',
      fault: { error: { code: 100, error_subcode: 2804050 } },
      kind: 'permanent',
      code: 'META_PERMANENT',
      metaCode: 100,
      subcode: 2804050,
    },
    {
      name: 'code 100/2804001',
      fault: { error: { code: 100, error_subcode: 2804001 } },
      kind: 'permanent',
      code: 'META_PERMANENT',
      metaCode: 100,
      subcode: 2804001,
    },
    {
      name: 'code 100 plain',
      fault: { error: { code: 100 } },
      kind: 'permanent',
      code: 'META_PERMANENT',
      metaCode: 100,
    },
    {
      name: 'code 190/460',
      fault: { error: { code: 190, error_subcode: 460 }, status: 401 },
      kind: 'configuration',
      code: 'META_CONFIGURATION',
      metaCode: 190,
      subcode: 460,
    },
    {
      name: 'code 10',
      fault: { error: { code: 10 }, status: 403 },
      kind: 'configuration',
      code: 'META_CONFIGURATION',
      metaCode: 10,
    },
    {
      name: 'code 200',
      fault: { error: { code: 200 }, status: 403 },
      kind: 'configuration',
      code: 'META_CONFIGURATION',
      metaCode: 200,
    },
    {
      name: 'code 3',
      fault: { error: { code: 3 } },
      kind: 'configuration',
      code: 'META_CONFIGURATION',
      metaCode: 3,
    },
  ];

  test.each(faultCases)('$name is $kind', async ({ fault, kind, code, metaCode, subcode }) => {
    emulator.faults.add([{ times: 1, ...fault }]);
    const error = await sendFailing(client);

    expect(error.code).toBe(code);
    expect(error.classification.kind).toBe(kind);
    expect(error.classification.code).toBe(metaCode);
    expect(error.classification.subcode).toBe(subcode);
    expect(error.message).not.toContain(TOKEN);
  });

  test('event too old', async () => {
    const error = await sendFailing(client, [validEvent({ event_time: NOW_SECONDS - 8 * 86_400 })]);

    expect(error.code).toBe('META_PERMANENT');
    expect(error.classification.subcode).toBe(2804003);
    expect(error.classification.fbtraceId).toEqual(expect.any(String));
  });

  test('unhashed user data', async () => {
    const error = await sendFailing(client, [validEvent({ user_data: { em: 'a@example.com' } })]);

    expect(error.code).toBe('META_PERMANENT');
    expect(error.classification.subcode).toBe(2804016);
  });

  test('unknown pixel', async () => {
    emulator.setTokens('777777', []);
    try {
      await client.sendEvents({ pixelId: '777777', events: [validEvent()], accessToken: TOKEN });
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(MetaApiError);
      expect((error as MetaApiError).code).toBe('META_CONFIGURATION');
      expect((error as MetaApiError).classification.subcode).toBe(33);
    }
  });

  test('bad token', async () => {
    const error = await sendFailing(client, [validEvent()], 'EAAsecret-bad-token');

    expect(error.code).toBe('META_CONFIGURATION');
    expect(error.classification.code).toBe(190);
    expect(error.message).not.toContain('EAAsecret-bad-token');
    expect(JSON.stringify(error.classification)).not.toContain('EAAsecret-bad-token');
  });

  test('Retry-After sets retryAfterMs', async () => {
    emulator.faults.add([{ times: 1, error: { code: 17 }, retryAfterSeconds: 45 }]);
    const error = await sendFailing(client);

    expect(error.classification.retryAfterMs).toBe(45_000);
  });

  test('usage header sets retryAfterMs', async () => {
    emulator.faults.add([{ times: 1, error: { code: 80000 }, regainAccessMinutes: 3 }]);
    const error = await sendFailing(client);

    expect(error.classification.retryAfterMs).toBe(180_000);
  });

  test('HTML body is transient', async () => {
    emulator.faults.add([{ times: 1, html: true }]);
    const error = await sendFailing(client);

    expect(error.code).toBe('META_TRANSIENT');
    expect(error.classification.source).toBe('html_body');
    expect(error.classification.httpStatus).toBe(502);
  });

  test('HTML body at 200', async () => {
    emulator.faults.add([{ times: 1, html: '<html>ok</html>', status: 200 }]);
    const error = await sendFailing(client);

    expect(error.classification.kind).toBe('transient');
    expect(error.classification.source).toBe('html_body');
  });

  test('events_received mismatch', async () => {
    emulator.faults.add([{ times: 1, eventsReceived: 0 }]);
    const error = await sendFailing(client);

    expect(error.code).toBe('META_EVENTS_RECEIVED_MISMATCH');
    expect(error.classification.message).toBe('events_received is 0, expected 1');
  });
});

describe('GraphClient transport failures', () => {
  test('timeout is transient', async () => {
    const impatient = new GraphClient({
      graphBaseUrl: emulator.url,
      graphApiVersion: VERSION,
      requestTimeoutMs: 200,
    });
    emulator.faults.add([{ times: 1, delayMs: 3_000 }]);
    try {
      const error = await sendFailing(impatient);

      expect(error.code).toBe('META_TRANSIENT');
      expect(error.classification.source).toBe('timeout');
    } finally {
      await impatient.close();
    }
  });

  test('connection refused is transient', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = new GraphClient({
      graphBaseUrl: `http://127.0.0.1:${port}`,
      graphApiVersion: VERSION,
    });
    try {
      const error = await sendFailing(unreachable);

      expect(error.code).toBe('META_TRANSIENT');
      expect(error.classification.source).toBe('connection');
      expect(error.message).toContain('ECONNREFUSED');
    } finally {
      await unreachable.close();
    }
  });

  test('caller abort rethrows reason', async () => {
    emulator.faults.add([{ times: 1, delayMs: 3_000 }]);
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    const pending = client.sendEvents({
      pixelId: PIXEL_ID,
      events: [validEvent()],
      accessToken: TOKEN,
      signal: controller.signal,
    });
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
  });
});

describe('GraphClient request checks', () => {
  test('rejects non-digit pixel id', async () => {
    await expect(
      client.sendEvents({ pixelId: '../me', events: [validEvent()], accessToken: TOKEN }),
    ).rejects.toMatchObject({
      code: 'META_PERMANENT',
      classification: { source: 'invalid_request' },
    });
  });

  test('rejects empty batch', async () => {
    await expect(
      client.sendEvents({ pixelId: PIXEL_ID, events: [], accessToken: TOKEN }),
    ).rejects.toMatchObject({ code: 'META_PERMANENT' });
  });

  test('missing token is configuration', async () => {
    await expect(
      client.sendEvents({ pixelId: PIXEL_ID, events: [validEvent()], accessToken: '' }),
    ).rejects.toMatchObject({ code: 'META_CONFIGURATION' });
  });
});
