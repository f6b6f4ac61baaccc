import type { HealthReport, IngestStatus } from '../core/health.js';
import type { Queryable } from '../db/pool.js';

/** Reports whether the broker, the database and at least one ingest process are working. */

export interface HealthDeps {
  db: Queryable;
  embeddedDatabase: boolean;
  embeddedBroker: boolean;
  brokerConnected(): boolean;
  ingestInstances(): { status: IngestStatus; receivedAt: number }[];
  /** An ingest status older than this means the process stopped reporting. */
  ingestStaleAfterMs?: number;
  databaseTimeoutMs?: number;
  now?: () => number;
}

export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const now = deps.now ?? Date.now;
  const started = performance.now();
  let database: HealthReport['database'];
  try {
    await withTimeout(deps.db.query('SELECT 1'), deps.databaseTimeoutMs ?? 3000);
    database = { state: 'up', embedded: deps.embeddedDatabase, latencyMs: Math.round((performance.now() - started) * 10) / 10, error: null };
  } catch (error) {
    database = { state: 'down', embedded: deps.embeddedDatabase, latencyMs: null, error: (error as Error).message };
  }
  const staleAfter = deps.ingestStaleAfterMs ?? 15_000;
  const instances = deps.ingestInstances().map(({ status, receivedAt }) =>
    status.state === 'running' && now() - receivedAt > staleAfter ? { ...status, state: 'offline' as const } : status,
  );
  const ingestUp = instances.some((instance) => instance.state === 'running');
  const brokerUp = deps.brokerConnected();
  return {
    status: database.state === 'up' && brokerUp && ingestUp ? 'ok' : 'degraded',
    time: new Date(now()).toISOString(),
    broker: { state: brokerUp ? 'up' : 'down', embedded: deps.embeddedBroker },
    database,
    ingest: { state: ingestUp ? 'up' : 'down', instances },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
