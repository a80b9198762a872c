import { z } from 'zod';

/** Event name and currency of the VIP signal. */
const vipSchema = z
  .strictObject({
    /** Sends VIP Qualified events. @default false */
    enabled: z.boolean().default(false),
    /** Lifetime value, in `currency`, at which a customer becomes VIP. Required when enabled. */
    threshold: z.number().positive().finite().optional(),
    /** Meta custom event name. @default 'VIP Qualified' */
    eventName: z.string().trim().min(1).max(50).default('VIP Qualified'),
    /** ISO 4217 code sent with the lifetime value. @default 'USD' */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code of 3 capital letters, such as USD')
      .default('USD'),
  })
  .superRefine((vip, ctx) => {
    if (vip.enabled && vip.threshold === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: 'missing threshold: set the lifetime value that makes a customer VIP',
      });
    }
  });

const winbackSchema = z.strictObject({
  /** Sends Winback events. @default false */
  enabled: z.boolean().default(false),
  /** Days without an order after which each Winback fires; one event per window. @default [30, 60] */
  windowsDays: z
    .array(z.int().min(1).max(3650))
    .min(1)
    .default([30, 60])
    .transform((days) => [...new Set(days)].sort((a, b) => a - b)),
  /** Meta custom event name. @default 'Winback' */
  eventName: z.string().trim().min(1).max(50).default('Winback'),
});

export const signalsConfigSchema = z.strictObject({
  vip: vipSchema.default({ enabled: false, eventName: 'VIP Qualified', currency: 'USD' }),
  winback: winbackSchema.default({ enabled: false, windowsDays: [30, 60], eventName: 'Winback' }),
  /** Customers read per scan page. @default 500 */
  pageSize: z.int().min(1).max(5000).default(500),
});

export type SignalsConfig = z.output<typeof signalsConfigSchema>;
export type SignalsConfigInput = z.input<typeof signalsConfigSchema>;

export class InvalidSignalsConfigError extends Error {
  readonly code = 'INVALID_SIGNALS_CONFIG';
  constructor(readonly problems: string[]) {
    super(`Invalid signals config:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidSignalsConfigError';
  }
}

/** Validates a signals config, naming each invalid field by its path. */
export function parseSignalsConfig(input: unknown): SignalsConfig {
  const parsed = signalsConfigSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new InvalidSignalsConfigError(problems);
}
