import { EmbeddedDatabase } from '../db/embedded/embeddedDatabase.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openDb, type Db } from '../db/pool.js';
import { ReadingsRepository } from '../db/readingsRepository.js';
import { StoreJobsRepository } from '../db/storeJobsRepository.js';

/**
 * A generated year of readings for the store benchmark (bench/store.ts), written into an embedded
 * TimescaleDB the way the product stores them: 300 devices (240 air-quality, 60 traffic counters) in
 * 21 wards, one reading a minute each, ending at the last whole hour. Values have a daily cycle and
 * noise, rounded as sensors report them (0.1 µg/m³, whole vehicles), so compression sees realistic
 * data. The store's own jobs (refresh, compression) run every four generated weeks and a
 * checkpoint every week, so chunks are compressed and the WAL recycled as the data grows. Generating takes a while, so the directory can be kept and reused
 * (BENCH_STORE_DIR): a directory that already holds the same generated data is used as it is, and
 * an interrupted generation carries on from its last completed week.
 */

export interface StoreDataOptions {
  dir: string;
  devices: number;
  days: number;
  log(message: string): void;
}

export interface StoreData {
  database: EmbeddedDatabase;
  db: Db;
  /** End of the generated data (exclusive), a whole hour. */
  end: Date;
  start: Date;
  readings: number;
  wards: string[];
  deviceIds: string[];
  generateSeconds: number | null;
}

export const BENCH_WARDS = Array.from({ length: 21 }, (_, i) => `E059900${String(i + 1).padStart(2, '0')}`);

const DAY_MS = 86_400_000;

export async function openStoreData(options: StoreDataOptions): Promise<StoreData> {
  const database = await EmbeddedDatabase.start(options.dir, { port: 0, explicit: false });
  const db = openDb({ connectionString: database.url, max: 1, onError: () => undefined });
  await migrate(db, await loadMigrations());
  await db.query(`CREATE TABLE IF NOT EXISTS bench_store_meta (devices integer, days integer, start_at timestamptz, end_at timestamptz,
    generated_days integer, readings bigint, generate_s float8)`);
  type Meta = { devices: number; days: number; start_at: Date; end_at: Date; generated_days: number; readings: string; generate_s: number };
  let meta = (await db.query<Meta>('SELECT * FROM bench_store_meta')).rows[0];
  const deviceIds = Array.from({ length: options.devices }, (_, i) => `bench-${String(i + 1).padStart(3, '0')}`);
  if (meta && (meta.devices !== options.devices || meta.days !== options.days)) {
    throw new Error(`${options.dir} holds other generated data (${meta.devices} devices, ${meta.days} days); choose another BENCH_STORE_DIR`);
  }
  if (meta && meta.generated_days === options.days) {
    options.log(`reusing ${Number(meta.readings).toLocaleString('en-GB')} generated readings in ${options.dir}`);
    return { database, db, end: meta.end_at, start: meta.start_at, readings: Number(meta.readings), wards: BENCH_WARDS, deviceIds, generateSeconds: meta.generate_s };
  }
  if (!meta) {
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const start = new Date(end.getTime() - options.days * DAY_MS);
    await registerBenchDevices(db, deviceIds);
    meta = { devices: options.devices, days: options.days, start_at: start, end_at: end, generated_days: 0, readings: '0', generate_s: 0 };
    await db.query('INSERT INTO bench_store_meta VALUES ($1, $2, $3, $4, 0, 0, 0)', [options.devices, options.days, start, end]);
  } else {
    options.log(`resuming generation after day ${meta.generated_days} in ${options.dir}`);
    // Days written after the last completed week were not counted: write them again, counted.
    await db.query('DELETE FROM readings WHERE time >= $1', [new Date(meta.start_at.getTime() + meta.generated_days * DAY_MS)]);
  }
  const { start_at: start, end_at: end } = meta;
  const began = performance.now() - meta.generate_s * 1000;
  const jobs = new StoreJobsRepository(db);
  let readings = Number(meta.readings);
  for (let day = meta.generated_days; day < options.days; day++) {
    const from = new Date(start.getTime() + day * DAY_MS);
    const to = new Date(from.getTime() + DAY_MS);
    const result = await db.query(GENERATE_DAY, [from, to, options.devices, BENCH_WARDS]);
    readings += result.rowCount ?? 0;
    if (day % 7 === 6 || day === options.days - 1) {
      // The jobs every four weeks (their cost grows with the store: docs/store-performance.md), a
      // checkpoint every week, as the app does for the embedded database, to recycle the WAL.
      // The generated days lie behind the refresh policies' windows, as an import's would: the
      // catch-up refreshes them.
      if (day % 28 === 27 || day === options.days - 1) await jobs.runAll();
      await jobs.checkpoint();
      const elapsed = (performance.now() - began) / 1000;
      await db.query('UPDATE bench_store_meta SET generated_days = $1, readings = $2, generate_s = $3', [day + 1, readings, elapsed]);
      options.log(`day ${day + 1}/${options.days}: ${readings.toLocaleString('en-GB')} readings, ${Math.round(readings / elapsed).toLocaleString('en-GB')}/s so far`);
    }
  }
  // Written around insertBatch, so each device's newest reading is rebuilt from the hypertable.
  await new ReadingsRepository(db).rebuildLatest();
  const generateSeconds = (performance.now() - began) / 1000;
  return { database, db, end, start, readings, wards: BENCH_WARDS, deviceIds, generateSeconds };
}

async function registerBenchDevices(db: Db, deviceIds: readonly string[]): Promise<void> {
  // Four in five devices measure air quality, the rest count traffic; devices go round the wards.
  await db.query(
    `INSERT INTO devices (id, name, kind, lon, lat, expected_interval_s, ward_code, usrn)
     SELECT id, 'Bench ' || id, CASE WHEN i % 5 = 0 THEN 'traffic' ELSE 'air_quality' END,
            -2.35 + (i % 20) * 0.01, 53.40 + (i / 20) * 0.005, 60, ($2::text[])[1 + i % 21], 9000000 + i
     FROM unnest($1::text[]) WITH ORDINALITY AS d(id, i)`,
    [deviceIds, BENCH_WARDS],
  );
}

// One day of one-minute readings for every device. Air quality follows a daily cycle peaking in the
// rush hours, with noise; traffic counts per minute likewise, and speed falls as traffic rises.
const GENERATE_DAY = `
WITH minutes AS MATERIALIZED (
  SELECT t, hod, doy, greatest(exp(-((hod - 8.5) ^ 2) / 3), exp(-((hod - 17.5) ^ 2) / 4)) AS rush
  FROM generate_series($1::timestamptz, $2::timestamptz - INTERVAL '1 minute', INTERVAL '1 minute') AS t,
       LATERAL (SELECT (extract(hour FROM t AT TIME ZONE 'Europe/London') + extract(minute FROM t) / 60)::float8 AS hod,
                       extract(doy FROM t)::float8 AS doy) AS k
), devices_of_bench AS MATERIALIZED (
  SELECT i, 'bench-' || lpad(i::text, 3, '0') AS id, ($4::text[])[1 + i % 21] AS ward, i % 5 = 0 AS traffic
  FROM generate_series(1, $3::int) AS i
)
INSERT INTO readings (time, device_id, ward_code, usrn, received_at, period_s,
  no2, pm25, pm10, o3, temperature, humidity,
  pedal_cycles, two_wheeled_motor_vehicles, cars_and_taxis, buses_and_coaches, lgvs, all_hgvs, speed_kmh)
SELECT t, id, ward, 9000000 + i, t + INTERVAL '3 seconds',
  CASE WHEN traffic THEN 60 END,
  CASE WHEN NOT traffic THEN round((18 + (i % 9) * 3 + 14 * rush + 6 * random()) * 10) / 10 END,
  CASE WHEN NOT traffic THEN round((7 + (i % 5) + 4 * rush + 3 * random()) * 10) / 10 END,
  CASE WHEN NOT traffic THEN round((13 + (i % 7) + 6 * rush + 4 * random()) * 10) / 10 END,
  CASE WHEN NOT traffic THEN round((55 - 20 * rush + 10 * random()) * 10) / 10 END,
  CASE WHEN NOT traffic THEN round((9 + 6 * sin(2 * pi() * (doy - 110) / 365) + 3 * sin(2 * pi() * (hod - 9) / 24)) * 10) / 10 END,
  CASE WHEN NOT traffic THEN round(75 - 15 * sin(2 * pi() * (hod - 9) / 24) + 5 * random()) END,
  CASE WHEN traffic THEN floor(2 * rush * random())::int END,
  CASE WHEN traffic THEN floor(1.5 * rush * random())::int END,
  CASE WHEN traffic THEN floor((2 + 20 * rush) * random())::int END,
  CASE WHEN traffic THEN floor(1.2 * rush * random())::int END,
  CASE WHEN traffic THEN floor((1 + 4 * rush) * random())::int END,
  CASE WHEN traffic THEN floor((0.5 + 2 * rush) * random())::int END,
  CASE WHEN traffic THEN round((48 - 25 * rush * rush + 4 * random()) * 10) / 10 END
FROM minutes CROSS JOIN devices_of_bench
ON CONFLICT (device_id, time) DO NOTHING`;
