import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadingsRepository } from '../../db/readingsRepository.js';
import { refreshWindows, StoreJobsRepository } from '../../db/storeJobsRepository.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';

/** The store's TimescaleDB jobs on the embedded database: listed in run order, settings applied. */

let t: TestDatabase;
let jobs: StoreJobsRepository;

beforeAll(async () => {
  t = await startTestDatabase();
  jobs = new StoreJobsRepository(t.pool);
});

afterAll(async () => {
  await t?.destroy();
});

describe('StoreJobsRepository', () => {
  it('lists the refreshes parents first, then compression, then retention', async () => {
    expect((await jobs.jobs()).map((job) => `${job.kind}:${job.target}`)).toEqual([
      'refresh:readings_hourly',
      'refresh:readings_quarter_hourly',
      'refresh:ward_hourly',
      'refresh:street_hourly',
      'refresh:readings_daily',
      'refresh:ward_daily',
      'refresh:street_daily',
      'compression:readings',
      'retention:readings',
    ]);
    expect((await jobs.jobs()).find((job) => job.target === 'readings_daily')?.scheduleIntervalMs).toBe(3_600_000);
  });

  it('sets retention, compression and the refresh windows from the configuration, once', async () => {
    expect(await jobs.alignPolicies({ rawRetentionMonths: 13, compressAfterDays: 7, backfillWindowH: 168 })).toEqual([]);
    expect(await jobs.alignPolicies({ rawRetentionMonths: 24, compressAfterDays: 3, backfillWindowH: 48 })).toEqual([
      'drop_after = 24 months',
      'compress_after = 3 days',
      'readings_hourly start_offset = 72 hours',
      'readings_quarter_hourly start_offset = 72 hours',
      'ward_hourly start_offset = 72 hours',
      'street_hourly start_offset = 72 hours',
      'readings_daily start_offset = 96 hours',
      'ward_daily start_offset = 96 hours',
      'street_daily start_offset = 96 hours',
    ]);
    const config = await t.pool.query<{ target: string; config: Record<string, unknown> }>(
      `SELECT hypertable_name || ' ' || proc_name AS target, config FROM timescaledb_information.jobs
       WHERE hypertable_name IN ('readings', 'ward_hourly', 'street_daily') ORDER BY 1`,
    );
    expect(config.rows.map((row) => [row.target, row.config.compress_after ?? row.config.drop_after ?? row.config.start_offset])).toEqual([
      ['readings policy_compression', '3 days'],
      ['readings policy_retention', '24 months'],
      ['street_daily policy_refresh_continuous_aggregate', '96 hours'],
      ['ward_hourly policy_refresh_continuous_aggregate', '72 hours'],
    ]);
    expect(await jobs.alignPolicies({ rawRetentionMonths: 24, compressAfterDays: 3, backfillWindowH: 48 })).toEqual([]);
    // Never shorter than the quality scan's day.
    expect(refreshWindows(1)).toEqual({ hour: '48 hours', day: '72 hours' });
    expect(await jobs.alignPolicies({ rawRetentionMonths: 13, compressAfterDays: 7, backfillWindowH: 168 })).toHaveLength(9);
  });

  it('runs every job without error on an empty store', async () => {
    for (const job of await jobs.jobs()) await jobs.run(job.id);
    await jobs.checkpoint();
    expect(await jobs.compressionStats()).toEqual({ chunks: 0, compressedChunks: 0, beforeBytes: 0, afterBytes: 0 });
  });
});

describe('StoreJobsRepository.catchUp', () => {
  const HOUR = 3_600_000;
  const hourStart = (msAgo: number) => new Date(Math.floor((Date.now() - msAgo) / HOUR) * HOUR);
  const store = (start: Date, no2: number) =>
    new ReadingsRepository(t.pool).insertBatch(
      Array.from({ length: 6 }, (_, i) => ({
        deviceId: 'cu-1',
        time: new Date(start.getTime() + i * 600_000).toISOString(),
        values: { no2 },
        place: { wardCode: 'E05000901', usrn: 7001 },
      })),
    );
  const wardHour = async (start: Date) =>
    (await t.pool.query<{ n: string; sum: number }>('SELECT no2_n AS n, no2_sum AS sum FROM ward_hourly WHERE ward_code = $1 AND bucket = $2', ['E05000901', start])).rows;
  const wardDays = async () => (await t.pool.query<{ n: string }>('SELECT sum(no2_n)::int8 AS n FROM ward_daily WHERE ward_code = $1', ['E05000901'])).rows[0]?.n;

  it('refreshes what lies behind the policies\u2019 windows, parents first, once', async () => {
    await t.pool.query(`INSERT INTO devices (id, name, kind, lon, lat, expected_interval_s) VALUES ('cu-1', 'Catch-up', 'air_quality', -2.3, 53.4, 600)`);
    const old = hourStart(40 * 24 * HOUR);
    const recent = hourStart(2 * 24 * HOUR);
    await store(old, 10);
    await store(recent, 20);
    for (const job of await jobs.jobs()) await jobs.run(job.id);
    // The policies look back 8 or 9 days: the 40-day-old hour is behind them, and hidden now that
    // the aggregates' watermark has moved past it.
    expect(await wardHour(old)).toEqual([]);
    expect(await wardHour(recent)).toEqual([{ n: '6', sum: 120 }]);
    const behind = await jobs.behindWindow();
    expect(behind.map((range) => [range.view, range.from])).toEqual([
      ['readings_hourly', null],
      ['readings_quarter_hourly', null],
      ['ward_hourly', null],
      ['street_hourly', null],
      ['readings_daily', null],
      ['ward_daily', null],
      ['street_daily', null],
    ]);
    expect((await jobs.catchUp()).map((range) => range.view)).toEqual(behind.map((range) => range.view));
    expect(await wardHour(old)).toEqual([{ n: '6', sum: 60 }]);
    expect(await wardDays()).toBe('12');
    expect(await jobs.behindWindow()).toEqual([]);
    expect(await jobs.catchUp()).toEqual([]);

    // A reading written 30 days back (as an import would) is found and lands in every aggregate.
    const imported = hourStart(30 * 24 * HOUR);
    await store(imported, 30);
    for (const job of await jobs.jobs()) await jobs.run(job.id);
    expect(await wardHour(imported)).toEqual([]);
    const second = await jobs.catchUp();
    expect(second[0]).toEqual({ view: 'readings_hourly', from: imported, to: expect.any(Date) });
    // Each view once: a daily view's range starts early enough to hold the whole London day.
    expect(second.map((range) => range.view)).toEqual(behind.map((range) => range.view));
    expect(await wardHour(imported)).toEqual([{ n: '6', sum: 180 }]);
    expect(await wardDays()).toBe('18');
    expect(await jobs.behindWindow()).toEqual([]);
  });
});
