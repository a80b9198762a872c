import { z } from 'zod';

/**
 * One Customer.io Data Pipelines call (the Segment-compatible spec), as its Webhook destination
 * forwards it. Unknown keys are kept, because senders add their own and mapping may read them.
 */
const looseObject = z.record(z.string(), z.unknown());

const idSchema = z.union([z.string(), z.number()]).nullish();

export const CALL_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type CallType = (typeof CALL_TYPES)[number];

export const contextSchema = z.looseObject({
  ip: z.string().nullish(),
  userAgent: z.string().nullish(),
  locale: z.string().nullish(),
  page: z
    .looseObject({
      url: z.string().nullish(),
      path: z.string().nullish(),
      referrer: z.string().nullish(),
      title: z.string().nullish(),
    })
    .nullish(),
  traits: looseObject.nullish(),
  campaign: looseObject.nullish(),
});

export const pipelinesCallSchema = z
  .looseObject({
    type: z.enum(CALL_TYPES),
    messageId: z.string().trim().min(1, 'messageId must be a non-empty string'),
    timestamp: z.union([z.string(), z.number()]),
    userId: idSchema,
    anonymousId: idSchema,
    event: z.string().nullish(),
    name: z.string().nullish(),
    properties: looseObject.nullish(),
    traits: looseObject.nullish(),
    context: contextSchema.nullish(),
    originalTimestamp: z.union([z.string(), z.number()]).nullish(),
    sentAt: z.union([z.string(), z.number()]).nullish(),
    receivedAt: z.union([z.string(), z.number()]).nullish(),
  })
  .superRefine((call, ctx) => {
    if (call.type === 'track' && (call.event == null || call.event.trim() === '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['event'],
        message: 'a track call needs an event name',
      });
    }
    if (isBlankId(call.userId) && isBlankId(call.anonymousId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['userId'],
        message: 'a call needs a userId or an anonymousId',
      });
    }
  });

function isBlankId(id: string | number | null | undefined): boolean {
  return id == null || String(id).trim() === '';
}

export type PipelinesCall = z.infer<typeof pipelinesCallSchema>;

export const batchSchema = z.looseObject({ batch: z.array(z.unknown()) });
