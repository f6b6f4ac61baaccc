-- Alerts on the live operations map (issue 6): a condition on one device (air quality High, its
-- street congested, the device offline) raises an alert when it starts; the alert records when the
-- condition ends (cleared_at) and stays open until an operator resolves it. While an alert is
-- unresolved, the same condition starting again re-opens it (occurrences + 1) rather than raising
-- another. The partial unique index makes "one unresolved alert per device and kind" hold even when
-- several server processes see the same reading at once.
CREATE TABLE alerts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('daqi_high', 'street_congested', 'device_offline')),
  device_id       text NOT NULL REFERENCES devices (id),
  message         text NOT NULL CHECK (length(message) BETWEEN 1 AND 500),
  value           double precision,
  since           timestamptz NOT NULL,
  raised_at       timestamptz NOT NULL DEFAULT now(),
  cleared_at      timestamptz,
  occurrences     integer NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
  acknowledged_at timestamptz,
  acknowledged_by text CHECK (length(acknowledged_by) BETWEEN 1 AND 200),
  resolved_at     timestamptz,
  resolved_by     text CHECK (length(resolved_by) BETWEEN 1 AND 200),
  CHECK ((acknowledged_by IS NULL) OR (acknowledged_at IS NOT NULL)),
  CHECK ((resolved_by IS NULL) OR (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX alerts_one_unresolved ON alerts (kind, device_id) WHERE resolved_at IS NULL;
CREATE INDEX alerts_latest_per_condition ON alerts (kind, device_id, id DESC);
CREATE INDEX alerts_raised_at ON alerts (raised_at DESC);
