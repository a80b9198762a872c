import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { request } from 'undici';
import { ConversionStarter } from '../../src/client';
import { parseMappingConfig } from '../../src/config/mapping';
import { createIngestServer } from '../../src/ingest/server';
import type { FieldError, IngestServerOptions } from '../../src/ingest/types';

export const BEARER_SECRET = 'test-bearer-secret-0001';
export const OLD_BEARER_SECRET = 'test-bearer-secret-old1';
export const SIGNING_SECRET = 'example-pipelines-secret';
export const PIXEL_ID = '123456789012345';

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run the tests through jest');
  return address;
}

/** A task queue no other test file uses; no worker polls it, so started workflows stay open. */
export function uniqueTaskQueue(name: string): string {
  return `ingest-${name}-${randomUUID()}`;
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Log lines written by a server, parsed, for checks on what is and is not logged. */
export function captureLogs(): { logger: pino.Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return {
    logger: pino({ level: 'debug' }, stream),
    lines: () => chunks.join('').split('\n').filter(Boolean),
  };
}

export function bearer(secret = BEARER_SECRET): Record<string, string> {
  return { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
}

export type ServerOverrides = Partial<IngestServerOptions> & {
  bearerSecrets?: string[];
  signingSecrets?: string[];
};

/** Builds a server on a real ConversionStarter; the caller closes both. */
export function buildServer(starter: ConversionStarter, overrides: ServerOverrides = {}) {
  const { bearerSecrets, signingSecrets, ...options } = overrides;
  return createIngestServer({
    settings: {
      ingest: {
        bearerSecrets: bearerSecrets ?? [BEARER_SECRET],
        pipelinesSigningSecrets: signingSecrets ?? [SIGNING_SECRET],
      },
      meta: { pixelId: PIXEL_ID },
    },
    starter,
    mapping: parseMappingConfig({}),
    identityOptions: { defaultCountry: 'US' },
    logger: pino({ level: 'silent' }),
    ...options,
  });
}

export function createStarter(taskQueue: string, address = temporalAddress()): ConversionStarter {
  return ConversionStarter.create({ address, namespace: 'default', taskQueue });
}

/** A plain Temporal client for checking what the server started. */
export async function temporalClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** Reads the JSON input of a workflow from its first history event. */
export async function workflowInput(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const payload =
    history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return Buffer.from(payload?.data ?? new Uint8Array()).toString('utf8');
}

/** True when Temporal has a workflow with that id. */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return false;
    throw error;
  }
}

/** An Order Completed call with fresh ids, mapped to Purchase with event_id = order_id. */
export function orderCompleted(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: `msg_${randomUUID()}`,
    timestamp: '2026-12-01T11:00:00.000Z',
    userId: 'cust_1001',
    context: {
      ip: '203.0.113.9',
      traits: { email: 'jane.doe@example.com', phone: '+1 650 555 1212' },
    },
    properties: { order_id: `ord_${randomUUID()}`, revenue: 68, currency: 'USD' },
    ...overrides,
  };
}

/** The JSON bodies the ingest server responds with, every field optional. */
export interface ResponseBody {
  code?: string;
  message?: string;
  requestId?: string;
  status?: string;
  temporal?: string;
  errors: FieldError[];
  results: Array<{
    index: number;
    messageId?: string;
    outcome: string;
    workflowId?: string;
    reason?: { code: string; field?: string; message: string };
    errors: FieldError[];
  }>;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => ResponseBody;
}

/** Listens on a loopback port and returns the base URL. */
export async function listen(app: {
  listen: (options: { port: number; host: string }) => Promise<string>;
}) {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/** Sends one HTTP request to a listening server. */
export async function send(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<HttpResponse> {
  const response = await request(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.body.text();
  return {
    statusCode: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as ResponseBody,
  };
}
