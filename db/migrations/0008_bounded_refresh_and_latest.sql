-- Two changes measured on a generated year (docs/store-performance.md):
--
-- 1. Refresh windows. The policies of 0007 started at the beginning of time; a year in, each daily
--    aggregate's refresh cost 30–80 s even when only the last minutes had changed. Each policy now
--    looks back a fixed window: ingest's default backfill window (7 days) plus a day (two for daily
--    buckets, so the oldest London day a late reading can touch is whole in the window). The app
--    aligns the windows with INGEST_BACKFILL_WINDOW_H at start (db/storeJobsRepository.ts). Changes
--    older than a window (an import, a test's fixed dates, an app stopped for longer than the window)
--    are found in TimescaleDB's invalidation logs and refreshed once by the app's catch-up step.
SELECT alter_job(job_id, config => jsonb_set(config, '{start_offset}', to_jsonb(
  CASE WHEN hypertable_name LIKE '%\_daily' THEN '9 days' ELSE '8 days' END)))
FROM timescaledb_information.jobs
WHERE proc_name = 'policy_refresh_continuous_aggregate'
  AND hypertable_name IN ('readings_hourly', 'readings_quarter_hourly', 'ward_hourly', 'street_hourly', 'readings_daily', 'ward_daily', 'street_daily');

-- 2. Each device's newest reading, written by the same statement that stores readings
--    (db/readingsRepository.ts), so the live map's latest values are one small table away instead of a
--    probe into the hypertable per device. No foreign key: a failure here must never cost a reading.
--    Every stored reading of a device reporting once a minute updates its row: half-empty pages
--    (fillfactor 50) let those updates stay on the page (HOT), so the table stays small without
--    vacuum, which the embedded database never runs on its own.
CREATE TABLE device_latest (
  device_id                   text PRIMARY KEY,
  time                        timestamptz NOT NULL,
  received_at                 timestamptz NOT NULL,
  period_s                    integer,
  lon                         double precision,
  lat                         double precision,
  no2                         double precision,
  pm25                        double precision,
  pm10                        double precision,
  o3                          double precision,
  so2                         double precision,
  temperature                 double precision,
  humidity                    double precision,
  pedal_cycles                integer,
  two_wheeled_motor_vehicles  integer,
  cars_and_taxis              integer,
  buses_and_coaches           integer,
  lgvs                        integer,
  all_hgvs                    integer,
  speed_kmh                   double precision
) WITH (fillfactor = 50);

INSERT INTO device_latest
SELECT r.* FROM devices d
CROSS JOIN LATERAL (
  SELECT device_id, time, received_at, period_s, lon, lat, no2, pm25, pm10, o3, so2, temperature, humidity,
         pedal_cycles, two_wheeled_motor_vehicles, cars_and_taxis, buses_and_coaches, lgvs, all_hgvs, speed_kmh
  FROM readings WHERE device_id = d.id ORDER BY time DESC LIMIT 1
) r;
