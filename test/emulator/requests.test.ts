import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { NOW, PIXEL_ID, TOKEN, VERSION, postEvents, send, sha256, validEvent } from './helpers';

let emulator: RunningEmulator;
let eventsUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({ pixels: { [PIXEL_ID]: [TOKEN] }, now: NOW });
  eventsUrl = `${emulator.url}/${VERSION}/${PIXEL_ID}/events`;
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await send('POST', `${emulator.url}/_emulator/reset`);
});

const manyEvents = (count: number) =>
  Array.from({ length: count }, (_, index) => validEvent({ event_id: `order-${index}` }));

describe('emulator token transport', () => {
  test('token in JSON body', async () => {
    const answer = await send('POST', eventsUrl, {
      json: { data: [validEvent()], access_token: TOKEN },
    });

    expect(answer.status).toBe(200);
    expect(answer.json.events_received).toBe(1);
  });

  test('token in query string', async () => {
    const answer = await send('POST', `${eventsUrl}?access_token=${encodeURIComponent(TOKEN)}`, {
      json: { data: [validEvent()] },
    });

    expect(answer.status).toBe(200);
    expect(answer.json.events_received).toBe(1);
  });

  test('token in form body', async () => {
    const answer = await send('POST', eventsUrl, {
      form: { access_token: TOKEN, data: JSON.stringify([validEvent()]) },
    });

    expect(answer.status).toBe(200);
    expect(answer.json.events_received).toBe(1);
  });

  test('form data not JSON', async () => {
    const answer = await send('POST', eventsUrl, { form: { access_token: TOKEN, data: '[{' } });

    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe(100);
    expect(answer.json.error.message).toBe(`Param "$['data']" must be a JSON array`);
  });

  test('invalid JSON body', async () => {
    const answer = await send('POST', eventsUrl, {
      raw: '{"data": [',
      headers: { 'content-type': 'application/json' },
    });

    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe(100);
    expect(answer.json.error.type).toBe('OAuthException');
  });

  test('test_event_code is recorded', async () => {
    await postEvents(emulator.url, [validEvent()], { extra: { test_event_code: 'TEST123' } });

    expect(emulator.store.events()[0]!.testEventCode).toBe('TEST123');
  });
});

describe('emulator batch limits', () => {
  test('accepts 1,000 events', async () => {
    const answer = await postEvents(emulator.url, manyEvents(1000));

    expect(answer.status).toBe(200);
    expect(answer.json.events_received).toBe(1000);
    expect(emulator.store.events()).toHaveLength(1000);
  });

  test('rejects 1,001 events', async () => {
    const answer = await postEvents(emulator.url, manyEvents(1001));

    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe(100);
    expect(answer.json.error.message).toBe(
      `Param "$['data']" contains 1001 events: at most 1000 are allowed`,
    );
    expect(emulator.store.events()).toHaveLength(0);
  });

  test('one invalid event rejects all', async () => {
    const events = [
      validEvent({ event_id: 'a' }),
      validEvent({ event_id: 'b', user_data: { em: 'raw@example.com' } }),
      validEvent({ event_id: 'c' }),
    ];
    const answer = await postEvents(emulator.url, events);

    expect(answer.status).toBe(400);
    expect(answer.json.error.error_subcode).toBe(2804016);
    expect(emulator.store.events()).toHaveLength(0);
    expect(emulator.store.summary().requestsByEventId).toEqual({ a: 1, b: 1, c: 1 });
  });
});

describe('emulator recording', () => {
  test('counts duplicates per pixel pair', async () => {
    await postEvents(emulator.url, [validEvent({ event_id: 'x' })]);
    await postEvents(emulator.url, [validEvent({ event_id: 'x' })]);
    await postEvents(emulator.url, [
      validEvent({ event_id: 'x', event_name: 'Lead', custom_data: {} }),
    ]);
    const summary = (await send('GET', `${emulator.url}/_emulator/summary`)).json;

    expect(summary.requests).toBe(3);
    expect(summary.acceptedEvents).toBe(3);
    expect(summary.duplicates).toBe(1);
    expect(summary.requestsByEventId).toEqual({ x: 3 });
  });

  test('duplicate inside one request', async () => {
    await postEvents(emulator.url, [validEvent({ event_id: 'y' }), validEvent({ event_id: 'y' })]);

    expect(emulator.store.summary().duplicates).toBe(1);
  });

  test('events without event_id never duplicate', async () => {
    const event = validEvent();
    delete (event as Partial<typeof event>).event_id;
    await postEvents(emulator.url, [event, event]);

    expect(emulator.store.summary().duplicates).toBe(0);
  });

  test('summary counts rejections by code', async () => {
    await postEvents(emulator.url, [validEvent({ event_time: 1 })]);
    await postEvents(emulator.url, [validEvent({ event_time: 1 })]);
    await postEvents(emulator.url, [validEvent()], { token: 'EAAwrong' });
    await postEvents(emulator.url, [{ ...validEvent(), foo: 1 }]);
    const summary = emulator.store.summary();

    expect(summary.rejectedRequests).toEqual({ '100/2804003': 2, '190/467': 1, '100': 1 });
    expect(summary.acceptedEvents).toBe(0);
    expect(summary.requestsByEventId).toEqual({ 'order-1001': 4 });
  });

  test('events endpoint filters', async () => {
    await postEvents(emulator.url, [
      validEvent({ event_id: 'p1' }),
      validEvent({ event_id: 'l1', event_name: 'Lead', custom_data: {} }),
    ]);
    const all = await send('GET', `${emulator.url}/_emulator/events`);
    const leads = await send('GET', `${emulator.url}/_emulator/events?event_name=Lead`);
    const byId = await send('GET', `${emulator.url}/_emulator/events?event_id=p1`);

    expect(all.json.events).toHaveLength(2);
    const leadIds = (leads.json.events as Array<{ eventId: string }>).map((event) => event.eventId);
    expect(leadIds).toEqual(['l1']);
    expect(byId.json.events[0].event.event_name).toBe('Purchase');
    expect(byId.json.events[0].pixelId).toBe(PIXEL_ID);
  });

  test('requests endpoint omits tokens', async () => {
    await postEvents(emulator.url, [validEvent({ event_id: 'r1' })]);
    const answer = await send('GET', `${emulator.url}/_emulator/requests?event_id=r1`);

    expect(answer.json.requests).toHaveLength(1);
    expect(answer.json.requests[0].status).toBe(200);
    expect(answer.text).not.toContain(TOKEN);
  });

  test('reset clears events', async () => {
    await postEvents(emulator.url, [validEvent()]);
    await send('POST', `${emulator.url}/_emulator/reset`);

    expect(emulator.store.summary().requests).toBe(0);
    expect(emulator.store.events()).toHaveLength(0);
  });
});

describe('emulator token rotation', () => {
  test('PUT tokens accepts a new token', async () => {
    const before = await postEvents(emulator.url, [validEvent()], { token: 'EAAnew' });
    const put = await send('PUT', `${emulator.url}/_emulator/tokens`, {
      json: { pixelId: PIXEL_ID, tokens: ['EAAnew'] },
    });
    const after = await postEvents(emulator.url, [validEvent()], { token: 'EAAnew' });
    const old = await postEvents(emulator.url, [validEvent()], { token: TOKEN });

    expect(before.json.error.code).toBe(190);
    expect(put.json).toEqual({ pixelId: PIXEL_ID, tokens: 1 });
    expect(after.status).toBe(200);
    expect(old.json.error.code).toBe(190);
    expect(old.json.error.error_subcode).toBe(463);
  });

  test('PUT tokens rejects bad body', async () => {
    const answer = await send('PUT', `${emulator.url}/_emulator/tokens`, {
      json: { pixelId: PIXEL_ID, tokens: 'EAAnew' },
    });

    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('INVALID_TOKENS');
  });

  test('PUT tokens adds a pixel', async () => {
    await send('PUT', `${emulator.url}/_emulator/tokens`, {
      json: { pixelId: '5555555', tokens: [TOKEN] },
    });
    const answer = await postEvents(emulator.url, [validEvent()], { pixelId: '5555555' });

    expect(answer.status).toBe(200);
  });
});

test('hash helper matches Meta vector', () => {
  expect(sha256('john_smith@gmail.com')).toBe(
    '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
  );
});
