import type { Queryable } from './pool.js';

/**
 * The TimescaleDB jobs of the time-series store (db/migrations/0007_time_series_store.sql): the
 * continuous aggregates' refresh policies, compression and retention of raw readings. A TimescaleDB
 * server runs them itself; the embedded database has no background workers, so the app runs them
 * here (ingest/storeMaintenance.ts).
 */

export type StoreJobKind = 'refresh' | 'compression' | 'retention';

export interface StoreJob {
  id: number;
  kind: StoreJobKind;
  /** The continuous aggregate or hypertable the job works on. */
  target: string;
  scheduleIntervalMs: number;
}

/**
 * The order jobs must run in: a continuous aggregate is refreshed after the one it is built on, so
 * a daily bucket is computed from hours that are already there; compression and retention last.
 */
const RUN_ORDER = [
  'refresh:readings_hourly',
  'refresh:readings_quarter_hourly',
  'refresh:ward_hourly',
  'refresh:street_hourly',
  'refresh:readings_daily',
  'refresh:ward_daily',
  'refresh:street_daily',
  'compression:readings',
  'retention:readings',
];

const KIND_OF_PROC: Readonly<Record<string, StoreJobKind>> = {
  policy_refresh_continuous_aggregate: 'refresh',
  policy_compression: 'compression',
  policy_retention: 'retention',
};

export interface CompressionStats {
  chunks: number;
  compressedChunks: number;
  /** Bytes of the compressed chunks before compression (table, indexes and TOAST). */
  beforeBytes: number;
  /** The same chunks' bytes after compression. */
  afterBytes: number;
}

export class StoreJobsRepository {
  constructor(private readonly db: Queryable) {}

  /** The store's jobs, in the order they must run. */
  async jobs(): Promise<StoreJob[]> {
    const result = await this.db.query<{ job_id: number; proc_name: string; hypertable_name: string; schedule_ms: number }>(
      `SELECT job_id, proc_name, hypertable_name, (extract(epoch FROM schedule_interval) * 1000)::float8 AS schedule_ms
       FROM timescaledb_information.jobs
       WHERE proc_name IN ('policy_refresh_continuous_aggregate', 'policy_compression', 'policy_retention')`,
    );
    const jobs = result.rows.flatMap((row): StoreJob[] => {
      const kind = KIND_OF_PROC[row.proc_name];
      return kind ? [{ id: row.job_id, kind, target: row.hypertable_name, scheduleIntervalMs: row.schedule_ms }] : [];
    });
    const rank = (job: StoreJob) => {
      const index = RUN_ORDER.indexOf(`${job.kind}:${job.target}`);
      return index === -1 ? RUN_ORDER.length : index;
    };
    return jobs.sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  }

  /** Runs a job now, in this session (not inside a transaction: a refresh cannot run in one). */
  async run(jobId: number): Promise<void> {
    await this.db.query('CALL run_job($1)', [jobId]);
  }

  /**
   * Sets the age after which raw readings are dropped and the age after which their chunks are
   * compressed, if either differs from the policy's. Returns what changed.
   */
  async alignPolicies(settings: { rawRetentionMonths: number; compressAfterDays: number }): Promise<string[]> {
    const changed: string[] = [];
    const retention = `${settings.rawRetentionMonths} months`;
    const compressAfter = `${settings.compressAfterDays} days`;
    const updates: [string, string, string][] = [
      ['policy_retention', 'drop_after', retention],
      ['policy_compression', 'compress_after', compressAfter],
    ];
    for (const [proc, key, interval] of updates) {
      const result = await this.db.query<{ job_id: number }>(
        `SELECT j.job_id FROM timescaledb_information.jobs j
         WHERE j.proc_name = $1 AND j.hypertable_name = 'readings'
           AND (j.config ->> $2)::interval IS DISTINCT FROM $3::interval`,
        [proc, key, interval],
      );
      for (const { job_id } of result.rows) {
        await this.db.query(`SELECT alter_job($1, config => jsonb_set(config, ARRAY[$2], to_jsonb($3::text)))
          FROM timescaledb_information.jobs WHERE job_id = $1`, [job_id, key, interval]);
        changed.push(`${key} = ${interval}`);
      }
    }
    return changed;
  }

  /**
   * Writes a checkpoint, so the write-ahead log can be recycled. The embedded database has no
   * checkpointer process: without this its WAL grows with every write until it is closed
   * (docs/embedded-database.md §7).
   */
  async checkpoint(): Promise<void> {
    await this.db.query('CHECKPOINT');
  }

  async compressionStats(): Promise<CompressionStats> {
    const result = await this.db.query<{
      total_chunks: string | null;
      number_compressed_chunks: string | null;
      before_compression_total_bytes: string | null;
      after_compression_total_bytes: string | null;
    }>(`SELECT total_chunks, number_compressed_chunks, before_compression_total_bytes, after_compression_total_bytes
        FROM hypertable_compression_stats('readings')`);
    const row = result.rows[0];
    return {
      chunks: Number(row?.total_chunks ?? 0),
      compressedChunks: Number(row?.number_compressed_chunks ?? 0),
      beforeBytes: Number(row?.before_compression_total_bytes ?? 0),
      afterBytes: Number(row?.after_compression_total_bytes ?? 0),
    };
  }
}
