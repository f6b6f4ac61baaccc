-- The time-series store (issue 5): quality flags on readings, continuous aggregates (hourly and daily,
-- per device, ward and street, plus SO2 by quarter hour for the DAQI), compression and retention.
-- Decisions: docs/adr/0012-time-series-store.md. The aggregates keep sums, counts, minima and maxima
-- (not means) so a daily or ward aggregate can be built from hourly ones exactly, and so data
-- capture can be computed from the counts.

-- Bit i set: the value of metric i (core/metrics.ts METRICS order: no2 = 1, pm25 = 2, pm10 = 4,
-- o3 = 8, so2 = 16, temperature = 32, humidity = 64, pedal_cycles = 128, two_wheeled_motor_vehicles
-- = 256, cars_and_taxis = 512, buses_and_coaches = 1024, lgvs = 2048, all_hgvs = 4096, speed_kmh =
-- 8192) is suspect (stuck or out of range, see quality_flags) and left out of every aggregate, where
-- it is counted in <metric>_flagged instead.
ALTER TABLE readings ADD COLUMN flags integer NOT NULL DEFAULT 0;

-- Traffic counts are aggregated as flows (vehicles per hour = count × 3600 ÷ period_s), so every
-- traffic reading carries its period: ingest fills in the device's interval when a message leaves it
-- out, and this fills in readings stored before it did.
UPDATE readings r SET period_s = d.expected_interval_s
FROM devices d
WHERE d.id = r.device_id AND r.period_s IS NULL
  AND (r.pedal_cycles IS NOT NULL OR r.two_wheeled_motor_vehicles IS NOT NULL OR r.cars_and_taxis IS NOT NULL
       OR r.buses_and_coaches IS NOT NULL OR r.lgvs IS NOT NULL OR r.all_hgvs IS NOT NULL);

-- Stretches of a device's metric found suspect by the quality scan (ingest/qualityScan.ts): the
-- readings in them have the metric's bit set in readings.flags.
CREATE TABLE quality_flags (
  id           bigserial PRIMARY KEY,
  device_id    text NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  metric       text NOT NULL,
  reason       text NOT NULL CHECK (reason IN ('stuck', 'out_of_range')),
  start_time   timestamptz NOT NULL,
  end_time     timestamptz NOT NULL CHECK (end_time > start_time),
  value        double precision NOT NULL,
  readings     integer NOT NULL CHECK (readings > 0),
  detected_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quality_flags_device_idx ON quality_flags (device_id, metric, end_time DESC);
CREATE INDEX quality_flags_time_idx ON quality_flags (end_time DESC);

-- Where the quality scan has got to (one row).
CREATE TABLE quality_scan_state (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  scanned_to  timestamptz NOT NULL
);

CREATE MATERIALIZED VIEW readings_hourly WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket('1 hour', time) AS bucket, device_id, ward_code, usrn,
  count(*) AS readings,
  count(*) FILTER (WHERE received_at <= time + INTERVAL '15 minutes') AS on_time,
  sum(no2) FILTER (WHERE flags & 1 = 0) AS no2_sum,
  count(no2) FILTER (WHERE flags & 1 = 0) AS no2_n,
  min(no2) FILTER (WHERE flags & 1 = 0) AS no2_min,
  max(no2) FILTER (WHERE flags & 1 = 0) AS no2_max,
  count(no2) FILTER (WHERE flags & 1 <> 0) AS no2_flagged,
  sum(pm25) FILTER (WHERE flags & 2 = 0) AS pm25_sum,
  count(pm25) FILTER (WHERE flags & 2 = 0) AS pm25_n,
  min(pm25) FILTER (WHERE flags & 2 = 0) AS pm25_min,
  max(pm25) FILTER (WHERE flags & 2 = 0) AS pm25_max,
  count(pm25) FILTER (WHERE flags & 2 <> 0) AS pm25_flagged,
  sum(pm10) FILTER (WHERE flags & 4 = 0) AS pm10_sum,
  count(pm10) FILTER (WHERE flags & 4 = 0) AS pm10_n,
  min(pm10) FILTER (WHERE flags & 4 = 0) AS pm10_min,
  max(pm10) FILTER (WHERE flags & 4 = 0) AS pm10_max,
  count(pm10) FILTER (WHERE flags & 4 <> 0) AS pm10_flagged,
  sum(o3) FILTER (WHERE flags & 8 = 0) AS o3_sum,
  count(o3) FILTER (WHERE flags & 8 = 0) AS o3_n,
  min(o3) FILTER (WHERE flags & 8 = 0) AS o3_min,
  max(o3) FILTER (WHERE flags & 8 = 0) AS o3_max,
  count(o3) FILTER (WHERE flags & 8 <> 0) AS o3_flagged,
  sum(so2) FILTER (WHERE flags & 16 = 0) AS so2_sum,
  count(so2) FILTER (WHERE flags & 16 = 0) AS so2_n,
  min(so2) FILTER (WHERE flags & 16 = 0) AS so2_min,
  max(so2) FILTER (WHERE flags & 16 = 0) AS so2_max,
  count(so2) FILTER (WHERE flags & 16 <> 0) AS so2_flagged,
  sum(temperature) FILTER (WHERE flags & 32 = 0) AS temperature_sum,
  count(temperature) FILTER (WHERE flags & 32 = 0) AS temperature_n,
  min(temperature) FILTER (WHERE flags & 32 = 0) AS temperature_min,
  max(temperature) FILTER (WHERE flags & 32 = 0) AS temperature_max,
  count(temperature) FILTER (WHERE flags & 32 <> 0) AS temperature_flagged,
  sum(humidity) FILTER (WHERE flags & 64 = 0) AS humidity_sum,
  count(humidity) FILTER (WHERE flags & 64 = 0) AS humidity_n,
  min(humidity) FILTER (WHERE flags & 64 = 0) AS humidity_min,
  max(humidity) FILTER (WHERE flags & 64 = 0) AS humidity_max,
  count(humidity) FILTER (WHERE flags & 64 <> 0) AS humidity_flagged,
  sum(pedal_cycles * 3600.0 / period_s) FILTER (WHERE flags & 128 = 0) AS pedal_cycles_sum,
  count(pedal_cycles * 3600.0 / period_s) FILTER (WHERE flags & 128 = 0) AS pedal_cycles_n,
  min(pedal_cycles * 3600.0 / period_s) FILTER (WHERE flags & 128 = 0) AS pedal_cycles_min,
  max(pedal_cycles * 3600.0 / period_s) FILTER (WHERE flags & 128 = 0) AS pedal_cycles_max,
  count(pedal_cycles) FILTER (WHERE flags & 128 <> 0) AS pedal_cycles_flagged,
  sum(two_wheeled_motor_vehicles * 3600.0 / period_s) FILTER (WHERE flags & 256 = 0) AS two_wheeled_motor_vehicles_sum,
  count(two_wheeled_motor_vehicles * 3600.0 / period_s) FILTER (WHERE flags & 256 = 0) AS two_wheeled_motor_vehicles_n,
  min(two_wheeled_motor_vehicles * 3600.0 / period_s) FILTER (WHERE flags & 256 = 0) AS two_wheeled_motor_vehicles_min,
  max(two_wheeled_motor_vehicles * 3600.0 / period_s) FILTER (WHERE flags & 256 = 0) AS two_wheeled_motor_vehicles_max,
  count(two_wheeled_motor_vehicles) FILTER (WHERE flags & 256 <> 0) AS two_wheeled_motor_vehicles_flagged,
  sum(cars_and_taxis * 3600.0 / period_s) FILTER (WHERE flags & 512 = 0) AS cars_and_taxis_sum,
  count(cars_and_taxis * 3600.0 / period_s) FILTER (WHERE flags & 512 = 0) AS cars_and_taxis_n,
  min(cars_and_taxis * 3600.0 / period_s) FILTER (WHERE flags & 512 = 0) AS cars_and_taxis_min,
  max(cars_and_taxis * 3600.0 / period_s) FILTER (WHERE flags & 512 = 0) AS cars_and_taxis_max,
  count(cars_and_taxis) FILTER (WHERE flags & 512 <> 0) AS cars_and_taxis_flagged,
  sum(buses_and_coaches * 3600.0 / period_s) FILTER (WHERE flags & 1024 = 0) AS buses_and_coaches_sum,
  count(buses_and_coaches * 3600.0 / period_s) FILTER (WHERE flags & 1024 = 0) AS buses_and_coaches_n,
  min(buses_and_coaches * 3600.0 / period_s) FILTER (WHERE flags & 1024 = 0) AS buses_and_coaches_min,
  max(buses_and_coaches * 3600.0 / period_s) FILTER (WHERE flags & 1024 = 0) AS buses_and_coaches_max,
  count(buses_and_coaches) FILTER (WHERE flags & 1024 <> 0) AS buses_and_coaches_flagged,
  sum(lgvs * 3600.0 / period_s) FILTER (WHERE flags & 2048 = 0) AS lgvs_sum,
  count(lgvs * 3600.0 / period_s) FILTER (WHERE flags & 2048 = 0) AS lgvs_n,
  min(lgvs * 3600.0 / period_s) FILTER (WHERE flags & 2048 = 0) AS lgvs_min,
  max(lgvs * 3600.0 / period_s) FILTER (WHERE flags & 2048 = 0) AS lgvs_max,
  count(lgvs) FILTER (WHERE flags & 2048 <> 0) AS lgvs_flagged,
  sum(all_hgvs * 3600.0 / period_s) FILTER (WHERE flags & 4096 = 0) AS all_hgvs_sum,
  count(all_hgvs * 3600.0 / period_s) FILTER (WHERE flags & 4096 = 0) AS all_hgvs_n,
  min(all_hgvs * 3600.0 / period_s) FILTER (WHERE flags & 4096 = 0) AS all_hgvs_min,
  max(all_hgvs * 3600.0 / period_s) FILTER (WHERE flags & 4096 = 0) AS all_hgvs_max,
  count(all_hgvs) FILTER (WHERE flags & 4096 <> 0) AS all_hgvs_flagged,
  sum(speed_kmh) FILTER (WHERE flags & 8192 = 0) AS speed_kmh_sum,
  count(speed_kmh) FILTER (WHERE flags & 8192 = 0) AS speed_kmh_n,
  min(speed_kmh) FILTER (WHERE flags & 8192 = 0) AS speed_kmh_min,
  max(speed_kmh) FILTER (WHERE flags & 8192 = 0) AS speed_kmh_max,
  count(speed_kmh) FILTER (WHERE flags & 8192 <> 0) AS speed_kmh_flagged
FROM readings
GROUP BY 1, device_id, ward_code, usrn
WITH NO DATA;

CREATE MATERIALIZED VIEW readings_quarter_hourly WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket('15 minutes', time) AS bucket, device_id,
  sum(so2) FILTER (WHERE flags & 16 = 0) AS so2_sum,
  count(so2) FILTER (WHERE flags & 16 = 0) AS so2_n,
  min(so2) FILTER (WHERE flags & 16 = 0) AS so2_min,
  max(so2) FILTER (WHERE flags & 16 = 0) AS so2_max,
  count(so2) FILTER (WHERE flags & 16 <> 0) AS so2_flagged
FROM readings
WHERE so2 IS NOT NULL
GROUP BY 1, device_id
WITH NO DATA;

CREATE MATERIALIZED VIEW readings_daily WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket('1 day', bucket, 'Europe/London') AS bucket, device_id, ward_code, usrn,
  sum(readings) AS readings, sum(on_time) AS on_time,
  sum(no2_sum) AS no2_sum, sum(no2_n) AS no2_n, min(no2_min) AS no2_min, max(no2_max) AS no2_max, sum(no2_flagged) AS no2_flagged,
  sum(pm25_sum) AS pm25_sum, sum(pm25_n) AS pm25_n, min(pm25_min) AS pm25_min, max(pm25_max) AS pm25_max, sum(pm25_flagged) AS pm25_flagged,
  sum(pm10_sum) AS pm10_sum, sum(pm10_n) AS pm10_n, min(pm10_min) AS pm10_min, max(pm10_max) AS pm10_max, sum(pm10_flagged) AS pm10_flagged,
  sum(o3_sum) AS o3_sum, sum(o3_n) AS o3_n, min(o3_min) AS o3_min, max(o3_max) AS o3_max, sum(o3_flagged) AS o3_flagged,
  sum(so2_sum) AS so2_sum, sum(so2_n) AS so2_n, min(so2_min) AS so2_min, max(so2_max) AS so2_max, sum(so2_flagged) AS so2_flagged,
  sum(temperature_sum) AS temperature_sum, sum(temperature_n) AS temperature_n, min(temperature_min) AS temperature_min, max(temperature_max) AS temperature_max, sum(temperature_flagged) AS temperature_flagged,
  sum(humidity_sum) AS humidity_sum, sum(humidity_n) AS humidity_n, min(humidity_min) AS humidity_min, max(humidity_max) AS humidity_max, sum(humidity_flagged) AS humidity_flagged,
  sum(pedal_cycles_sum) AS pedal_cycles_sum, sum(pedal_cycles_n) AS pedal_cycles_n, min(pedal_cycles_min) AS pedal_cycles_min, max(pedal_cycles_max) AS pedal_cycles_max, sum(pedal_cycles_flagged) AS pedal_cycles_flagged,
  sum(two_wheeled_motor_vehicles_sum) AS two_wheeled_motor_vehicles_sum, sum(two_wheeled_motor_vehicles_n) AS two_wheeled_motor_vehicles_n, min(two_wheeled_motor_vehicles_min) AS two_wheeled_motor_vehicles_min, max(two_wheeled_motor_vehicles_max) AS two_wheeled_motor_vehicles_max, sum(two_wheeled_motor_vehicles_flagged) AS two_wheeled_motor_vehicles_flagged,
  sum(cars_and_taxis_sum) AS cars_and_taxis_sum, sum(cars_and_taxis_n) AS cars_and_taxis_n, min(cars_and_taxis_min) AS cars_and_taxis_min, max(cars_and_taxis_max) AS cars_and_taxis_max, sum(cars_and_taxis_flagged) AS cars_and_taxis_flagged,
  sum(buses_and_coaches_sum) AS buses_and_coaches_sum, sum(buses_and_coaches_n) AS buses_and_coaches_n, min(buses_and_coaches_min) AS buses_and_coaches_min, max(buses_and_coaches_max) AS buses_and_coaches_max, sum(buses_and_coaches_flagged) AS buses_and_coaches_flagged,
  sum(lgvs_sum) AS lgvs_sum, sum(lgvs_n) AS lgvs_n, min(lgvs_min) AS lgvs_min, max(lgvs_max) AS lgvs_max, sum(lgvs_flagged) AS lgvs_flagged,
  sum(all_hgvs_sum) AS all_hgvs_sum, sum(all_hgvs_n) AS all_hgvs_n, min(all_hgvs_min) AS all_hgvs_min, max(all_hgvs_max) AS all_hgvs_max, sum(all_hgvs_flagged) AS all_hgvs_flagged,
  sum(speed_kmh_sum) AS speed_kmh_sum, sum(speed_kmh_n) AS speed_kmh_n, min(speed_kmh_min) AS speed_kmh_min, max(speed_kmh_max) AS speed_kmh_max, sum(speed_kmh_flagged) AS speed_kmh_flagged
FROM readings_hourly
GROUP BY 1, device_id, ward_code, usrn
WITH NO DATA;

CREATE MATERIALIZED VIEW ward_hourly WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket('1 hour', bucket) AS bucket, ward_code,
  sum(readings) AS readings, sum(on_time) AS on_time,
  sum(no2_sum) AS no2_sum, sum(no2_n) AS no2_n, min(no2_min) AS no2_min, max(no2_max) AS no2_max, sum(no2_flagged) AS no2_flagged,
  sum(pm25_sum) AS pm25_sum, sum(pm25_n) AS pm25_n, min(pm25_min) AS pm25_min, max(pm25_max) AS pm25_max, sum(pm25_flagged) AS pm25_flagged,
  sum(pm10_sum) AS pm10_sum, sum(pm10_n) AS pm10_n, min(pm10_min) AS pm10_min, max(pm10_max) AS pm10_max, sum(pm10_flagged) AS pm10_flagged,
  sum(o3_sum) AS o3_sum, sum(o3_n) AS o3_n, min(o3_min) AS o3_min, max(o3_max) AS o3_max, sum(o3_flagged) AS o3_flagged,
  sum(so2_sum) AS so2_sum, sum(so2_n) AS so2_n, min(so2_min) AS so2_min, max(so2_max) AS so2_max, sum(so2_flagged) AS so2_flagged,
  sum(temperature_sum) AS temperature_sum, sum(temperature_n) AS temperature_n, min(temperature_min) AS temperature_min, max(temperature_max) AS temperature_max, sum(temperature_flagged) AS temperature_flagged,
  sum(humidity_sum) AS humidity_sum, sum(humidity_n) AS humidity_n, min(humidity_min) AS humidity_min, max(humidity_max) AS humidity_max, sum(humidity_flagged) AS humidity_flagged,
  sum(pedal_cycles_sum) AS pedal_cycles_sum, sum(pedal_cycles_n) AS pedal_cycles_n, min(pedal_cycles_min) AS pedal_cycles_min, max(pedal_cycles_max) AS pedal_cycles_max, sum(pedal_cycles_flagged) AS pedal_cycles_flagged,
  sum(two_wheeled_motor_vehicles_sum) AS two_wheeled_motor_vehicles_sum, sum(two_wheeled_motor_vehicles_n) AS two_wheeled_motor_vehicles_n, min(two_wheeled_motor_vehicles_min) AS two_wheeled_motor_vehicles_min, max(two_wheeled_motor_vehicles_max) AS two_wheeled_motor_vehicles_max, sum(two_wheeled_motor_vehicles_flagged) AS two_wheeled_motor_vehicles_flagged,
  sum(cars_and_taxis_sum) AS cars_and_taxis_sum, sum(cars_and_taxis_n) AS cars_and_taxis_n, min(cars_and_taxis_min) AS cars_and_taxis_min, max(cars_and_taxis_max) AS cars_and_taxis_max, sum(cars_and_taxis_flagged) AS cars_and_taxis_flagged,
  sum(buses_and_coaches_sum) AS buses_and_coaches_sum, sum(buses_and_coaches_n) AS buses_and_coaches_n, min(buses_and_coaches_min) AS buses_and_coaches_min, max(buses_and_coaches_max) AS buses_and_coaches_max, sum(buses_and_coaches_flagged) AS buses_and_coaches_flagged,
  sum(lgvs_sum) AS lgvs_sum, sum(lgvs_n) AS lgvs_n, min(lgvs_min) AS lgvs_min, max(lgvs_max) AS lgvs_max, sum(lgvs_flagged) AS lgvs_flagged,
  sum(all_hgvs_sum) AS all_hgvs_sum, sum(all_hgvs_n) AS all_hgvs_n, min(all_hgvs_min) AS all_hgvs_min, max(all_hgvs_max) AS all_hgvs_max, sum(all_hgvs_flagged) AS all_hgvs_flagged,
  sum(speed_kmh_sum) AS speed_kmh_sum, sum(speed_kmh_n) AS speed_kmh_n, min(speed_kmh_min) AS speed_kmh_min, max(speed_kmh_max) AS speed_kmh_max, sum(speed_kmh_flagged) AS speed_kmh_flagged
FROM readings_hourly
WHERE ward_code IS NOT NULL
GROUP BY 1, ward_code
WITH NO DATA;

CREATE MATERIALIZED VIEW ward_daily WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket('1 day', bucket, 'Europe/London') AS bucket, ward_code,
  sum(readings) AS readings, sum(on_time) AS on_time,
  sum(no2_sum) AS no2_sum, sum(no2_n) AS no2_n, min(no2_min) AS no2_min, max(no2_max) AS no2_max, sum(no2_flagged) AS no2_flagged,
  sum(pm25_sum) AS pm25_sum, sum(pm25_n) AS pm25_n, min(pm25_min) AS pm25_min, max(pm25_max) AS pm25_max, sum(pm25_flagged) AS pm25_flagged,
  sum(pm10_sum) AS pm10_sum, sum(pm10_n) AS pm10_n, min(pm10_min) AS pm10_min, max(pm10_max) AS pm10_max, sum(pm10_flagged) AS pm10_flagged,
  sum(o3_sum) AS o3_sum, sum(o3_n) AS o3_n, min(o3_min) AS o3_min, max(o3_max) AS o3_max, sum(o3_flagged) AS o3_flagged,
  sum(so2_sum) AS so2_sum, sum(so2_n) AS so2_n, min(so2_min) AS so2_min, max(so2_max) AS so2_max, sum(so2_flagged) AS so2_flagged,
  sum(temperature_sum) AS temperature_sum, sum(temperature_n) AS temperature_n, min(temperature_min) AS temperature_min, max(temperature_max) AS temperature_max, sum(temperature_flagged) AS temperature_flagged,
  sum(humidity_sum) AS humidity_sum, sum(humidity_n) AS humidity_n, min(humidity_min) AS humidity_min, max(humidity_max) AS humidity_max, sum(humidity_flagged) AS humidity_flagged,
  sum(pedal_cycles_sum) AS pedal_cycles_sum, sum(pedal_cycles_n) AS pedal_cycles_n, min(pedal_cycles_min) AS pedal_cycles_min, max(pedal_cycles_max) AS pedal_cycles_max, sum(pedal_cycles_flagged) AS pedal_cycles_flagged,
  sum(two_wheeled_motor_vehicles_sum) AS two_wheeled_motor_vehicles_sum, sum(two_wheeled_motor_vehicles_n) AS two_wheeled_motor_vehicles_n, min(two_wheeled_motor_vehicles_min) AS two_wheeled_motor_vehicles_min, max(two_wheeled_motor_vehicles_max) AS two_wheeled_motor_vehicles_max, sum(two_wheeled_motor_vehicles_flagged) AS two_wheeled_motor_vehicles_flagged,
  sum(cars_and_taxis_sum) AS cars_and_taxis_sum, sum(cars_and_taxis_n) AS cars_and_taxis_n, min(cars_and_taxis_min) AS cars_and_taxis_min, max(cars_and_taxis_max) AS cars_and_taxis_max, sum(cars_and_taxis_flagged) AS cars_and_taxis_flagged,
  sum(buses_and_coaches_sum) AS buses_and_coaches_sum, sum(buses_and_coaches_n) AS buses_and_coaches_n, min(buses_and_coaches_min) AS buses_and_coaches_min, max(buses_and_coaches_max) AS buses_and_coaches_max, sum(buses_and_coaches_flagged) AS buses_and_coaches_flagged,
  sum(lgvs_sum) AS lgvs_sum, sum(lgvs_n) AS lgvs_n, min(lgvs_min) AS lgvs_min, max(lgvs_max) AS lgvs_max, sum(lgvs_flagged) AS lgvs_flagged,
  sum(all_hgvs_sum) AS all_hgvs_sum, sum(all_hgvs_n) AS all_hgvs_n, min(all_hgvs_min) AS all_hgvs_min, max(all_hgvs_max) AS all_hgvs_max, sum(all_hgvs_flagged) AS all_hgvs_flagged,
  sum(speed_kmh_sum) AS speed_kmh_sum, sum(speed_kmh_n) AS speed_kmh_n, min(speed_kmh_min) AS speed_kmh_min, max(speed_kmh_max) AS speed_kmh_max, sum(speed_kmh_flagged) AS speed_kmh_flagged
FROM ward_hourly
GROUP BY 1, ward_code
WITH NO DATA;

CREATE MATERIALIZED VIEW street_hourly WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket('1 hour', bucket) AS bucket, usrn,
  sum(readings) AS readings, sum(on_time) AS on_time,
  sum(no2_sum) AS no2_sum, sum(no2_n) AS no2_n, min(no2_min) AS no2_min, max(no2_max) AS no2_max, sum(no2_flagged) AS no2_flagged,
  sum(pm25_sum) AS pm25_sum, sum(pm25_n) AS pm25_n, min(pm25_min) AS pm25_min, max(pm25_max) AS pm25_max, sum(pm25_flagged) AS pm25_flagged,
  sum(pm10_sum) AS pm10_sum, sum(pm10_n) AS pm10_n, min(pm10_min) AS pm10_min, max(pm10_max) AS pm10_max, sum(pm10_flagged) AS pm10_flagged,
  sum(o3_sum) AS o3_sum, sum(o3_n) AS o3_n, min(o3_min) AS o3_min, max(o3_max) AS o3_max, sum(o3_flagged) AS o3_flagged,
  sum(so2_sum) AS so2_sum, sum(so2_n) AS so2_n, min(so2_min) AS so2_min, max(so2_max) AS so2_max, sum(so2_flagged) AS so2_flagged,
  sum(temperature_sum) AS temperature_sum, sum(temperature_n) AS temperature_n, min(temperature_min) AS temperature_min, max(temperature_max) AS temperature_max, sum(temperature_flagged) AS temperature_flagged,
  sum(humidity_sum) AS humidity_sum, sum(humidity_n) AS humidity_n, min(humidity_min) AS humidity_min, max(humidity_max) AS humidity_max, sum(humidity_flagged) AS humidity_flagged,
  sum(pedal_cycles_sum) AS pedal_cycles_sum, sum(pedal_cycles_n) AS pedal_cycles_n, min(pedal_cycles_min) AS pedal_cycles_min, max(pedal_cycles_max) AS pedal_cycles_max, sum(pedal_cycles_flagged) AS pedal_cycles_flagged,
  sum(two_wheeled_motor_vehicles_sum) AS two_wheeled_motor_vehicles_sum, sum(two_wheeled_motor_vehicles_n) AS two_wheeled_motor_vehicles_n, min(two_wheeled_motor_vehicles_min) AS two_wheeled_motor_vehicles_min, max(two_wheeled_motor_vehicles_max) AS two_wheeled_motor_vehicles_max, sum(two_wheeled_motor_vehicles_flagged) AS two_wheeled_motor_vehicles_flagged,
  sum(cars_and_taxis_sum) AS cars_and_taxis_sum, sum(cars_and_taxis_n) AS cars_and_taxis_n, min(cars_and_taxis_min) AS cars_and_taxis_min, max(cars_and_taxis_max) AS cars_and_taxis_max, sum(cars_and_taxis_flagged) AS cars_and_taxis_flagged,
  sum(buses_and_coaches_sum) AS buses_and_coaches_sum, sum(buses_and_coaches_n) AS buses_and_coaches_n, min(buses_and_coaches_min) AS buses_and_coaches_min, max(buses_and_coaches_max) AS buses_and_coaches_max, sum(buses_and_coaches_flagged) AS buses_and_coaches_flagged,
  sum(lgvs_sum) AS lgvs_sum, sum(lgvs_n) AS lgvs_n, min(lgvs_min) AS lgvs_min, max(lgvs_max) AS lgvs_max, sum(lgvs_flagged) AS lgvs_flagged,
  sum(all_hgvs_sum) AS all_hgvs_sum, sum(all_hgvs_n) AS all_hgvs_n, min(all_hgvs_min) AS all_hgvs_min, max(all_hgvs_max) AS all_hgvs_max, sum(all_hgvs_flagged) AS all_hgvs_flagged,
  sum(speed_kmh_sum) AS speed_kmh_sum, sum(speed_kmh_n) AS speed_kmh_n, min(speed_kmh_min) AS speed_kmh_min, max(speed_kmh_max) AS speed_kmh_max, sum(speed_kmh_flagged) AS speed_kmh_flagged
FROM readings_hourly
WHERE usrn IS NOT NULL
GROUP BY 1, usrn
WITH NO DATA;

CREATE MATERIALIZED VIEW street_daily WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket('1 day', bucket, 'Europe/London') AS bucket, usrn,
  sum(readings) AS readings, sum(on_time) AS on_time,
  sum(no2_sum) AS no2_sum, sum(no2_n) AS no2_n, min(no2_min) AS no2_min, max(no2_max) AS no2_max, sum(no2_flagged) AS no2_flagged,
  sum(pm25_sum) AS pm25_sum, sum(pm25_n) AS pm25_n, min(pm25_min) AS pm25_min, max(pm25_max) AS pm25_max, sum(pm25_flagged) AS pm25_flagged,
  sum(pm10_sum) AS pm10_sum, sum(pm10_n) AS pm10_n, min(pm10_min) AS pm10_min, max(pm10_max) AS pm10_max, sum(pm10_flagged) AS pm10_flagged,
  sum(o3_sum) AS o3_sum, sum(o3_n) AS o3_n, min(o3_min) AS o3_min, max(o3_max) AS o3_max, sum(o3_flagged) AS o3_flagged,
  sum(so2_sum) AS so2_sum, sum(so2_n) AS so2_n, min(so2_min) AS so2_min, max(so2_max) AS so2_max, sum(so2_flagged) AS so2_flagged,
  sum(temperature_sum) AS temperature_sum, sum(temperature_n) AS temperature_n, min(temperature_min) AS temperature_min, max(temperature_max) AS temperature_max, sum(temperature_flagged) AS temperature_flagged,
  sum(humidity_sum) AS humidity_sum, sum(humidity_n) AS humidity_n, min(humidity_min) AS humidity_min, max(humidity_max) AS humidity_max, sum(humidity_flagged) AS humidity_flagged,
  sum(pedal_cycles_sum) AS pedal_cycles_sum, sum(pedal_cycles_n) AS pedal_cycles_n, min(pedal_cycles_min) AS pedal_cycles_min, max(pedal_cycles_max) AS pedal_cycles_max, sum(pedal_cycles_flagged) AS pedal_cycles_flagged,
  sum(two_wheeled_motor_vehicles_sum) AS two_wheeled_motor_vehicles_sum, sum(two_wheeled_motor_vehicles_n) AS two_wheeled_motor_vehicles_n, min(two_wheeled_motor_vehicles_min) AS two_wheeled_motor_vehicles_min, max(two_wheeled_motor_vehicles_max) AS two_wheeled_motor_vehicles_max, sum(two_wheeled_motor_vehicles_flagged) AS two_wheeled_motor_vehicles_flagged,
  sum(cars_and_taxis_sum) AS cars_and_taxis_sum, sum(cars_and_taxis_n) AS cars_and_taxis_n, min(cars_and_taxis_min) AS cars_and_taxis_min, max(cars_and_taxis_max) AS cars_and_taxis_max, sum(cars_and_taxis_flagged) AS cars_and_taxis_flagged,
  sum(buses_and_coaches_sum) AS buses_and_coaches_sum, sum(buses_and_coaches_n) AS buses_and_coaches_n, min(buses_and_coaches_min) AS buses_and_coaches_min, max(buses_and_coaches_max) AS buses_and_coaches_max, sum(buses_and_coaches_flagged) AS buses_and_coaches_flagged,
  sum(lgvs_sum) AS lgvs_sum, sum(lgvs_n) AS lgvs_n, min(lgvs_min) AS lgvs_min, max(lgvs_max) AS lgvs_max, sum(lgvs_flagged) AS lgvs_flagged,
  sum(all_hgvs_sum) AS all_hgvs_sum, sum(all_hgvs_n) AS all_hgvs_n, min(all_hgvs_min) AS all_hgvs_min, max(all_hgvs_max) AS all_hgvs_max, sum(all_hgvs_flagged) AS all_hgvs_flagged,
  sum(speed_kmh_sum) AS speed_kmh_sum, sum(speed_kmh_n) AS speed_kmh_n, min(speed_kmh_min) AS speed_kmh_min, max(speed_kmh_max) AS speed_kmh_max, sum(speed_kmh_flagged) AS speed_kmh_flagged
FROM street_hourly
GROUP BY 1, usrn
WITH NO DATA;

-- Raw chunks are compressed a week after their day (ingest's default backfill window), segmented by
-- device so one device's series decompresses alone. Late readings may still be written into a
-- compressed chunk. Raw readings are dropped after 13 months; the aggregates are kept. The app
-- aligns both intervals with STORE_COMPRESS_AFTER_DAYS and STORE_RAW_RETENTION_MONTHS at start.
ALTER TABLE readings SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'time DESC'
);
SELECT add_compression_policy('readings', compress_after => INTERVAL '7 days');
SELECT add_retention_policy('readings', drop_after => INTERVAL '13 months');

-- Refresh policies. The window starts at the beginning of time, so a late or back-filled reading of
-- any age still lands in the aggregates (a refresh recomputes only the buckets that changed). It
-- ends an hour (a day, for daily buckets) before now; real-time aggregation serves the newest
-- buckets straight from the layer below. A TimescaleDB server runs these jobs itself; the embedded
-- database has no background workers, so the app runs them (db/storeJobsRepository.ts).
SELECT add_continuous_aggregate_policy('readings_hourly', start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '5 minutes');
SELECT add_continuous_aggregate_policy('readings_quarter_hourly', start_offset => NULL, end_offset => INTERVAL '15 minutes', schedule_interval => INTERVAL '5 minutes');
SELECT add_continuous_aggregate_policy('ward_hourly', start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '5 minutes');
SELECT add_continuous_aggregate_policy('street_hourly', start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '5 minutes');
SELECT add_continuous_aggregate_policy('readings_daily', start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour');
SELECT add_continuous_aggregate_policy('ward_daily', start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour');
SELECT add_continuous_aggregate_policy('street_daily', start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 hour');

-- Indexes for the queries the API makes: a device's, ward's or street's series over a period.
CREATE INDEX readings_hourly_device_idx ON readings_hourly (device_id, bucket);
CREATE INDEX readings_daily_device_idx ON readings_daily (device_id, bucket);
CREATE INDEX readings_quarter_hourly_device_idx ON readings_quarter_hourly (device_id, bucket);
CREATE INDEX ward_hourly_ward_idx ON ward_hourly (ward_code, bucket);
CREATE INDEX ward_daily_ward_idx ON ward_daily (ward_code, bucket);
CREATE INDEX street_hourly_street_idx ON street_hourly (usrn, bucket);
CREATE INDEX street_daily_street_idx ON street_daily (usrn, bucket);
