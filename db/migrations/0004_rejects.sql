-- Every message ingest refuses is kept here with its reason, so nothing is dropped silently.
CREATE TABLE rejects (
  id           bigserial PRIMARY KEY,
  received_at  timestamptz NOT NULL DEFAULT now(),
  topic        text NOT NULL,
  device_id    text,
  reason       text NOT NULL,
  detail       text NOT NULL,
  -- the raw payload, capped in size; payload_bytes is the original length
  payload      bytea NOT NULL,
  payload_bytes integer NOT NULL
);

CREATE INDEX rejects_received_at_idx ON rejects (received_at DESC);
CREATE INDEX rejects_reason_idx ON rejects (reason, received_at DESC);
