import { asUnavailable, TemporalUnavailableError } from '../client';

/** Returns the error as a TemporalUnavailableError when it means Temporal could not be reached. */
export function asTemporalUnavailable(error: unknown): TemporalUnavailableError | undefined {
  const classified = asUnavailable(error);
  return classified instanceof TemporalUnavailableError ? classified : undefined;
}
