import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A scripted response. Faults wait in a queue, and each request consumes the first fault whose
 * `match` fits it. A fault with `body`, `error`, `html`, `eventsReceived` or `status` replaces the
 * emulator's response, and nothing is validated or recorded as accepted. A fault with none of them
 * only adds its delay and headers to the normal response.
 */
export const faultSchema = z
  .strictObject({
    /** Only requests to this pixel, or carrying an event of this name, consume the fault. */
    match: z
      .strictObject({ pixelId: z.string().optional(), eventName: z.string().optional() })
      .optional(),
    /**
     * HTTP status of the response. @default 400 with `error` or an error `body`, 502 with `html`,
     * else 200
     */
    status: z.number().int().min(200).max(599).optional(),
    /** A JSON body sent as given, such as any Graph API error envelope. */
    body: z.unknown().optional(),
    /** A Graph API error: missing `message`, `type` and `fbtrace_id` are filled in. */
    error: z
      .looseObject({
        code: z.number().int(),
        error_subcode: z.number().int().optional(),
        is_transient: z.boolean().optional(),
        message: z.string().optional(),
        type: z.string().optional(),
        fbtrace_id: z.string().optional(),
      })
      .optional(),
    /** An HTML page instead of JSON, as a proxy sends; `true` sends a stock page. */
    html: z.union([z.string(), z.literal(true)]).optional(),
    /** A success body whose `events_received` is this number, whatever was sent. */
    eventsReceived: z.number().int().min(0).optional(),
    /** Delay before responding, in milliseconds. */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** Sets the `Retry-After` header, in seconds. */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** Sets `X-Business-Use-Case-Usage` with this `estimated_time_to_regain_access`, in minutes. */
    regainAccessMinutes: z.number().min(0).optional(),
    /** More response headers, sent as given. */
    headers: z.record(z.string(), z.string()).optional(),
    /** How many requests the fault serves before it leaves the queue. @default 1 */
    times: z.number().int().min(1).default(1),
  })
  .refine(
    (fault) =>
      [fault.body, fault.error, fault.html, fault.eventsReceived].filter((v) => v !== undefined)
        .length <= 1,
    { message: 'set at most one of body, error, html and eventsReceived' },
  );
export type Fault = z.output<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;

const faultListSchema = z.array(faultSchema);
const faultFileSchema = z.strictObject({ faults: faultListSchema });

export class InvalidFaultsError extends Error {
  readonly code = 'INVALID_FAULTS';
  constructor(readonly problems: string[]) {
    super(`Invalid faults: ${problems.join('; ')}`);
    this.name = 'InvalidFaultsError';
  }
}

/**
 * Parses faults from JSON input: a list of faults, `{ "faults": [...] }`, or one fault. The
 * error names each invalid field.
 */
export function parseFaults(input: unknown): Fault[] {
  const parsed = Array.isArray(input)
    ? faultListSchema.safeParse(input)
    : typeof input === 'object' && input !== null && 'faults' in input
      ? faultFileSchema.transform((value) => value.faults).safeParse(input)
      : faultSchema.transform((fault) => [fault]).safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidFaultsError(
    parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

/** Reads faults from a JSON file, for the emulator's startup. */
export function readFaultsFile(filePath: string): Fault[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new InvalidFaultsError([`cannot read ${filePath}: ${(error as Error).message}`]);
  }
  return parseFaults(raw);
}

export class FaultQueue {
  private queue: Fault[] = [];

  add(faults: Fault[]): void {
    this.queue.push(...faults.map((fault) => ({ ...fault })));
  }

  /** Takes one use of the first fault that matches the request, if any. */
  take(pixelId: string, eventNames: string[]): Fault | undefined {
    const index = this.queue.findIndex(
      (fault) =>
        (fault.match?.pixelId === undefined || fault.match.pixelId === pixelId) &&
        (fault.match?.eventName === undefined || eventNames.includes(fault.match.eventName)),
    );
    if (index < 0) return undefined;

    const fault = this.queue[index]!;
    fault.times -= 1;
    if (fault.times <= 0) this.queue.splice(index, 1);
    return fault;
  }

  pending(): Fault[] {
    return this.queue.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.queue = [];
  }
}
