-- One row per device per timestamp, one column per metric (wide rows: docs/adr/0003-wide-readings-rows.md).
-- The primary key makes a redelivered message (same device, same time) a no-op: ON CONFLICT DO NOTHING.
CREATE TABLE readings (
  time                        timestamptz NOT NULL,
  device_id                   text NOT NULL,
  received_at                 timestamptz NOT NULL DEFAULT now(),
  -- air quality, µg/m³ (temperature °C, humidity % RH)
  no2                         double precision,
  pm25                        double precision,
  pm10                        double precision,
  o3                          double precision,
  so2                         double precision,
  temperature                 double precision,
  humidity                    double precision,
  -- traffic: vehicles counted over period_s seconds, by DfT class, and mean speed in km/h
  pedal_cycles                integer,
  two_wheeled_motor_vehicles  integer,
  cars_and_taxis              integer,
  buses_and_coaches           integer,
  lgvs                        integer,
  all_hgvs                    integer,
  speed_kmh                   double precision,
  period_s                    integer,
  PRIMARY KEY (device_id, time)
);

-- One-day chunks; create_hypertable also adds the (time DESC) index.
SELECT create_hypertable('readings', by_range('time', INTERVAL '1 day'));
