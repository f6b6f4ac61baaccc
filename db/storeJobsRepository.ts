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
 * The order the aggregates must be refreshed in: each after the one it is built on, so a daily
 * bucket is computed from hours that are already there.
 */
const REFRESH_ORDER = ['readings_hourly', 'readings_quarter_hourly', 'ward_hourly', 'street_hourly', 'readings_daily', 'ward_daily', 'street_daily'];

/** The order jobs must run in: refreshes, then compression and retention. */
const RUN_ORDER = [...REFRESH_ORDER.map((view) => `refresh:${view}`), 'compression:readings', 'retention:readings'];

const bucketOf = (view: string): 'hour' | 'day' => (view.endsWith('_daily') ? 'day' : 'hour');

/**
 * How far back the refresh policies look: ingest accepts readings up to its backfill window old (the
 * quality scan flags up to a day back), plus a day's margin for the refresh schedule, plus a day
 * for daily buckets, so the oldest London day such a change can touch lies whole in the window.
 */
export function refreshWindows(backfillWindowH: number): Record<'hour' | 'day', string> {
  const hours = Math.max(backfillWindowH, 24) + 24;
  return { hour: `${hours} hours`, day: `${hours + 24} hours` };
}

/**
 * The earliest timestamp, 4714 BC, in TimescaleDB's internal time (Unix microseconds). Invalidation
 * log entries can start lower (at "minus infinity"); the part below this is no time at all, and a
 * refresh from the beginning of time leaves it in the log.
 */
const TIME_MIN = '-210866803200000000';

export interface StorePolicySettings {
  rawRetentionMonths: number;
  compressAfterDays: number;
  /** INGEST_BACKFILL_WINDOW_H: the oldest reading ingest accepts, in hours. */
  backfillWindowH: number;
}

/** A range of a continuous aggregate to refresh; `from` null is the beginning of time. */
export interface StaleRange {
  view: string;
  from: Date | null;
  to: Date;
}

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
   * Sets the age after which raw readings are dropped, the age after which their chunks are
   * compressed, and how far back each refresh looks (ingest's backfill window plus a margin), where
   * they differ from the policies'. Returns what changed.
   */
  async alignPolicies(settings: StorePolicySettings): Promise<string[]> {
    const window = refreshWindows(settings.backfillWindowH);
    const updates: { proc: string; target: string; key: string; interval: string }[] = [
      { proc: 'policy_retention', target: 'readings', key: 'drop_after', interval: `${settings.rawRetentionMonths} months` },
      { proc: 'policy_compression', target: 'readings', key: 'compress_after', interval: `${settings.compressAfterDays} days` },
      ...REFRESH_ORDER.map((view) => ({ proc: 'policy_refresh_continuous_aggregate', target: view, key: 'start_offset', interval: window[bucketOf(view)] })),
    ];
    const changed: string[] = [];
    for (const { proc, target, key, interval } of updates) {
      const result = await this.db.query<{ job_id: number }>(
        `SELECT j.job_id FROM timescaledb_information.jobs j
         WHERE j.proc_name = $1 AND j.hypertable_name = $2
           AND (j.config ->> $3)::interval IS DISTINCT FROM $4::interval`,
        [proc, target, key, interval],
      );
      for (const { job_id } of result.rows) {
        await this.db.query(`SELECT alter_job($1, config => jsonb_set(config, ARRAY[$2], to_jsonb($3::text)))
          FROM timescaledb_information.jobs WHERE job_id = $1`, [job_id, key, interval]);
        changed.push(`${target === 'readings' ? '' : `${target} `}${key} = ${interval}`);
      }
    }
    return changed;
  }

  /**
   * Continuous aggregates with changes older than their refresh policy's window, which the policy
   * would never reach: TimescaleDB's invalidation logs hold them (changes written to the layer
   * below, and ranges never materialised). Parents first.
   */
  async behindWindow(): Promise<StaleRange[]> {
    const result = await this.db.query<{ view: string; from: Date | null; to: Date }>(
      `WITH pending AS (
         SELECT c.user_view_name AS view, j.config ->> 'start_offset' AS start_offset, j.config ->> 'end_offset' AS end_offset,
                least((SELECT min(m.lowest_modified_value) FROM _timescaledb_catalog.continuous_aggs_materialization_invalidation_log m
                       WHERE m.materialization_id = c.mat_hypertable_id AND m.greatest_modified_value >= ${TIME_MIN}),
                      (SELECT min(h.lowest_modified_value) FROM _timescaledb_catalog.continuous_aggs_hypertable_invalidation_log h
                       WHERE h.hypertable_id = c.raw_hypertable_id AND h.greatest_modified_value >= ${TIME_MIN})) AS lowest
         FROM _timescaledb_catalog.continuous_agg c
         JOIN timescaledb_information.jobs j ON j.proc_name = 'policy_refresh_continuous_aggregate' AND j.hypertable_name = c.user_view_name
         WHERE j.config ->> 'start_offset' IS NOT NULL
       )
       SELECT view,
              CASE WHEN lowest <= ${TIME_MIN} THEN NULL ELSE _timescaledb_functions.to_timestamp(lowest) END AS "from",
              least(now() - start_offset::interval + interval '2 days', now() - end_offset::interval) AS "to"
       FROM pending
       WHERE lowest < _timescaledb_functions.to_unix_microseconds(now() - start_offset::interval)`,
    );
    const rank = (view: string) => REFRESH_ORDER.indexOf(view);
    // A refresh covers only whole buckets in its window: start two days early for London days.
    const early = (view: string) => (bucketOf(view) === 'day' ? 2 * 86_400_000 : 0);
    return result.rows
      .map((row) => ({ view: row.view, from: row.from && new Date(row.from.getTime() - early(row.view)), to: row.to }))
      .sort((a, b) => rank(a.view) - rank(b.view));
  }

  /**
   * Refreshes what lies behind the policies' windows (see behindWindow), parents before children (a
   * parent's refresh can leave its children behind in turn). Returns what was refreshed.
   */
  async catchUp(): Promise<StaleRange[]> {
    const done: StaleRange[] = [];
    for (let pass = 0; pass <= REFRESH_ORDER.length; pass++) {
      const next = (await this.behindWindow())[0];
      if (!next) break;
      await this.db.query('CALL refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)', [next.view, next.from, next.to]);
      done.push(next);
    }
    return done;
  }

  /**
   * Brings every aggregate up to date now, as a maintenance pass would: the catch-up behind the
   * windows, then every job in order. Returns what the catch-up refreshed.
   */
  async runAll(): Promise<StaleRange[]> {
    const caught = await this.catchUp();
    for (const job of await this.jobs()) await this.run(job.id);
    return caught;
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
