import type { FastifyRequest } from 'fastify';
import type { IncomingCall } from './dispatch';
import { jsonPath } from './field-errors';
import { nestsDeeperThan } from './json-depth';
import type { IngestLimits } from './limits';
import type { FieldError } from './types';

/** A request body that cannot become calls, rejected with 400 or 413 before anything is started. */
export type BodyProblem = {
  status: 400 | 413;
  code: string;
  message: string;
  errors: FieldError[];
};

export type ParsedBody =
  { ok: true; value: unknown; bytes: number } | ({ ok: false } & BodyProblem);

export function parseBody(request: FastifyRequest, maxJsonDepth: number): ParsedBody {
  const raw = request.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) {
    return { ok: false, ...invalidBody('the body is empty: send one JSON object') };
  }
  if (nestsDeeperThan(raw, maxJsonDepth)) {
    const message = `the body nests objects and arrays deeper than ${maxJsonDepth} levels`;
    return {
      ok: false,
      status: 400,
      code: 'invalid_body',
      message,
      errors: [{ path: '$', code: 'too_deep', message }],
    };
  }
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown, bytes: raw.length };
  } catch (error) {
    // V8's message quotes the start of the body, which may be personal data: keep only the position.
    return { ok: false, ...invalidBody(`the body is not valid JSON${jsonErrorPosition(error)}`) };
  }
}

/** Returns " at position N" from a JSON.parse error, or nothing when it names no position. */
function jsonErrorPosition(error: unknown): string {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return match ? ` at position ${match[1]}` : '';
}

/** Splits a Data Pipelines body into calls: one call, or the items of `{ "batch": [...] }`. */
export function pipelinesCalls(
  value: unknown,
  bytes: number,
  limits: IngestLimits,
): IncomingCall[] | BodyProblem {
  if (!isPlainObject(value)) {
    return invalidBody('the body must be a JSON object: one call or { "batch": [...] }');
  }
  if (!isBatch(value)) {
    if (bytes > limits.maxCallBytes) return callTooLarge(bytes, limits.maxCallBytes);
    return [{ index: 0, value, path: [] }];
  }
  const batch = value.batch;
  if (!Array.isArray(batch)) {
    return {
      status: 400,
      code: 'invalid_body',
      message: 'batch must be an array of calls',
      errors: [{ path: jsonPath(['batch']), code: 'invalid_type', message: 'expected an array' }],
    };
  }
  return batch.map((item: unknown, index) => ({
    index,
    value: item,
    path: ['batch', index],
    bytes: Buffer.byteLength(JSON.stringify(item) ?? '', 'utf8'),
  }));
}

export function isBatch(value: unknown): value is { batch: unknown } {
  return isPlainObject(value) && 'batch' in value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidBody(message: string): BodyProblem {
  return {
    status: 400,
    code: 'invalid_body',
    message,
    errors: [{ path: '$', code: 'invalid_body', message }],
  };
}

export function callTooLarge(bytes: number, limit: number): BodyProblem {
  const message = `the call is ${bytes} bytes; the limit is ${limit} bytes per call`;
  return {
    status: 413,
    code: 'call_too_large',
    message,
    errors: [{ path: '$', code: 'call_too_large', message }],
  };
}
