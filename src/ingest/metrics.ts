import { Counter, Registry } from 'prom-client';
import type { CallResult } from './types';

/** Prometheus counters of one ingest server, in a registry of its own so servers never collide. */
export class IngestMetrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'cio_capi_ingest_requests_total',
    help: 'HTTP requests handled, by route and status code',
    labelNames: ['route', 'status_code'] as const,
    registers: [this.registry],
  });

  private readonly calls = new Counter({
    name: 'cio_capi_ingest_calls_total',
    help: 'Calls received, by route and outcome',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly rejectedFields = new Counter({
    name: 'cio_capi_ingest_rejected_fields_total',
    help: 'Invalid fields of rejected calls, by route and error code',
    labelNames: ['route', 'code'] as const,
    registers: [this.registry],
  });

  countRequest(route: string, statusCode: number): void {
    this.requests.inc({ route, status_code: String(statusCode) });
  }

  countResults(route: string, results: CallResult[]): void {
    for (const result of results) {
      this.calls.inc({ route, outcome: result.outcome });
      for (const error of result.errors ?? []) this.rejectedFields.inc({ route, code: error.code });
    }
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
