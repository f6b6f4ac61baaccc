-- The device registry for ingest (issue 4): how each device's messages are decoded, whether it moves,
-- and whether it has been retired. A retired device's messages are refused (ingest.retired_device)
-- but its readings stay.
ALTER TABLE devices
  ADD COLUMN payload_format text NOT NULL DEFAULT 'smartplace'
    CHECK (payload_format IN ('smartplace', 'tts-v3', 'chirpstack-v4', 'sensor-community', 'senml', 'sensorthings')),
  -- A mobile device's readings are joined where each was taken (from the position in the message);
  -- a fixed device's take the device's own ward and street.
  ADD COLUMN mobile boolean NOT NULL DEFAULT false,
  ADD COLUMN retired_at timestamptz;

-- Other names a device goes by in its messages: a LoRaWAN DevEUI, a The Things Stack device id, a
-- Sensor.Community sensor id, a SenML base name, a SensorThings Datastream id. Without a row here a
-- device is found by its own id. A SensorThings Datastream measures one metric in one unit.
CREATE TABLE device_keys (
  payload_format text NOT NULL
    CHECK (payload_format IN ('smartplace', 'tts-v3', 'chirpstack-v4', 'sensor-community', 'senml', 'sensorthings')),
  key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 256),
  device_id      text NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  metric         text,
  unit           text,
  PRIMARY KEY (payload_format, key),
  CHECK ((payload_format = 'sensorthings') = (metric IS NOT NULL))
);
CREATE INDEX device_keys_device_idx ON device_keys (device_id);

-- One row per distinct rejected message (same topic and payload), so a broker redelivering a message
-- ingest had already refused does not store it twice. times_received counts fresh deliveries (not
-- those the broker marked as redelivered).
ALTER TABLE rejects
  ADD COLUMN payload_format    text,
  ADD COLUMN digest            bytea,
  ADD COLUMN times_received    integer NOT NULL DEFAULT 1,
  ADD COLUMN last_received_at  timestamptz;

UPDATE rejects SET digest = sha256(convert_to(topic, 'UTF8') || '\x00'::bytea || payload), last_received_at = received_at;
WITH ranked AS (
  SELECT id, row_number() OVER w AS n, count(*) OVER w AS copies, max(received_at) OVER w AS last
  FROM rejects WINDOW w AS (PARTITION BY digest ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
UPDATE rejects r SET times_received = ranked.copies, last_received_at = ranked.last FROM ranked WHERE r.id = ranked.id AND ranked.n = 1;
DELETE FROM rejects r USING (SELECT id, row_number() OVER (PARTITION BY digest ORDER BY id) AS n FROM rejects) d WHERE r.id = d.id AND d.n > 1;

ALTER TABLE rejects
  ALTER COLUMN digest SET NOT NULL,
  ALTER COLUMN last_received_at SET NOT NULL,
  ALTER COLUMN last_received_at SET DEFAULT now();
CREATE UNIQUE INDEX rejects_digest_idx ON rejects (digest);
CREATE INDEX rejects_device_idx ON rejects (device_id, last_received_at DESC);
