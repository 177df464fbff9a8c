// Prometheus metrics: request latency by route and status, and write outcomes by stage.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(labels: { node: string; zone: string }) {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'faultline_app_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const writes = new Counter({
    name: 'faultline_app_writes_total',
    help: 'POST /writes outcomes',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return { registry, requests, writes };
}

export type Metrics = ReturnType<typeof createMetrics>;
