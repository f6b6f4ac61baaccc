import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreJobsRepository } from '../../db/storeJobsRepository.js';
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

  it('sets retention and compression to the configured ages, once', async () => {
    expect(await jobs.alignPolicies({ rawRetentionMonths: 13, compressAfterDays: 7 })).toEqual([]);
    expect(await jobs.alignPolicies({ rawRetentionMonths: 24, compressAfterDays: 3 })).toEqual(['drop_after = 24 months', 'compress_after = 3 days']);
    const config = await t.pool.query<{ proc_name: string; config: Record<string, unknown> }>(
      `SELECT proc_name, config FROM timescaledb_information.jobs WHERE proc_name IN ('policy_retention', 'policy_compression') ORDER BY proc_name`,
    );
    expect(config.rows.map((row) => [row.proc_name, row.config.compress_after ?? row.config.drop_after])).toEqual([
      ['policy_compression', '3 days'],
      ['policy_retention', '24 months'],
    ]);
    expect(await jobs.alignPolicies({ rawRetentionMonths: 24, compressAfterDays: 3 })).toEqual([]);
  });

  it('runs every job without error on an empty store', async () => {
    for (const job of await jobs.jobs()) await jobs.run(job.id);
    await jobs.checkpoint();
    expect(await jobs.compressionStats()).toEqual({ chunks: 0, compressedChunks: 0, beforeBytes: 0, afterBytes: 0 });
  });
});
