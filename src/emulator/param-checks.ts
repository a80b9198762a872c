import { invalidParameter, RejectionSignal, type GraphRejection } from './graph-errors';

/*
 * Type checks of one request parameter. Each throws a RejectionSignal naming the parameter by
 * its JSON path, such as `$['data'][0]['user_data']`, as Meta's messages do.
 */

/** Wraps a rejection so validation stops at the first invalid value. */
export function reject(rejection: GraphRejection): RejectionSignal {
  return new RejectionSignal(rejection);
}

export function rejectUnknownKeys(
  record: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string,
): void {
  for (const key of Object.keys(record)) {
    if (!allowed.has(key)) {
      throw reject(invalidParameter(`Unexpected key "${key}" on param "${path}"`));
    }
  }
}

export function expectObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw reject(invalidParameter(`Param "${path}" must be an object`));
  }
  return value as Record<string, unknown>;
}

export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw reject(invalidParameter(`Param "${path}" must be an array`));
  return value;
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw reject(invalidParameter(`Param "${path}" must be a string`));
  return value;
}

export function expectNonEmptyString(value: unknown, path: string): string {
  const text = expectString(value, path);
  if (text === '') throw reject(invalidParameter(`Param "${path}" must not be empty`));
  return text;
}

export function expectInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw reject(invalidParameter(`Param "${path}" must be an integer`));
  }
  return value;
}

export function expectNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw reject(invalidParameter(`Param "${path}" must be a number`));
  }
  return value;
}
