-- The device registry. Readings reference devices by id; ingest refuses readings from devices that
-- are not here (reason ingest.unknown_device).
CREATE TABLE devices (
  id                  text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  name                text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('air_quality', 'traffic')),
  lon                 double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat                 double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  expected_interval_s integer NOT NULL CHECK (expected_interval_s > 0),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
