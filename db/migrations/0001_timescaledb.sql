-- TimescaleDB is the store: hypertables, continuous aggregates and compression.
-- On a TimescaleDB server the extension must be available (shared_preload_libraries = 'timescaledb').
CREATE EXTENSION IF NOT EXISTS timescaledb;
