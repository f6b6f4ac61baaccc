import pg from 'pg';

/**
 * The ingest benchmark's synthetic load: BENCH devices (`bench-0001`…) in Greater Manchester, each
 * publishing native payloads (docs/payloads.md) with five air-quality values, and the messages the
 * benchmark's child processes exchange with it over IPC.
 */

export const TOPIC_PREFIX = process.env.MQTT_TOPIC_PREFIX ?? 'smartplace';

export function deviceIds(count: number): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `bench-${String(i + 1).padStart(width, '0')}`);
}

export const readingsTopic = (deviceId: string) => `${TOPIC_PREFIX}/v1/devices/${deviceId}/readings`;
export const STORED_TOPIC = `${TOPIC_PREFIX}/internal/v1/stored`;

const round1 = (value: number) => Math.round(value * 10) / 10;

/** One reading's payload: values within the documented ranges, with the spread of a UK urban day. */
export function payload(timeMs: number): string {
  const no2 = round1(12 + Math.random() * 60);
  const pm25 = round1(3 + Math.random() * 30);
  const pm10 = round1(pm25 + 4 + Math.random() * 20);
  const temperature = round1(-2 + Math.random() * 24);
  const humidity = round1(45 + Math.random() * 50);
  return `{"time":"${new Date(timeMs).toISOString()}","values":{"no2":${no2},"pm25":${pm25},"pm10":${pm10},"temperature":${temperature},"humidity":${humidity}}}`;
}

/** Registers the devices (idempotent): air-quality monitors around Greater Manchester, reporting every minute. */
export async function registerDevices(client: pg.Client, ids: readonly string[]): Promise<void> {
  await client.query(
    `INSERT INTO devices (id, name, kind, lon, lat, expected_interval_s)
     SELECT id, 'Benchmark monitor ' || id, 'air_quality', lon, lat, 60
     FROM unnest($1::text[], $2::float8[], $3::float8[]) AS d (id, lon, lat)
     ON CONFLICT (id) DO NOTHING`,
    [ids, ids.map((_, i) => -2.45 + ((i * 37) % 100) / 330), ids.map((_, i) => 53.38 + ((i * 53) % 100) / 700)],
  );
}

/** Connects to a single-session embedded database, waiting while the previous session lets go. */
export async function connectDb(url: string, timeoutMs = 20_000): Promise<pg.Client> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, application_name: 'smartplace-bench' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentiles (milliseconds) of latencies; sorts the array it is given. */
export function summarise(latencies: Float64Array | number[]): LatencySummary {
  const sorted = latencies instanceof Float64Array ? latencies.sort() : Float64Array.from(latencies).sort();
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number));
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number) };
}

/** A growable array of latencies without a million boxed numbers. */
export class LatencyLog {
  private values = new Float64Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  summary(): LatencySummary {
    return summarise(this.values.slice(0, this.length));
  }
}

// --- IPC between bench/ingest.ts and its children --------------------------------------------------

export interface PublisherOptions {
  url: string;
  /** This publisher's devices: deviceIds(devices).slice(from, to). */
  devices: number;
  from: number;
  to: number;
  /** Messages per second from this publisher. */
  rate: number;
  seconds: number;
  /** Most messages published but not yet acknowledged by the broker before this publisher waits. */
  maxOutstanding: number;
  clientId: string;
}

export interface PublisherResult {
  sent: number;
  acked: number;
  firstAt: number;
  lastAt: number;
}

export type PublisherMessage = { type: 'ready' } | ({ type: 'done' } & PublisherResult);
export type PublisherCommand = { type: 'go'; startAt: number } | { type: 'stop' };

export interface BaselineOptions {
  mqttUrl: string;
  databaseUrl: string;
  /** 'commit': PUBACK after the batch is committed (what ingest does); 'receipt': at once. */
  ack: 'commit' | 'receipt';
  batchSize: number;
  maxDelayMs: number;
}

export type BaselineMessage =
  | { type: 'ready'; receiveMaximum: number | undefined }
  | { type: 'progress'; committed: number; lastCommitAt: number }
  | {
      type: 'result';
      committed: number;
      rows: number;
      firstCommitAt: number;
      lastCommitAt: number;
      latency: LatencySummary;
      /** Time of each batch INSERT, and rows per batch. */
      writeMs: LatencySummary;
      meanBatch: number;
      /** Most messages received and not yet acknowledged at once: what the broker let be in flight. */
      maxUnacknowledged: number;
      rssPeakMiB: number;
    };
export type BaselineCommand = { type: 'finish' };
