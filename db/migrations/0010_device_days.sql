-- The ward comparison's figures per device and London day (issue 7): worked out once by
-- core/deviceDays.ts from the hourly aggregates (the DAQI, the capture rules, the objectives'
-- daily statistics are core's, not SQL's) and kept here by the store's maintenance pass
-- (db/deviceDaysRepository.ts), so comparing every ward over a year reads one row per device and
-- day rather than every hour. A plain table, not a continuous aggregate: the rules are TypeScript.
--
-- Per DAQI pollutant: valid hourly means (<p>_hours), their sum (<p>_sum; a period's mean of valid
-- hours is sum(<p>_sum) / sum(<p>_hours), exactly as the objectives report it), and the day's mean
-- when 75 % of its hours are valid (<p>_mean). NO2 and SO2 also count hours over their UK hourly
-- limits (<p>_over); O3 keeps its daily maximum running 8-hour mean. Traffic keeps the flow of all
-- motor vehicles and the speed the same way, and the night hours' speeds for a free-flow speed.
-- `readings` (every reading stored that day, flagged or not) is how the pass notices a day whose
-- aggregates changed after it was worked out (a late reading, an import).
CREATE TABLE device_days (
  device_id    text NOT NULL,
  date         date NOT NULL,
  ward_code    text,
  readings     integer NOT NULL CHECK (readings >= 0),
  no2_hours    smallint, no2_sum  double precision, no2_mean  double precision, no2_over smallint,
  pm25_hours   smallint, pm25_sum double precision, pm25_mean double precision,
  pm10_hours   smallint, pm10_sum double precision, pm10_mean double precision,
  o3_hours     smallint, o3_sum   double precision, o3_mean   double precision, o3_max8h double precision,
  so2_hours    smallint, so2_sum  double precision, so2_mean  double precision, so2_over smallint,
  daqi         smallint CHECK (daqi BETWEEN 1 AND 10),
  flow_hours   smallint, flow_sum double precision, flow_mean double precision,
  speed_hours  smallint, speed_sum double precision, speed_mean double precision,
  night_speeds double precision[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (device_id, date)
);

-- The comparison reads a period of days for every ward.
CREATE INDEX device_days_date_idx ON device_days (date);
