import { METRICS, type Metric, type MetricValues } from '../core/metrics.js';
import type { LiveReading, Reading } from '../core/reading.js';
import type { Queryable } from './pool.js';

/**
 * The `readings` hypertable. Writes are one batched INSERT … SELECT FROM unnest(…) per commit: COPY
 * over pglite-socket crashes the embedded database, and unnest is nearly as fast on a real server.
 */

const COLUMN_TYPES: Readonly<Record<Metric, string>> = {
  no2: 'float8',
  pm25: 'float8',
  pm10: 'float8',
  o3: 'float8',
  so2: 'float8',
  temperature: 'float8',
  humidity: 'float8',
  pedal_cycles: 'int4',
  two_wheeled_motor_vehicles: 'int4',
  cars_and_taxis: 'int4',
  buses_and_coaches: 'int4',
  lgvs: 'int4',
  all_hgvs: 'int4',
  speed_kmh: 'float8',
};

const METRIC_COLUMNS = METRICS.join(', ');
const SELECT_COLUMNS = `device_id, time, period_s, ${METRIC_COLUMNS}`;
/** The columns of `device_latest`, each device's newest reading (db/migrations/0008). */
const LATEST_COLUMNS = `device_id, time, received_at, period_s, lon, lat, ${METRIC_COLUMNS}`;
const LATEST_UPDATE = LATEST_COLUMNS.split(', ')
  .slice(1)
  .map((column) => `${column} = excluded.${column}`)
  .join(', ');

interface InsertColumn {
  name: string;
  type: string;
  value(reading: Reading): unknown;
}

const KEY_COLUMNS: readonly InsertColumn[] = [
  { name: 'time', type: 'timestamptz', value: (r) => r.time },
  { name: 'device_id', type: 'text', value: (r) => r.deviceId },
  { name: 'ward_code', type: 'text', value: (r) => r.place?.wardCode ?? null },
  { name: 'usrn', type: 'int8', value: (r) => r.place?.usrn ?? null },
];

/** Columns written only when some reading in the batch has them. */
const OPTIONAL_COLUMNS: readonly (InsertColumn & { present(reading: Reading): boolean })[] = [
  { name: 'period_s', type: 'int4', value: (r) => r.periodS ?? null, present: (r) => r.periodS !== undefined },
  { name: 'lon', type: 'float8', value: (r) => r.position?.lon ?? null, present: (r) => r.position !== undefined },
  { name: 'lat', type: 'float8', value: (r) => r.position?.lat ?? null, present: (r) => r.position !== undefined },
  ...METRICS.map((metric) => ({
    name: metric,
    type: COLUMN_TYPES[metric],
    value: (r: Reading) => r.values[metric] ?? null,
    present: (r: Reading) => r.values[metric] !== undefined,
  })),
];

const insertSqls = new Map<string, string>();

/**
 * One statement per set of columns, cached: a batch sends arrays only for the columns its readings
 * have (the database parses every array element, NULLs included), and `received_at` is the batch's
 * own mark, so the rows this statement inserted can be told from those already there.
 */
function insertSql(columns: readonly InsertColumn[]): string {
  const signature = columns.map((column) => column.name).join(',');
  let sql = insertSqls.get(signature);
  if (sql === undefined) {
    sql = `WITH stored AS (
  INSERT INTO readings (received_at, ${columns.map((column) => column.name).join(', ')})
  SELECT $1::timestamptz, * FROM unnest(${columns.map((column, i) => `$${i + 2}::${column.type}[]`).join(', ')})
  ON CONFLICT (device_id, time) DO NOTHING
  RETURNING ${LATEST_COLUMNS}
), newest AS (
  INSERT INTO device_latest (${LATEST_COLUMNS})
  SELECT DISTINCT ON (device_id) ${LATEST_COLUMNS} FROM stored ORDER BY device_id, time DESC
  ON CONFLICT (device_id) DO UPDATE SET ${LATEST_UPDATE}
  WHERE device_latest.time < excluded.time
)
SELECT count(*)::int AS inserted FROM stored`;
    insertSqls.set(signature, sql);
  }
  return sql;
}

const keyOf = (deviceId: string, timeMs: number) => `${deviceId}\u0000${timeMs}`;

let markCounter = 0;

/** A timestamp unique to one batch of this process: the clock to the millisecond, then a counter in the microseconds. */
function batchMark(): string {
  markCounter = (markCounter + 1) % 1000;
  return `${new Date().toISOString().slice(0, -1)}${String(markCounter).padStart(3, '0')}Z`;
}

type ReadingRow = { device_id: string; time: Date; period_s: number | null } & Record<Metric, number | null>;

function toLiveReading(row: ReadingRow): LiveReading {
  const values: MetricValues = {};
  for (const metric of METRICS) {
    const value = row[metric];
    if (value !== null) values[metric] = value;
  }
  return {
    deviceId: row.device_id,
    time: row.time.toISOString(),
    values,
    ...(row.period_s === null ? {} : { periodS: row.period_s }),
  };
}

/** One value of one metric from one reading. */
export interface RawPoint {
  time: string;
  deviceId: string;
  value: number;
}

const AREA_COLUMN: Readonly<Record<'device' | 'ward' | 'street', string>> = { device: 'device_id', ward: 'ward_code', street: 'usrn::text' };

export interface InsertResult {
  /** The readings that were new; the rest were already stored (a redelivery or resend). */
  inserted: Reading[];
  duplicates: number;
}

export class ReadingsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Inserts a batch, skipping readings already stored (same device and time) and repeats within the
   * batch; says which were new. The same statement keeps `device_latest` (each device's newest
   * reading) and returns only a count: when every reading is new (the usual case) the count says so;
   * only when some were not does a second query find this batch's rows by its mark.
   */
  async insertBatch(readings: readonly Reading[]): Promise<InsertResult> {
    const unique: Reading[] = [];
    const seen = new Set<string>();
    for (const reading of readings) {
      const key = keyOf(reading.deviceId, Date.parse(reading.time));
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(reading);
    }
    if (unique.length === 0) return { inserted: [], duplicates: 0 };
    const columns = [...KEY_COLUMNS, ...OPTIONAL_COLUMNS.filter((column) => unique.some(column.present))];
    const mark = batchMark();
    const result = await this.db.query<{ inserted: number }>(insertSql(columns), [mark, ...columns.map((column) => unique.map(column.value))]);
    if (result.rows[0]?.inserted === unique.length) return { inserted: unique, duplicates: readings.length - unique.length };
    const fresh = await this.db.query<{ device_id: string; ms: number }>(
      `SELECT device_id, (extract(epoch FROM time) * 1000)::float8 AS ms FROM readings
       WHERE (device_id, time) IN (SELECT * FROM unnest($1::text[], $2::timestamptz[])) AND received_at = $3`,
      [unique.map((r) => r.deviceId), unique.map((r) => r.time), mark],
    );
    const freshKeys = new Set(fresh.rows.map((row) => keyOf(row.device_id, row.ms)));
    const inserted = unique.filter((reading) => freshKeys.has(keyOf(reading.deviceId, Date.parse(reading.time))));
    return { inserted, duplicates: readings.length - inserted.length };
  }

  /**
   * Every registered device's newest reading, from `device_latest` (kept by insertBatch), in device
   * id order. One small table: a probe per device into the hypertable cost 155 ms at p50 a year in
   * (docs/store-performance.md).
   */
  async latestPerDevice(): Promise<LiveReading[]> {
    const result = await this.db.query<ReadingRow>(
      `SELECT ${SELECT_COLUMNS.split(', ').map((column) => `l.${column}`).join(', ')} FROM device_latest l
       JOIN devices d ON d.id = l.device_id ORDER BY l.device_id COLLATE "C"`,
    );
    return result.rows.map(toLiveReading);
  }

  /**
   * Rebuilds `device_latest` from the hypertable, for readings written without insertBatch (a bulk
   * import, the store benchmark's generated year).
   */
  async rebuildLatest(): Promise<void> {
    await this.db.query(
      `INSERT INTO device_latest (${LATEST_COLUMNS})
       SELECT r.* FROM devices d
       CROSS JOIN LATERAL (SELECT ${LATEST_COLUMNS} FROM readings WHERE device_id = d.id ORDER BY time DESC LIMIT 1) r
       ON CONFLICT (device_id) DO UPDATE SET ${LATEST_UPDATE} WHERE device_latest.time < excluded.time`,
    );
  }

  /**
   * Every reading in [from, to) whose value of any metric is not yet flagged, by device then time,
   * for the quality scan. `flags` says which metrics are already flagged.
   */
  async window(from: Date, to: Date): Promise<(LiveReading & { flags: number })[]> {
    const result = await this.db.query<ReadingRow & { flags: number }>(
      `SELECT ${SELECT_COLUMNS}, flags FROM readings WHERE time >= $1 AND time < $2 ORDER BY device_id, time`,
      [from, to],
    );
    return result.rows.map((row) => ({ ...toLiveReading(row), flags: row.flags }));
  }

  /**
   * One metric's raw values in a device, ward or street in [from, to), by time then device, at most
   * `limit`, after the (time, device) `after` when given (keyset paging). Suspect values are
   * included: raw means as stored.
   */
  async points(
    scope: 'device' | 'ward' | 'street',
    id: string,
    metric: Metric,
    from: Date,
    to: Date,
    after: { time: Date; deviceId: string } | undefined,
    limit: number,
  ): Promise<RawPoint[]> {
    if (!METRICS.includes(metric)) throw new RangeError(`unknown metric "${metric}"`);
    const result = await this.db.query<{ time: Date; device_id: string; value: number }>(
      `SELECT time, device_id, ${metric}::float8 AS value FROM readings
       WHERE ${AREA_COLUMN[scope]} = $1 AND time >= $2 AND time < $3 AND ${metric} IS NOT NULL
         AND (time, device_id) > ($4::timestamptz, $5::text)
       ORDER BY time, device_id LIMIT $6`,
      [id, from, to, after?.time ?? new Date(0), after?.deviceId ?? '', limit],
    );
    return result.rows.map((row) => ({ time: row.time.toISOString(), deviceId: row.device_id, value: row.value }));
  }

  /** Raw readings of one device in [from, to), oldest first, at most `limit`. */
  async series(deviceId: string, from: Date, to: Date, limit: number): Promise<LiveReading[]> {
    const result = await this.db.query<ReadingRow>(
      `SELECT ${SELECT_COLUMNS} FROM readings
       WHERE device_id = $1 AND time >= $2 AND time < $3
       ORDER BY time LIMIT $4`,
      [deviceId, from, to, limit],
    );
    return result.rows.map(toLiveReading);
  }
}
