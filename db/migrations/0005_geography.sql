-- The council's geography: wards (ONS), streets (OS Open USRN + gazetteer names), properties (OS Open
-- UPRN) and the UPRN→USRN links (OS Open Linked Identifiers). Geometries are GeoJSON in WGS84: the
-- product loads them into in-memory spatial indexes (geo/) and serves them to the map, so neither
-- PostGIS (absent from the embedded database) nor server-side geometry functions are needed
-- (docs/adr/0007-geography-in-memory-indexes.md).

-- One row: what the current geography is. version goes up on every change, so running processes can
-- notice an import and reload.
CREATE TABLE geography_meta (
  singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  name         text NOT NULL,
  synthetic    boolean NOT NULL,
  notice       text,
  attribution  text NOT NULL,
  version      integer NOT NULL DEFAULT 1,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wards (
  code      text PRIMARY KEY CHECK (code ~ '^[A-Z][0-9]{8}$'),
  name      text NOT NULL CHECK (name <> ''),
  -- GeoJSON Polygon or MultiPolygon, WGS84
  geometry  jsonb NOT NULL,
  west      double precision NOT NULL,
  south     double precision NOT NULL,
  east      double precision NOT NULL,
  north     double precision NOT NULL
);

CREATE TABLE streets (
  usrn         bigint PRIMARY KEY CHECK (usrn > 0),
  street_type  text,
  main         boolean NOT NULL DEFAULT false,
  -- GeoJSON LineString or MultiLineString, WGS84
  geometry     jsonb NOT NULL,
  -- properties on the street: from the linked identifiers, else by nearest street (refreshed on import)
  uprn_count   integer NOT NULL DEFAULT 0
);

-- Names from the council's street gazetteer, kept apart from the OS geometry so either can be
-- imported first and each re-imported alone.
CREATE TABLE street_names (
  usrn      bigint PRIMARY KEY CHECK (usrn > 0),
  name      text NOT NULL CHECK (name <> ''),
  locality  text,
  town      text
);

CREATE TABLE properties (
  uprn  bigint PRIMARY KEY CHECK (uprn > 0 AND uprn < 1000000000000),
  lon   double precision NOT NULL,
  lat   double precision NOT NULL
);

CREATE TABLE property_streets (
  uprn  bigint NOT NULL,
  usrn  bigint NOT NULL,
  PRIMARY KEY (uprn, usrn)
);
CREATE INDEX property_streets_usrn_idx ON property_streets (usrn);

-- Imports in progress and done. A large import writes its kept rows to staging in chunks, each chunk
-- committed together with its resume point, so an interrupted import carries on where it stopped;
-- the staged rows replace the live table in one transaction at the end.
CREATE TABLE geography_imports (
  id             bigserial PRIMARY KEY,
  dataset        text NOT NULL CHECK (dataset IN ('wards', 'uprn', 'usrn', 'street_names', 'links')),
  file_name      text NOT NULL,
  -- size, modification time and a hash of the file's first and last 64 KiB
  fingerprint    text NOT NULL,
  options        jsonb NOT NULL DEFAULT '{}',
  state          text NOT NULL CHECK (state IN ('running', 'done')),
  resume_offset  bigint NOT NULL DEFAULT 0,
  resume_line    bigint NOT NULL DEFAULT 0,
  rows_scanned   bigint NOT NULL DEFAULT 0,
  rows_kept      bigint NOT NULL DEFAULT 0,
  started_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz
);
CREATE INDEX geography_imports_dataset_idx ON geography_imports (dataset, started_at DESC);

CREATE TABLE staging_properties (
  import_id  bigint NOT NULL REFERENCES geography_imports (id) ON DELETE CASCADE,
  uprn       bigint NOT NULL,
  lon        double precision NOT NULL,
  lat        double precision NOT NULL
);
CREATE INDEX staging_properties_import_idx ON staging_properties (import_id);

CREATE TABLE staging_property_streets (
  import_id  bigint NOT NULL REFERENCES geography_imports (id) ON DELETE CASCADE,
  uprn       bigint NOT NULL,
  usrn       bigint NOT NULL
);
CREATE INDEX staging_property_streets_import_idx ON staging_property_streets (import_id);

-- Each device's place in the location keys, from the joins, refreshed when it moves or the geography changes.
ALTER TABLE devices
  ADD COLUMN ward_code          text,
  ADD COLUMN usrn               bigint,
  ADD COLUMN street_distance_m  double precision,
  ADD COLUMN uprn               bigint,
  ADD COLUMN uprn_distance_m    double precision;

-- Each reading's ward and street: the device's, or for a mobile device the reading's own position's.
-- lon/lat are set only for readings that carried a position. The UPRN is deliberately not stored per
-- reading: a carried sensor's trail at property level could point at someone's home.
ALTER TABLE readings
  ADD COLUMN ward_code  text,
  ADD COLUMN usrn       bigint,
  ADD COLUMN lon        double precision,
  ADD COLUMN lat        double precision;
