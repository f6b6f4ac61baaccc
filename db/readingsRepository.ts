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

// Parameters: $1 time, $2 device_id, $3 period_s, $4 ward_code, $5 usrn, $6 lon, $7 lat, then one array per metric in METRICS order.
const INSERT_SQL = `INSERT INTO readings (time, device_id, period_s, ward_code, usrn, lon, lat, ${METRIC_COLUMNS})
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::int4[], $4::text[], $5::int8[], $6::float8[], $7::float8[],
  ${METRICS.map((metric, i) => `$${i + 8}::${COLUMN_TYPES[metric]}[]`).join(', ')})
ON CONFLICT (device_id, time) DO NOTHING
RETURNING device_id, time`;

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

export interface InsertResult {
  /** The readings that were new; the rest were already stored (a redelivery or resend). */
  inserted: Reading[];
  duplicates: number;
}

export class ReadingsRepository {
  constructor(private readonly db: Queryable) {}

  async insertBatch(readings: readonly Reading[]): Promise<InsertResult> {
    if (readings.length === 0) return { inserted: [], duplicates: 0 };
    const params: unknown[] = [
      readings.map((r) => r.time),
      readings.map((r) => r.deviceId),
      readings.map((r) => r.periodS ?? null),
      readings.map((r) => r.place?.wardCode ?? null),
      readings.map((r) => r.place?.usrn ?? null),
      readings.map((r) => r.position?.lon ?? null),
      readings.map((r) => r.position?.lat ?? null),
      ...METRICS.map((metric) => readings.map((r) => r.values[metric] ?? null)),
    ];
    const result = await this.db.query<{ device_id: string; time: Date }>(INSERT_SQL, params);
    const insertedKeys = new Set(result.rows.map((row) => `${row.device_id}\u0000${row.time.getTime()}`));
    // Within one batch the same key can occur twice; only its first occurrence was inserted.
    const inserted: Reading[] = [];
    for (const reading of readings) {
      const key = `${reading.deviceId}\u0000${Date.parse(reading.time)}`;
      if (insertedKeys.delete(key)) inserted.push(reading);
    }
    return { inserted, duplicates: readings.length - inserted.length };
  }

  /** The newest reading of every registered device that has one (one index probe per device). */
  async latestPerDevice(): Promise<LiveReading[]> {
    const result = await this.db.query<ReadingRow>(
      `SELECT r.* FROM devices d
       CROSS JOIN LATERAL (
         SELECT ${SELECT_COLUMNS} FROM readings WHERE device_id = d.id ORDER BY time DESC LIMIT 1
       ) r
       ORDER BY r.device_id`,
    );
    return result.rows.map(toLiveReading);
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
