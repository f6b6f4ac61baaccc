import { describe, expect, it } from 'vitest';
import type { IngestStatus } from '../core/health.js';
import type { Queryable } from '../db/pool.js';
import { checkHealth, type HealthDeps } from './health.js';

const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);

function db(query: () => Promise<unknown>): Queryable {
  return { query } as unknown as Queryable;
}

function status(overrides: Partial<IngestStatus> = {}): IngestStatus {
  return { instanceId: 'box-1', state: 'running', since: '2024-03-01T11:00:00Z', ...overrides };
}

function deps(overrides: Partial<HealthDeps> = {}): HealthDeps {
  return {
    db: db(async () => ({ rows: [{ '?column?': 1 }] })),
    embeddedDatabase: true,
    embeddedBroker: false,
    brokerConnected: () => true,
    ingestInstances: () => [{ status: status(), receivedAt: NOW - 2000 }],
    now: () => NOW,
    ...overrides,
  };
}

describe('checkHealth', () => {
  it('reports ok when the database, the broker and an ingest process are up', async () => {
    const report = await checkHealth(deps());
    expect(report.status).toBe('ok');
    expect(report.time).toBe('2024-03-01T12:00:00.000Z');
    expect(report.broker).toEqual({ state: 'up', embedded: false });
    expect(report.database).toMatchObject({ state: 'up', embedded: true, error: null });
    expect(report.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.ingest).toEqual({ state: 'up', instances: [status()] });
  });

  it('reports the database down with its error when the query fails', async () => {
    const report = await checkHealth(deps({ db: db(async () => Promise.reject(new Error('password authentication failed'))) }));
    expect(report.status).toBe('degraded');
    expect(report.database).toEqual({ state: 'down', embedded: true, latencyMs: null, error: 'password authentication failed' });
    expect(report.broker.state).toBe('up');
    expect(report.ingest.state).toBe('up');
  });

  it('gives up on a database that does not answer within databaseTimeoutMs', async () => {
    const started = Date.now();
    const report = await checkHealth(deps({ db: db(() => new Promise(() => undefined)), databaseTimeoutMs: 50 }));
    const took = Date.now() - started;
    expect(report.status).toBe('degraded');
    expect(report.database).toEqual({ state: 'down', embedded: true, latencyMs: null, error: 'no answer within 50 ms' });
    // Timers may fire a millisecond early on some platforms; anything near a second means the default 3 s leaked in.
    expect(took).toBeGreaterThanOrEqual(45);
    expect(took).toBeLessThan(1000);
  });

  it('reports a running instance whose status is older than ingestStaleAfterMs as offline, and ingest down', async () => {
    const report = await checkHealth(
      deps({ ingestStaleAfterMs: 10_000, ingestInstances: () => [{ status: status(), receivedAt: NOW - 10_001 }] }),
    );
    expect(report.status).toBe('degraded');
    expect(report.ingest).toEqual({ state: 'down', instances: [status({ state: 'offline' })] });
  });

  it('still counts a status exactly ingestStaleAfterMs old as running', async () => {
    const report = await checkHealth(
      deps({ ingestStaleAfterMs: 10_000, ingestInstances: () => [{ status: status(), receivedAt: NOW - 10_000 }] }),
    );
    expect(report.ingest).toEqual({ state: 'up', instances: [status()] });
  });

  it('uses 15 s as the default staleness limit', async () => {
    const fresh = await checkHealth(deps({ ingestInstances: () => [{ status: status(), receivedAt: NOW - 15_000 }] }));
    const stale = await checkHealth(deps({ ingestInstances: () => [{ status: status(), receivedAt: NOW - 15_001 }] }));
    expect(fresh.ingest.state).toBe('up');
    expect(stale.ingest.state).toBe('down');
  });

  it('is up while at least one instance runs, and leaves the others as they reported', async () => {
    const stopped = status({ instanceId: 'box-2', state: 'stopped' });
    const report = await checkHealth(
      deps({
        ingestInstances: () => [
          { status: stopped, receivedAt: NOW - 60_000 },
          { status: status(), receivedAt: NOW - 1000 },
        ],
      }),
    );
    expect(report.status).toBe('ok');
    expect(report.ingest).toEqual({ state: 'up', instances: [stopped, status()] });
  });

  it('reports ingest down when no instance has reported', async () => {
    const report = await checkHealth(deps({ ingestInstances: () => [] }));
    expect(report.status).toBe('degraded');
    expect(report.ingest).toEqual({ state: 'down', instances: [] });
  });

  it('reports degraded when the broker is disconnected', async () => {
    const report = await checkHealth(deps({ brokerConnected: () => false, embeddedBroker: true }));
    expect(report.status).toBe('degraded');
    expect(report.broker).toEqual({ state: 'down', embedded: true });
    expect(report.database.state).toBe('up');
    expect(report.ingest.state).toBe('up');
  });
});
