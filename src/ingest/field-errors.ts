import type { z } from 'zod';
import type { FieldError } from './types';

/** Formats a path as JSON path text: `$.batch[2].context.traits`, with odd keys quoted. */
export function jsonPath(segments: ReadonlyArray<PropertyKey>): string {
  let text = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment))
      text += `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/**
 * Turns zod issues into field errors under a path prefix. The messages name the expected and the
 * received type, never the value, so no personal value reaches a response or a log.
 */
export function fieldErrors(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  prefix: ReadonlyArray<PropertyKey> = [],
): FieldError[] {
  return issues.map((issue) => ({
    path: jsonPath([...prefix, ...issue.path]),
    code: issue.code,
    message: issue.message,
  }));
}
