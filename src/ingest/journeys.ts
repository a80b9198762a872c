import { z } from 'zod';
import type { PipelinesCall } from '../customerio/call';
import type { FieldError } from './types';
import { fieldErrors, jsonPath } from './field-errors';

/**
 * The body of a journeys "send webhook" action. Customer.io lets the workspace user write any body
 * with Liquid, so this shape is ours; docs/customerio-setup.md has the template that renders it.
 * Liquid renders a missing attribute as an empty string, so blank strings count as absent.
 */
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalText = z.preprocess(blankToUndefined, z.string().optional());
const idText = z.preprocess(
  blankToUndefined,
  z.union([z.string(), z.number().transform(String)]).optional(),
);

const occurredAt = z.preprocess(
  blankToUndefined,
  z
    .union([z.number(), z.string()])
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const iso = toIsoTime(value);
      if (iso === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected unix seconds or an ISO 8601 time, such as 2026-12-01T12:00:00Z',
        });
        return z.NEVER;
      }
      return iso;
    }),
);

const journeyBodySchema = z.looseObject({
  event_name: z.preprocess(blankToUndefined, z.string({ error: 'event_name is missing' })),
  event_id: idText,
  occurred_at: occurredAt,
  customer: z.looseObject({
    id: z.preprocess(
      blankToUndefined,
      z.union([z.string(), z.number().transform(String)], {
        error: 'customer.id is missing: render it with {{customer.id}}',
      }),
    ),
    email: optionalText,
    phone: optionalText,
    first_name: optionalText,
    last_name: optionalText,
    city: optionalText,
    state: optionalText,
    zip: z.preprocess(
      blankToUndefined,
      z.union([z.string(), z.number().transform(String)]).optional(),
    ),
    country: optionalText,
  }),
  properties: z.record(z.string(), z.unknown()).nullish(),
  context: z
    .looseObject({
      ip: optionalText,
      user_agent: optionalText,
      page_url: optionalText,
      fbc: optionalText,
      fbp: optionalText,
    })
    .nullish(),
});
export type JourneyBody = z.output<typeof journeyBodySchema>;

/** The Customer.io headers that stay the same when a journeys webhook is retried. */
export interface JourneyHeaders {
  idempotencyKey?: string;
  deliveryId?: string;
}

export type JourneyConversion =
  { ok: true; call: PipelinesCall; eventId?: string } | { ok: false; errors: FieldError[] };

/**
 * Converts a journeys webhook body into a Data Pipelines track call. The messageId is
 * `x-cio-idempotency-key`, else `x-cio-delivery-id`, else `event_id`; `event_id`, when given,
 * becomes the Meta event id. Without `occurred_at` the event time is the time of receipt.
 */
export function journeyToCall(
  body: unknown,
  headers: JourneyHeaders,
  receivedAt: string,
): JourneyConversion {
  const parsed = journeyBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const journey = parsed.data;

  const messageId = firstPresent(headers.idempotencyKey, headers.deliveryId, journey.event_id);
  if (messageId === undefined) {
    return {
      ok: false,
      errors: [
        {
          path: jsonPath(['event_id']),
          code: 'missing_idempotency_key',
          message:
            'event_id is missing and the request has no x-cio-idempotency-key or x-cio-delivery-id header',
        },
      ],
    };
  }

  const { customer, context } = journey;
  const properties: Record<string, unknown> = { ...(journey.properties ?? {}) };
  // Data Pipelines senders carry the Meta browser ids in properties, so journeys do the same.
  if (context?.fbc !== undefined && properties.fbc === undefined) properties.fbc = context.fbc;
  if (context?.fbp !== undefined && properties.fbp === undefined) properties.fbp = context.fbp;

  const call: PipelinesCall = {
    type: 'track',
    messageId,
    timestamp: journey.occurred_at ?? receivedAt,
    userId: customer.id,
    event: journey.event_name,
    properties,
    context: {
      ip: context?.ip,
      userAgent: context?.user_agent,
      page: context?.page_url === undefined ? undefined : { url: context.page_url },
      traits: withoutUndefined({
        email: customer.email,
        phone: customer.phone,
        first_name: customer.first_name,
        last_name: customer.last_name,
        city: customer.city,
        state: customer.state,
        zip: customer.zip,
        country: customer.country,
      }),
    },
  };
  return { ok: true, call: dropUndefinedContext(call), eventId: journey.event_id };
}

/** Reads unix seconds (milliseconds past 1e11), a numeric string, or an ISO 8601 time. */
function toIsoTime(value: number | string): string | undefined {
  const numeric = typeof value === 'number' ? value : Number(value.trim());
  let millis: number;
  if (Number.isFinite(numeric) && String(value).trim() !== '') {
    millis = numeric > 1e11 ? numeric : numeric * 1000;
  } else {
    millis = Date.parse(String(value));
  }
  if (!Number.isFinite(millis) || millis < 0 || millis > 8.64e15) return undefined;
  return new Date(millis).toISOString();
}

function firstPresent(...values: Array<string | undefined>): string | undefined {
  return values.find((value) => value !== undefined && value.trim() !== '')?.trim();
}

function withoutUndefined(record: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) result[key] = value;
  return result;
}

function dropUndefinedContext(call: PipelinesCall): PipelinesCall {
  const context = call.context ?? {};
  for (const key of Object.keys(context)) {
    if (context[key] === undefined) delete context[key];
  }
  return call;
}
