import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Ingest's Prometheus metrics (served at /metrics by the web server, or by `smartplace ingest` on
 * INGEST_METRICS_PORT). One registry per ingest service, so tests can run several side by side.
 */
export class IngestMetrics {
  readonly registry = new Registry();
  readonly received = new Counter({
    name: 'smartplace_ingest_messages_received_total',
    help: 'MQTT messages taken in, by payload format ("none" when no topic pattern matched).',
    labelNames: ['format'] as const,
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'smartplace_ingest_messages_rejected_total',
    help: 'Messages refused and kept in the rejects table, by reason code.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly stored = new Counter({
    name: 'smartplace_ingest_readings_stored_total',
    help: 'Readings committed to the database for the first time.',
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'smartplace_ingest_readings_duplicate_total',
    help: 'Readings already stored (same device and time): redeliveries and resends, stored once.',
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'smartplace_ingest_batch_size',
    help: 'Readings and rejects per committed batch.',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000],
    registers: [this.registry],
  });
  readonly commitSeconds = new Histogram({
    name: 'smartplace_ingest_commit_seconds',
    help: 'Time to commit one batch, retries included.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly lagSeconds = new Histogram({
    name: 'smartplace_ingest_lag_seconds',
    help: 'From a reading being received to its batch being committed.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly pending = new Gauge({
    name: 'smartplace_ingest_pending_items',
    help: 'Readings and rejects received but not yet committed (their messages are not yet acknowledged).',
    registers: [this.registry],
  });
  readonly paused = new Gauge({
    name: 'smartplace_ingest_paused',
    help: '1 while ingest has stopped reading from the broker because too much is waiting for the database.',
    registers: [this.registry],
  });
  readonly brokerConnected = new Gauge({
    name: 'smartplace_ingest_broker_connected',
    help: '1 while the ingest subscription is connected to the broker.',
    registers: [this.registry],
  });
}
