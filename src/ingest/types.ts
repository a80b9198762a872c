import type { FastifyBaseLogger } from 'fastify';
import type { ConversionStarter } from '../client';
import type { PipelinesCall } from '../customerio/call';
import type { MappingConfig } from '../config/mapping';
import type { Settings } from '../config/settings';
import type { IdentityOptions } from '../identity/types';
import type { ConversionInput, ConversionOrigin, Reason } from '../workflows/types';
import type { IngestLimits } from './limits';

/** What the ingest server does with one call: every outcome a call can have in a 2xx or 5xx body. */
export const CALL_OUTCOME = {
  started: 'started',
  duplicate: 'duplicate',
  skipped: 'skipped',
  profileUpdated: 'profile_updated',
  rejected: 'rejected',
  /** Only in a 503 or 500 body: the call was not started, so the sender must deliver it again. */
  notStarted: 'not_started',
} as const;
export type CallOutcome = (typeof CALL_OUTCOME)[keyof typeof CALL_OUTCOME];

/** One invalid field of a request or call. */
export interface FieldError {
  /** JSON path of the field, such as `$.batch[2].messageId`. */
  path: string;
  /** Stable machine-readable code, such as `invalid_type` or `too_big`. */
  code: string;
  message: string;
}

/** The result of one call, at its position in the request. */
export interface CallResult {
  /** Position in the batch; 0 for a single call. */
  index: number;
  messageId?: string;
  outcome: CallOutcome;
  workflowId?: string;
  reason?: Reason;
  errors?: FieldError[];
}

/** What `prepare` decides for one valid track, page or other non-identify call. */
export type PreparedCall =
  | { kind: 'start'; input: ConversionInput }
  | { kind: 'skip'; reason: Reason }
  | { kind: 'reject'; reason: Reason };

export interface PrepareContext {
  origin: ConversionOrigin;
  /** When the request arrived, ISO 8601. */
  receivedAt: string;
}

/**
 * Maps a valid call to the workflow input (Meta event name, event id, sealed call) or a skip.
 * It must replace every personal value by its digest: raw email and phone never reach Temporal.
 */
export type PrepareCall = (
  call: PipelinesCall,
  context: PrepareContext,
) => PreparedCall | Promise<PreparedCall>;

/** The receiver of identify calls. They never start a workflow. */
export interface ProfileSink {
  recordIdentify(call: PipelinesCall): Promise<void>;
}

/** One call the server rejected, for an operator to fix and replay. */
export interface RejectedCallEntry {
  route: IngestRoute;
  requestId: string;
  index: number;
  messageId?: string;
  receivedAt: string;
  errors: FieldError[];
  /** The call with its personal values sealed (see sealRejectedCall); undefined when it had none to keep. */
  call: unknown;
}

/** Keeps rejected calls; a failing sink is logged and never changes the HTTP response. */
export interface RejectionSink {
  recordRejectedCall(entry: RejectedCallEntry): Promise<void> | void;
}

export const INGEST_ROUTE = { pipelines: 'pipelines', journeys: 'journeys' } as const;
export type IngestRoute = (typeof INGEST_ROUTE)[keyof typeof INGEST_ROUTE];

/** The part of ConversionStarter the server uses. */
export type WorkflowStarter = Pick<ConversionStarter, 'start' | 'ping'>;

export interface IngestServerOptions {
  /** The secrets, and the pixel id every conversion goes to. */
  settings: {
    ingest: Pick<Settings['ingest'], 'bearerSecrets' | 'pipelinesSigningSecrets'>;
    meta: Pick<Settings['meta'], 'pixelId'>;
  };
  starter: WorkflowStarter;
  /** The mapping the default prepare step resolves events with. Required unless `prepare` is set. */
  mapping?: MappingConfig;
  /** Options of sealCall, for the default prepare step and for sealing rejected calls. */
  identityOptions?: IdentityOptions;
  /** Maps and seals each call. @default createPrepare({ pixelId, mapping, identityOptions }) */
  prepare?: PrepareCall;
  profileSink?: ProfileSink;
  rejectionSink?: RejectionSink;
  /** A pino logger. @default a pino logger at level `info` on stdout */
  logger?: FastifyBaseLogger;
  /** Overrides of INGEST_LIMITS. */
  limits?: Partial<IngestLimits>;
  /** Serve `GET /metrics` (Prometheus text, behind the same authentication). @default true */
  metrics?: boolean;
}
