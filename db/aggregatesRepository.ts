import { METRICS, type Metric } from '../core/metrics.js';
import type { Queryable } from './pool.js';

/**
 * The continuous aggregates of db/migrations/0007_time_series_store.sql: hourly and daily (London
 * days), per device, ward and street, all with the same columns per metric (`<metric>_sum`, `_n`,
 * `_min`, `_max`, `_flagged`), plus `readings` and `on_time`. Traffic counts are aggregated as flows
 * (vehicles per hour). Flagged values are already left out of sums, counts, minima and maxima.
 *
 * A device's hourly rows are split by the ward and street each reading was joined to (a mobile
 * device can cross several in an hour); every query here adds them back together.
 */

export type AggregateScope = 'device' | 'ward' | 'street';
export type AggregateBucket = 'hour' | 'day';

const VIEWS: Readonly<Record<AggregateScope, { hour: string; day: string; key: string; keyType: string }>> = {
  device: { hour: 'readings_hourly', day: 'readings_daily', key: 'device_id', keyType: 'text' },
  ward: { hour: 'ward_hourly', day: 'ward_daily', key: 'ward_code', keyType: 'text' },
  street: { hour: 'street_hourly', day: 'street_daily', key: 'usrn', keyType: 'int8' },
};

/** One metric over one bucket (or a whole period). */
export interface MetricAggregate {
  /** Mean of the valid values (µg/m³, °C, %, km/h; vehicles per hour for counts); null when none. */
  mean: number | null;
  /** Valid values. */
  n: number;
  min: number | null;
  max: number | null;
  /** Values left out as suspect (stuck or out of range). */
  flagged: number;
}

export interface AggregateRow {
  /** Start of the bucket, ISO 8601 UTC (a London midnight for daily buckets). */
  start: string;
  /** Readings stored (any metric), and how many of them arrived within 15 minutes of being taken. */
  readings: number;
  onTime: number;
  metrics: Partial<Record<Metric, MetricAggregate>>;
}

export interface AreaAggregate {
  /** Ward code or USRN (as text) or device id. */
  id: string;
  /** Buckets that hold readings. */
  buckets: number;
  readings: number;
  onTime: number;
  metrics: Partial<Record<Metric, MetricAggregate>>;
}

/** A device's sums and counts per bucket, for the air-quality rules in core/ (means from sums). */
export interface DeviceBucketSums {
  deviceId: string;
  start: string;
  readings: number;
  sums: Partial<Record<Metric, { sum: number; n: number }>>;
}

/** The columns each metric has in every view, `<metric>_<part>`. */
const PER_METRIC = ['sum', 'n', 'min', 'max', 'flagged'] as const;

/** Metric names become column names: only known ones. */
function checkMetrics(metrics: readonly Metric[]): void {
  for (const metric of metrics) if (!METRICS.includes(metric)) throw new RangeError(`unknown metric "${metric}"`);
}

function metricColumns(metrics: readonly Metric[]): string {
  checkMetrics(metrics);
  return metrics
    .map((m) => `sum(${m}_sum)::float8 AS ${m}_sum, sum(${m}_n)::int8 AS ${m}_n, min(${m}_min)::float8 AS ${m}_min, max(${m}_max)::float8 AS ${m}_max, sum(${m}_flagged)::int8 AS ${m}_flagged`)
    .join(',\n  ');
}

type Row = Record<string, unknown>;

function readMetrics(row: Row, metrics: readonly Metric[]): Partial<Record<Metric, MetricAggregate>> {
  const out: Partial<Record<Metric, MetricAggregate>> = {};
  for (const m of metrics) {
    const n = Number(row[`${m}_n`] ?? 0);
    const flagged = Number(row[`${m}_flagged`] ?? 0);
    if (n === 0 && flagged === 0) continue;
    out[m] = {
      mean: n > 0 ? (row[`${m}_sum`] as number) / n : null,
      n,
      min: (row[`${m}_min`] as number | null) ?? null,
      max: (row[`${m}_max`] as number | null) ?? null,
      flagged,
    };
  }
  return out;
}

/** One device's means over one hour (only the metrics it has valid values of). */
export interface DeviceHourMeans {
  deviceId: string;
  /** Start of the hour, ISO 8601 UTC. */
  start: string;
  /** Readings stored in the hour, of any metric. */
  readings: number;
  means: Partial<Record<Metric, number>>;
}

export interface SeriesQuery {
  scope: AggregateScope;
  /** Device id, ward code or USRN. */
  id: string;
  metrics: readonly Metric[];
  bucket: AggregateBucket;
  from: Date;
  to: Date;
  /** Keyset paging: only buckets after this start. */
  after?: Date;
  limit: number;
}

export class AggregatesRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * A device's, ward's or street's buckets in [from, to), oldest first, at most `limit`. The page
   * comes back as one text value built in the database, a line of numbers per bucket: a year of
   * hours row by row spent ~120 ms crossing the embedded database's socket, against ~25 ms to read
   * them (docs/store-performance.md); text aggregation measured cheaper than json_agg.
   */
  async series(query: SeriesQuery): Promise<AggregateRow[]> {
    checkMetrics(query.metrics);
    const view = VIEWS[query.scope];
    const columns = ['readings', 'on_time', ...query.metrics.flatMap((m) => PER_METRIC.map((part) => `${m}_${part}`))];
    // A ward's or street's view has one row per bucket; a device's is split by ward and street.
    const rows =
      query.scope === 'device'
        ? `SELECT bucket, sum(readings)::int8 AS readings, sum(on_time)::int8 AS on_time, ${metricColumns(query.metrics)}
  FROM ${view[query.bucket]} WHERE ${view.key} = $1::${view.keyType} AND bucket >= $2 AND bucket < $3 AND bucket > $4
  GROUP BY bucket ORDER BY bucket LIMIT $5`
        : `SELECT bucket, ${columns.join(', ')}
  FROM ${view[query.bucket]} WHERE ${view.key} = $1::${view.keyType} AND bucket >= $2 AND bucket < $3 AND bucket > $4
  ORDER BY bucket LIMIT $5`;
    // Numbers print exactly (shortest round-trip text); an empty field is NULL.
    // Prepared: planning the real-time views costs about as much as reading a year from them.
    const result = await this.db.query<{ page: string | null }>(
      {
        name: `series:${query.scope}:${query.bucket}:${query.metrics.join(',')}`,
        text: `SELECT string_agg(concat_ws(',', (extract(epoch FROM bucket) * 1000)::int8, ${columns.map((c) => `coalesce(${c}::text, '')`).join(', ')}), ';' ORDER BY bucket) AS page
FROM (${rows}) page`,
      },
      [query.id, query.from, query.to, query.after ?? new Date(0), query.limit],
    );
    const page = result.rows[0]?.page;
    if (!page) return [];
    return page.split(';').map((line) => {
      const fields = line.split(',');
      const row: Row = {};
      columns.forEach((column, i) => {
        const text = fields[i + 1];
        row[column] = text === undefined || text === '' ? null : Number(text);
      });
      return { start: new Date(Number(fields[0])).toISOString(), readings: Number(row.readings), onTime: Number(row.on_time), metrics: readMetrics(row, query.metrics) };
    });
  }

  /** Every device, ward or street with readings in [from, to), each summed over the period. */
  async summaries(scope: AggregateScope, metrics: readonly Metric[], bucket: AggregateBucket, from: Date, to: Date, ids?: readonly string[]): Promise<AreaAggregate[]> {
    const view = VIEWS[scope];
    const only = ids === undefined ? '' : ` AND ${view.key}::text = ANY($3::text[])`;
    const result = await this.db.query<Row & { id: string; buckets: string; readings: string; on_time: string }>(
      `SELECT ${view.key}::text AS id, count(DISTINCT bucket)::int8 AS buckets, sum(readings)::int8 AS readings, sum(on_time)::int8 AS on_time,
  ${metricColumns(metrics)}
FROM ${view[bucket]}
WHERE bucket >= $1 AND bucket < $2${scope === 'device' ? '' : ` AND ${view.key} IS NOT NULL`}${only}
GROUP BY ${view.key} ORDER BY ${view.key}`,
      ids === undefined ? [from, to] : [from, to, ids],
    );
    return result.rows.map((row) => ({
      id: row.id,
      buckets: Number(row.buckets),
      readings: Number(row.readings),
      onTime: Number(row.on_time),
      metrics: readMetrics(row, metrics),
    }));
  }

  /**
   * Every device's hourly means in [from, to), by hour then device: the map's replay. The mean is
   * worked out here as the series' is (sum of the valid values over their number), so flagged
   * values are left out; a metric with no valid value in the hour is null, and a device without
   * readings in an hour has no row for it.
   */
  async deviceHourlyMeans(from: Date, to: Date): Promise<DeviceHourMeans[]> {
    const result = await this.db.query<Row & { bucket: Date; device_id: string; readings: string }>(
      {
        name: 'replay:device-hourly-means',
        text: `SELECT bucket, device_id, sum(readings)::int8 AS readings,
  ${METRICS.map((m) => `sum(${m}_sum)::float8 / nullif(sum(${m}_n), 0)::float8 AS ${m}`).join(',\n  ')}
FROM readings_hourly
WHERE bucket >= $1 AND bucket < $2
GROUP BY bucket, device_id ORDER BY bucket, device_id`,
      },
      [from, to],
    );
    return result.rows.map((row) => {
      const means: Partial<Record<Metric, number>> = {};
      for (const m of METRICS) {
        const mean = row[m];
        if (typeof mean === 'number') means[m] = mean;
      }
      return { deviceId: row.device_id, start: row.bucket.toISOString(), readings: Number(row.readings), means };
    });
  }

  /**
   * Devices with readings in a ward or street in [from, to) (by where each reading was taken, so a
   * mobile device counts where it went), or the device itself.
   */
  async devicesIn(scope: AggregateScope, id: string, from: Date, to: Date): Promise<string[]> {
    if (scope === 'device') return [id];
    const view = VIEWS[scope];
    const result = await this.db.query<{ device_id: string }>(
      `SELECT DISTINCT device_id FROM readings_hourly WHERE ${view.key} = $1::${view.keyType} AND bucket >= $2 AND bucket < $3 ORDER BY device_id`,
      [id, from, to],
    );
    return result.rows.map((row) => row.device_id);
  }

  /**
   * Sums and counts by London hour of the day (0–23) over [from, to), for a ward's readings or some
   * devices': a briefing's daily pattern and busiest hour.
   */
  async hourOfDay(where: { wardCode: string } | { deviceIds: readonly string[] }, metrics: readonly Metric[], from: Date, to: Date): Promise<{ hour: number; sums: Partial<Record<Metric, { sum: number; n: number }>> }[]> {
    checkMetrics(metrics);
    const ward = 'wardCode' in where;
    const result = await this.db.query<Row & { hour: number }>(
      `SELECT extract(hour FROM bucket AT TIME ZONE 'Europe/London')::int AS hour,
  ${metrics.map((m) => `sum(${m}_sum)::float8 AS ${m}_sum, sum(${m}_n)::int8 AS ${m}_n`).join(', ')}
FROM readings_hourly
WHERE ${ward ? 'ward_code = $1::text' : 'device_id = ANY($1::text[])'} AND bucket >= $2 AND bucket < $3
GROUP BY 1 ORDER BY 1`,
      [ward ? where.wardCode : where.deviceIds, from, to],
    );
    return result.rows.map((row) => {
      const sums: Partial<Record<Metric, { sum: number; n: number }>> = {};
      for (const m of metrics) {
        const n = Number(row[`${m}_n`] ?? 0);
        if (n > 0) sums[m] = { sum: row[`${m}_sum`] as number, n };
      }
      return { hour: row.hour, sums };
    });
  }

  /** Hourly sums and counts of some devices in [from, to), by device then hour. */
  async deviceHours(deviceIds: readonly string[], metrics: readonly Metric[], from: Date, to: Date): Promise<DeviceBucketSums[]> {
    return this.deviceBuckets('readings_hourly', deviceIds, metrics, from, to);
  }

  /** SO2 sums and counts by quarter hour (for the DAQI and the 15-minute objective). */
  async deviceQuarterHours(deviceIds: readonly string[], from: Date, to: Date): Promise<DeviceBucketSums[]> {
    return this.deviceBuckets('readings_quarter_hourly', deviceIds, ['so2'], from, to);
  }

  private async deviceBuckets(view: string, deviceIds: readonly string[], metrics: readonly Metric[], from: Date, to: Date): Promise<DeviceBucketSums[]> {
    if (deviceIds.length === 0 || metrics.length === 0) return [];
    checkMetrics(metrics);
    const readings = view === 'readings_quarter_hourly' ? 'sum(so2_n + so2_flagged)' : 'sum(readings)';
    const result = await this.db.query<Row & { device_id: string; bucket: Date; readings: string }>(
      `SELECT device_id, bucket, ${readings}::int8 AS readings,
  ${metrics.map((m) => `sum(${m}_sum)::float8 AS ${m}_sum, sum(${m}_n)::int8 AS ${m}_n`).join(', ')}
FROM ${view}
WHERE device_id = ANY($1::text[]) AND bucket >= $2 AND bucket < $3
GROUP BY device_id, bucket ORDER BY device_id, bucket`,
      [deviceIds, from, to],
    );
    return result.rows.map((row) => {
      const sums: Partial<Record<Metric, { sum: number; n: number }>> = {};
      for (const m of metrics) {
        const n = Number(row[`${m}_n`] ?? 0);
        if (n > 0) sums[m] = { sum: row[`${m}_sum`] as number, n };
      }
      return { deviceId: row.device_id, start: row.bucket.toISOString(), readings: Number(row.readings), sums };
    });
  }
}
