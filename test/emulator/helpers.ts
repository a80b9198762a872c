import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { ServerEvent } from '../../src/meta/types';

export const PIXEL_ID = '1234567890';
export const OTHER_PIXEL_ID = '2222222222';
export const TOKEN = 'EAAtest-token-for-emulator';
export const OTHER_TOKEN = 'EAAother-token-for-emulator';
export const VERSION = 'v24.0';

/** The emulator's pinned clock in the tests: 2026-03-01T12:00:00Z. */
export const NOW = new Date('2026-03-01T12:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
export const DAY_SECONDS = 86_400;

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Builds a valid Purchase event, one minute old at NOW. */
export function validEvent(overrides: Partial<ServerEvent> = {}): ServerEvent {
  return {
    event_name: 'Purchase',
    event_time: NOW_SECONDS - 60,
    event_id: 'order-1001',
    action_source: 'email',
    user_data: { em: [sha256('john_smith@gmail.com')], external_id: ['cust-1'] },
    custom_data: { value: 42.5, currency: 'USD' },
    ...overrides,
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answer fields directly
  json: any;
}

export async function send(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  options: {
    json?: unknown;
    form?: Record<string, string>;
    raw?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpAnswer> {
  let body: string | undefined;
  const headers: Record<string, string> = { ...options.headers };
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
  } else if (options.form !== undefined) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const response = await request(url, { method, body, headers });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

/** POSTs a JSON events request with the token in the body. */
export function postEvents(
  baseUrl: string,
  data: unknown,
  options: { pixelId?: string; token?: string | null; extra?: Record<string, unknown> } = {},
): Promise<HttpAnswer> {
  const json: Record<string, unknown> = { data, ...options.extra };
  if (options.token !== null) json.access_token = options.token ?? TOKEN;
  return send('POST', `${baseUrl}/${VERSION}/${options.pixelId ?? PIXEL_ID}/events`, { json });
}
