import type { FastifyRequest } from 'fastify';

/** Route settings read by the authentication hooks. */
export interface RouteConfig {
  /** Requests need a bearer secret, Basic password or (when `signed`) a valid X-Signature. */
  authenticated?: boolean;
  /** The route also accepts, and checks, the Data Pipelines `X-Signature` header. */
  signed?: boolean;
  /** Label of the route in logs and metrics. */
  label: string;
}

/** The error body of every non-2xx response. */
export interface ErrorBody {
  code: string;
  message: string;
  requestId: string;
}

/** Builds the error body of a non-2xx response. */
export function errorBody(request: FastifyRequest, code: string, message: string): ErrorBody {
  return { code, message, requestId: request.id };
}
