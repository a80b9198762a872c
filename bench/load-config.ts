/** The environment variable that passes the LoadConfig, as JSON, to the load process. */
export const LOAD_CONFIG_ENV = 'BENCH_LOAD_CONFIG';

/** Settings of the load process. */
export interface LoadConfig {
  /** `calls`: Customer.io calls to ingest. `baseline`: no-op workflow starts through a Temporal client. */
  mode: 'calls' | 'baseline';
  ingestUrl: string;
  ingestSecret: string;
  temporalAddress: string;
  taskQueue: string;
  /** Offered load in calls (or starts) per second. Unset means closed loop at `concurrency`. */
  rate?: number;
  /** Requests in flight at most; in closed loop, exactly this many. */
  concurrency: number;
  /** How long to send, in milliseconds. */
  durationMs: number;
  /** Calls per request: 1 sends a single call, more sends a `{ batch }`. */
  batchSize: number;
  seed: number;
  /** Prefix of every event id and workflow id of this phase, so phases never collide. */
  tag: string;
  /** Path of the file the load process writes its LoadResult to, as JSON. */
  resultPath: string;
}

/** Measurements of the load process. Times are Unix milliseconds from Date.now(). */
export interface LoadResult {
  startedAtMs: number;
  endedAtMs: number;
  requests: number;
  /** Calls or starts acknowledged (HTTP 202, or a resolved client start). */
  acked: number;
  /** Requests that failed or received another status than 202. */
  failed: number;
  /** Sends skipped because `concurrency` requests were already in flight (open loop only). */
  skipped: number;
  /** The first few failure messages, for the report. */
  failures: string[];
  /** Acknowledgement latency of each request, in milliseconds. */
  ackLatenciesMs: number[];
  /** Pairs of event id (or workflow id) and send time, one per started conversion or workflow. */
  sendTimes: Array<[string, number]>;
}
