import { ServiceError } from '@temporalio/client';
import { TemporalUnavailableError } from '../client';

/** gRPC status codes that mean "try again later": CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const RETRYABLE_GRPC_CODES = new Set([1, 4, 8, 14]);

/**
 * Returns the error as a TemporalUnavailableError when it means Temporal could not be reached.
 * NOTE: ConversionStarter.start (client 1.24) lets through a ServiceError whose cause is a
 * DEADLINE_EXCEEDED or UNAVAILABLE gRPC error, which it does not classify, so it is unwrapped here.
 */
export function asTemporalUnavailable(error: unknown): TemporalUnavailableError | undefined {
  if (error instanceof TemporalUnavailableError) return error;
  const cause: unknown = error instanceof ServiceError ? error.cause : error;
  const code = grpcCode(cause);
  if (code === undefined || !RETRYABLE_GRPC_CODES.has(code)) return undefined;
  const detail = (cause as Error).message;
  return new TemporalUnavailableError(`Temporal is unavailable: ${detail}`, { cause: error });
}

/** The gRPC status code of an error; client-side deadline errors carry one without metadata. */
function grpcCode(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
