import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { ServerEvent } from '../../src/meta/types';
import {
  DAY_SECONDS,
  NOW,
  NOW_SECONDS,
  OTHER_PIXEL_ID,
  OTHER_TOKEN,
  PIXEL_ID,
  TOKEN,
  postEvents,
  send,
  sha256,
  validEvent,
} from './helpers';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({
    pixels: { [PIXEL_ID]: [TOKEN], [OTHER_PIXEL_ID]: [OTHER_TOKEN] },
    now: NOW,
  });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.store.reset();
});

interface RejectionCase {
  name: string;
  data: unknown;
  code: number;
  subcode?: number;
  message?: string;
}

const withUserData = (userData: Record<string, unknown>): ServerEvent =>
  validEvent({ user_data: userData });
const withoutKey = (key: string): Record<string, unknown> => {
  const event: Record<string, unknown> = { ...validEvent() };
  delete event[key];
  return event;
};

const rejectionCases: RejectionCase[] = [
  {
    name: 'raw email in em',
    data: [withUserData({ em: 'john@example.com' })],
    code: 100,
    subcode: 2804016,
  },
  {
    name: 'uppercase digest in em',
    data: [withUserData({ em: sha256('a@b.c').toUpperCase() })],
    code: 100,
    subcode: 2804016,
  },
  {
    name: 'raw phone in ph array',
    data: [withUserData({ em: sha256('a@b.c'), ph: ['16505551212'] })],
    code: 100,
    subcode: 2804016,
  },
  {
    name: 'empty string in fn',
    data: [withUserData({ em: sha256('a@b.c'), fn: '' })],
    code: 100,
    subcode: 2804016,
  },
  {
    name: 'event 8 days old',
    data: [validEvent({ event_time: NOW_SECONDS - 8 * DAY_SECONDS })],
    code: 100,
    subcode: 2804003,
  },
  {
    name: 'store event 63 days old',
    data: [
      validEvent({ action_source: 'physical_store', event_time: NOW_SECONDS - 63 * DAY_SECONDS }),
    ],
    code: 100,
    subcode: 2804003,
  },
  {
    name: 'Purchase without value',
    data: [validEvent({ custom_data: { currency: 'USD' } })],
    code: 100,
    subcode: 2804009,
  },
  {
    name: 'Purchase without custom_data',
    data: [validEvent({ custom_data: undefined })],
    code: 100,
    subcode: 2804009,
  },
  {
    name: 'Purchase without currency',
    data: [validEvent({ custom_data: { value: 10 } })],
    code: 100,
    subcode: 2804010,
  },
  {
    name: 'malformed fbc',
    data: [withUserData({ em: sha256('a@b.c'), fbc: 'IwAR2xyz' })],
    code: 100,
    subcode: 2804001,
  },
  {
    name: 'only location identifiers',
    data: [
      withUserData({
        ct: sha256('newyork'),
        zp: sha256('10001'),
        client_user_agent: 'Mozilla/5.0',
      }),
    ],
    code: 100,
    subcode: 2804050,
  },
  {
    name: 'only db and user agent',
    data: [withUserData({ db: sha256('19970216'), client_user_agent: 'Mozilla/5.0' })],
    code: 100,
    subcode: 2804050,
  },
  {
    name: 'only fn and ge',
    data: [withUserData({ fn: sha256('john'), ge: sha256('m') })],
    code: 100,
    subcode: 2804050,
  },
  {
    name: 'only ln and ge',
    data: [withUserData({ ln: sha256('smith'), ge: sha256('m') })],
    code: 100,
    subcode: 2804050,
  },
  { name: 'empty user_data', data: [withUserData({})], code: 100, subcode: 2804050 },
  {
    name: 'unknown top-level key',
    data: [{ ...validEvent(), foo: 1 }],
    code: 100,
    message: `Unexpected key "foo" on param "$['data'][0]"`,
  },
  {
    name: 'unknown key second event',
    data: [validEvent(), { ...validEvent({ event_id: 'order-2' }), eventName: 'x' }],
    code: 100,
    message: `Unexpected key "eventName" on param "$['data'][1]"`,
  },
  {
    name: 'unknown user_data key',
    data: [withUserData({ em: sha256('a@b.c'), email: 'x' })],
    code: 100,
    message: `Unexpected key "email" on param "$['data'][0]['user_data']"`,
  },
  {
    name: 'unknown contents item key',
    data: [
      validEvent({
        custom_data: { value: 1, currency: 'USD', contents: [{ id: 'sku-1', sku: 'x' }] as never },
      }),
    ],
    code: 100,
    message: `Unexpected key "sku" on param "$['data'][0]['custom_data']['contents'][0]"`,
  },
  {
    name: 'unknown original_event_data key',
    data: [{ ...validEvent(), original_event_data: { event_name: 'Purchase', foo: 'x' } }],
    code: 100,
    message: `Unexpected key "foo" on param "$['data'][0]['original_event_data']"`,
  },
  {
    name: 'missing event_name',
    data: [withoutKey('event_name')],
    code: 100,
    message: `Missing required key "event_name" on param "$['data'][0]"`,
  },
  {
    name: 'missing event_time',
    data: [withoutKey('event_time')],
    code: 100,
    message: `Missing required key "event_time" on param "$['data'][0]"`,
  },
  {
    name: 'missing action_source',
    data: [withoutKey('action_source')],
    code: 100,
    message: `Missing required key "action_source" on param "$['data'][0]"`,
  },
  {
    name: 'missing user_data',
    data: [withoutKey('user_data')],
    code: 100,
    message: `Missing required key "user_data" on param "$['data'][0]"`,
  },
  {
    name: 'event_time as string',
    data: [{ ...validEvent(), event_time: String(NOW_SECONDS) }],
    code: 100,
    message: `Param "$['data'][0]['event_time']" must be an integer`,
  },
  {
    name: 'event_time in milliseconds',
    data: [validEvent({ event_time: NOW.getTime() })],
    code: 100,
  },
  {
    name: 'value as string',
    data: [validEvent({ custom_data: { value: '10' as never, currency: 'USD' } })],
    code: 100,
    message: `Param "$['data'][0]['custom_data']['value']" must be a number`,
  },
  {
    name: 'user_data as array',
    data: [{ ...validEvent(), user_data: [] }],
    code: 100,
    message: `Param "$['data'][0]['user_data']" must be an object`,
  },
  { name: 'invalid action_source', data: [{ ...validEvent(), action_source: 'web' }], code: 100 },
  {
    name: 'contents item without id',
    data: [
      validEvent({
        custom_data: { value: 1, currency: 'USD', contents: [{ quantity: 1 }] as never },
      }),
    ],
    code: 100,
    message: `Missing required key "id" on param "$['data'][0]['custom_data']['contents'][0]"`,
  },
  {
    name: 'website without event_source_url',
    data: [
      validEvent({
        action_source: 'website',
        user_data: { em: sha256('a@b.c'), client_user_agent: 'Mozilla/5.0' },
      }),
    ],
    code: 100,
  },
  {
    name: 'website without user agent',
    data: [
      validEvent({ action_source: 'website', event_source_url: 'https://shop.example/checkout' }),
    ],
    code: 100,
  },
  {
    name: 'invalid currency',
    data: [validEvent({ custom_data: { value: 1, currency: 'dollars' } })],
    code: 100,
  },
  {
    name: 'invalid data_processing_options',
    data: [validEvent({ data_processing_options: ['CCPA'] })],
    code: 100,
  },
  {
    name: 'no events',
    data: [],
    code: 100,
    message: `Param "$['data']" must contain at least one event`,
  },
  {
    name: 'data not an array',
    data: { event_name: 'Purchase' },
    code: 100,
    message: `Param "$['data']" must be an array`,
  },
  { name: 'missing data', data: undefined, code: 100, message: 'The parameter data is required' },
];

describe('emulator validation', () => {
  test.each(rejectionCases)('rejects $name', async ({ data, code, subcode, message }) => {
    const answer = await postEvents(emulator.url, data);

    expect(answer.status).toBe(400);
    expect(answer.json.error.type).toBe('OAuthException');
    expect(answer.json.error.code).toBe(code);
    expect(answer.json.error.error_subcode).toBe(subcode);
    expect(answer.json.error.is_transient).toBe(false);
    expect(answer.json.error.fbtrace_id).toEqual(expect.any(String));
    if (message !== undefined) expect(answer.json.error.message).toBe(message);
    expect(emulator.store.events()).toHaveLength(0);
  });

  const acceptedCases: Array<{ name: string; event: ServerEvent }> = [
    { name: 'valid Purchase', event: validEvent() },
    { name: 'event 6 days old', event: validEvent({ event_time: NOW_SECONDS - 6 * DAY_SECONDS }) },
    {
      name: 'store event 60 days old',
      event: validEvent({
        action_source: 'physical_store',
        event_time: NOW_SECONDS - 60 * DAY_SECONDS,
      }),
    },
    { name: 'unhashed external_id', event: withUserData({ external_id: 'cust-42' }) },
    {
      name: 'well-formed fbc',
      event: withUserData({
        em: sha256('a@b.c'),
        fbc: 'fb.1.1554763741205.AbCdEfGhIjKlMnOpQrStUvWxYz1234567890',
      }),
    },
    {
      name: 'fn, ln and zp',
      event: withUserData({ fn: sha256('john'), ln: sha256('smith'), zp: sha256('10001') }),
    },
    {
      name: 'custom event without value',
      event: validEvent({ event_name: 'QuizCompleted', custom_data: { quiz: 'fit' } }),
    },
    {
      name: 'LDU with country 0',
      event: validEvent({
        data_processing_options: ['LDU'],
        data_processing_options_country: 0,
        data_processing_options_state: 0,
      }),
    },
    {
      name: 'website with URL and agent',
      event: validEvent({
        action_source: 'website',
        event_source_url: 'https://shop.example/checkout',
        user_data: {
          em: sha256('a@b.c'),
          client_user_agent: 'Mozilla/5.0',
          client_ip_address: '2001:db8::1',
        },
      }),
    },
    {
      name: 'contents with ids',
      event: validEvent({
        custom_data: {
          value: 30,
          currency: 'usd',
          content_type: 'product',
          content_ids: ['sku-1'],
          contents: [
            { id: 'sku-1', quantity: 2, item_price: 15, delivery_category: 'home_delivery' },
          ],
        },
      }),
    },
  ];

  test.each(acceptedCases)('accepts $name', async ({ event }) => {
    const answer = await postEvents(emulator.url, [event]);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      events_received: 1,
      messages: [],
      fbtrace_id: expect.any(String),
    });
  });

  test('error names no personal value', async () => {
    const answer = await postEvents(emulator.url, [withUserData({ em: 'john@example.com' })]);

    expect(answer.text).not.toContain('john@example.com');
    expect(answer.json.error.error_user_msg).toContain('user_data.em');
  });
});

describe('emulator tokens and pixels', () => {
  test('unknown pixel returns 100/33', async () => {
    const answer = await postEvents(emulator.url, [validEvent()], { pixelId: '999999' });

    expect(answer.status).toBe(400);
    expect(answer.json.error).toEqual({
      message:
        "Unsupported post request. Object with ID '999999' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      is_transient: false,
      fbtrace_id: expect.any(String),
    });
  });

  test('token of another pixel returns 100/33', async () => {
    const answer = await postEvents(emulator.url, [validEvent()], { token: OTHER_TOKEN });

    expect(answer.json.error.code).toBe(100);
    expect(answer.json.error.error_subcode).toBe(33);
  });

  test('missing token returns 190', async () => {
    const answer = await postEvents(emulator.url, [validEvent()], { token: null });

    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe(190);
    expect(answer.json.error.error_subcode).toBeUndefined();
  });

  test('unknown token returns 190/467', async () => {
    const answer = await postEvents(emulator.url, [validEvent()], { token: 'EAAnot-a-token' });

    expect(answer.json.error.code).toBe(190);
    expect(answer.json.error.error_subcode).toBe(467);
    expect(answer.text).not.toContain('EAAnot-a-token');
  });

  test('token is checked before events', async () => {
    const answer = await postEvents(emulator.url, [], { token: 'EAAnot-a-token' });

    expect(answer.json.error.code).toBe(190);
  });

  test('invalid version is unknown path', async () => {
    const wrong = await send('POST', `${emulator.url}/24.0/${PIXEL_ID}/events`, {
      json: { data: [validEvent()], access_token: TOKEN },
    });

    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe(2500);
  });
});
