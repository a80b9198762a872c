/**
 * Size and concurrency limits of the ingest server. The byte limits are those Customer.io states
 * for its Data Pipelines webhook destination: 500 KB per request and 32 KB per call.
 */
export const INGEST_LIMITS = {
  /** Largest request body accepted, in bytes. */
  maxRequestBytes: 500 * 1024,
  /** Largest single call accepted, in bytes of its JSON text. */
  maxCallBytes: 32 * 1024,
  /** Deepest nesting of objects and arrays accepted in a body. */
  maxJsonDepth: 64,
  /** Workflow starts (and profile writes) of one request in flight at once. */
  startConcurrency: 32,
  /** The `Retry-After` value of a 503, in seconds. */
  retryAfterSeconds: 10,
} as const;

export type IngestLimits = { -readonly [K in keyof typeof INGEST_LIMITS]: number };
