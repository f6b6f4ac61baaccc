import { describe, expect, it } from 'vitest';
import type { StoreJob } from '../db/storeJobsRepository.js';
import { StoreMaintenance } from './storeMaintenance.js';

const job = (id: number, target: string, scheduleMinutes: number): StoreJob => ({ id, kind: 'refresh', target, scheduleIntervalMs: scheduleMinutes * 60_000 });

function rig(options: { runJobs?: boolean; failJob?: number; failScan?: boolean; failCatchUp?: boolean; checkpointMinutes?: number; failDeviceDays?: boolean } = {}) {
  let now = Date.parse('2026-11-21T10:00:00Z');
  const ran: number[] = [];
  const checkpoints: number[] = [];
  const scans: string[] = [];
  const warnings: string[] = [];
  const order: string[] = [];
  const maintenance = new StoreMaintenance({
    jobs: {
      jobs: async () => [job(1, 'readings_hourly', 5), job(2, 'readings_daily', 60)],
      run: async (id) => {
        if (id === options.failJob) throw new Error('refresh failed');
        ran.push(id);
        order.push(`job ${id}`);
      },
      catchUp: async () => {
        order.push('catch-up');
        if (options.failCatchUp) throw new Error('catch-up failed');
        return [];
      },
      checkpoint: async () => void checkpoints.push(now),
    },
    scan: async (at) => {
      if (options.failScan) throw new Error('scan failed');
      scans.push(at.toISOString());
      order.push('scan');
      return { from: at, to: at, readings: 0, flags: [] };
    },
    runJobs: options.runJobs ?? true,
    qualityScanMs: 5 * 60_000,
    deviceDays: {
      run: async (at) => {
        order.push(`days ${at.toISOString()}`);
        if (options.failDeviceDays) throw new Error('days failed');
        return { dates: ['2026-11-20', '2026-11-21'], rows: 4 };
      },
    },
    ...(options.checkpointMinutes === undefined ? {} : { checkpointMs: options.checkpointMinutes * 60_000 }),
    now: () => now,
    log: { info: () => undefined, debug: () => undefined, warn: (_object, message) => warnings.push(message) },
  });
  return { maintenance, ran, scans, warnings, checkpoints, order, advance: (minutes: number) => (now += minutes * 60_000) };
}

describe('StoreMaintenance', () => {
  it('works out the ward comparison days after the aggregates, every 5 minutes, whoever runs the jobs', async () => {
    for (const runJobs of [true, false]) {
      const r = rig({ runJobs });
      await r.maintenance.pass();
      expect(r.order.filter((step) => step !== 'scan')).toEqual([...(runJobs ? ['catch-up', 'job 1', 'job 2'] : ['catch-up']), 'days 2026-11-21T10:00:00.000Z']);
      r.advance(4);
      await r.maintenance.pass();
      expect(r.order.filter((step) => step.startsWith('days'))).toHaveLength(1);
      r.advance(1);
      await r.maintenance.pass();
      expect(r.order.filter((step) => step.startsWith('days'))).toEqual(['days 2026-11-21T10:00:00.000Z', 'days 2026-11-21T10:05:00.000Z']);
    }
  });

  it('logs a failure to work out the days and tries again on the next pass', async () => {
    const r = rig({ failDeviceDays: true });
    await r.maintenance.pass();
    await r.maintenance.pass();
    expect(r.warnings.filter((w) => w.includes('ward comparison'))).toHaveLength(2);
  });

  it('runs every job at the first pass, then each when its schedule interval has passed', async () => {
    const r = rig();
    await r.maintenance.pass();
    expect(r.ran).toEqual([1, 2]);
    r.advance(4);
    await r.maintenance.pass();
    expect(r.ran).toEqual([1, 2]);
    r.advance(1);
    await r.maintenance.pass();
    expect(r.ran).toEqual([1, 2, 1]);
    r.advance(55);
    await r.maintenance.pass();
    expect(r.ran).toEqual([1, 2, 1, 1, 2]);
  });

  it('scans quality on its own schedule, and runs no jobs when the database runs them', async () => {
    const r = rig({ runJobs: false });
    await r.maintenance.pass();
    r.advance(3);
    await r.maintenance.pass();
    r.advance(2);
    await r.maintenance.pass();
    expect(r.scans).toEqual(['2026-11-21T10:00:00.000Z', '2026-11-21T10:05:00.000Z']);
    expect(r.ran).toEqual([]);
  });

  it('logs a failing job or scan and carries on with the rest', async () => {
    const r = rig({ failJob: 1, failScan: true });
    await r.maintenance.pass();
    expect(r.ran).toEqual([2]);
    expect(r.warnings).toEqual(['store: quality scan failed; will retry', 'store: job failed; will retry']);
  });

  it('checkpoints an embedded database on its own schedule, and never a server', async () => {
    const embedded = rig({ checkpointMinutes: 10 });
    for (let i = 0; i < 4; i++) {
      await embedded.maintenance.pass();
      embedded.advance(5);
    }
    expect(embedded.checkpoints.map((at) => new Date(at).toISOString())).toEqual(['2026-11-21T10:00:00.000Z', '2026-11-21T10:10:00.000Z']);
    const server = rig({ runJobs: false });
    await server.maintenance.pass();
    expect(server.checkpoints).toEqual([]);
  });

  it('catches up behind the refresh windows on every pass, before the jobs, whoever runs them', async () => {
    const app = rig();
    await app.maintenance.pass();
    app.advance(1);
    await app.maintenance.pass();
    expect(app.order).toEqual(['scan', 'catch-up', 'job 1', 'job 2', 'days 2026-11-21T10:00:00.000Z', 'catch-up']);
    const server = rig({ runJobs: false, failCatchUp: true });
    await server.maintenance.pass();
    expect(server.order).toEqual(['scan', 'catch-up', 'days 2026-11-21T10:00:00.000Z']);
    expect(server.warnings).toEqual(['store: catch-up refresh failed; will retry']);
  });

  it('runs one pass at a time and stops cleanly', async () => {
    const r = rig();
    const [a, b] = [r.maintenance.pass(), r.maintenance.pass()];
    expect(a).toBe(b);
    await a;
    await r.maintenance.stop();
    expect(r.ran).toEqual([1, 2]);
  });
});
