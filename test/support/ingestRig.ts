import { openDb, type Db } from '../../db/pool.js';
import { startCommand, type RunningCommand } from './product.js';

/**
 * The pieces the ingest fault tests assemble: `smartplace db` on its own (so ingest can be killed
 * and the database stopped independently), `smartplace ingest` with its /metrics, a wait for ingest
 * to go quiet, and the counts the tests compare with what was sent.
 */

export interface StandaloneDatabase extends RunningCommand {
  dataDir: string;
  port: number;
  url: string;
}

/**
 * `smartplace db` on DATA_DIR and a fixed port, so it can be stopped and started again where
 * ingest's DATABASE_URL points. One connection at a time: connect only while nothing else is.
 */
export async function startStandaloneDatabase(dataDir: string, port: number): Promise<StandaloneDatabase> {
  const running = await startCommand(['db'], { DATA_DIR: dataDir, EMBEDDED_DB_PORT: String(port) }, /psql -h 127\.0\.0\.1 -p \d+/);
  return { ...running, dataDir, port, url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable` };
}

/**
 * Runs `work` on a one-connection pool to `url`, and closes it (freeing the embedded database's one
 * session). The database notices a moment late that the previous session ended (a process that
 * has just exited, say), and refuses a connection meanwhile ("Too many connections"), so connecting
 * is tried again for up to `connectWithinMs`.
 */
export async function withDatabase<T>(url: string, work: (db: Db) => Promise<T>, connectWithinMs = 5000): Promise<T> {
  const db = openDb({ connectionString: url, max: 1, onError: () => undefined });
  try {
    const deadline = Date.now() + connectWithinMs;
    for (;;) {
      try {
        await db.query('SELECT 1');
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`cannot connect to ${url} for ${connectWithinMs} ms: ${(error as Error).message}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    return await work(db);
  } finally {
    await db.end();
  }
}

export interface RunningIngest extends RunningCommand {
  metricsUrl: string;
  pid: number;
}

/** `smartplace ingest` with a free metrics port; `env` needs at least MQTT_URL and DATA_DIR or DATABASE_URL. */
export async function startIngestCommand(env: Record<string, string>): Promise<RunningIngest> {
  const ready = /Smartplace ingest is running \(instance \S+; metrics at (http:\/\/\S+)\)/;
  const running = await startCommand(['ingest'], { INGEST_METRICS_PORT: '0', LOG_LEVEL: 'warn', ...env }, ready);
  const metricsUrl = ready.exec(running.output())?.[1] as string;
  return { ...running, metricsUrl, pid: running.process.pid as number };
}

/** A Prometheus text page as metric name → value, summed over labels. */
export async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const metrics = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const [, name, value] = match as unknown as [string, string, string];
    metrics.set(name, (metrics.get(name) ?? 0) + Number(value));
  }
  return metrics;
}

export const INGEST_METRICS = {
  received: 'smartplace_ingest_messages_received_total',
  rejected: 'smartplace_ingest_messages_rejected_total',
  stored: 'smartplace_ingest_readings_stored_total',
  duplicates: 'smartplace_ingest_readings_duplicate_total',
  pending: 'smartplace_ingest_pending_items',
  paused: 'smartplace_ingest_paused',
  connected: 'smartplace_ingest_broker_connected',
} as const;

/**
 * Waits until ingest has nothing waiting for the database, is reading from a connected broker, and
 * has taken no message for `quietMs`. Call it once the publisher has every PUBACK: whatever the
 * broker still holds for ingest then arrives well within the quiet period.
 */
export async function waitForIngestIdle(metricsUrl: string, options: { quietMs?: number; timeoutMs?: number } = {}): Promise<Map<string, number>> {
  const quietMs = options.quietMs ?? 2000;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let last = -1;
  let since = Date.now();
  for (;;) {
    const metrics = await scrapeMetrics(metricsUrl);
    const received = metrics.get(INGEST_METRICS.received) ?? 0;
    const settled = metrics.get(INGEST_METRICS.pending) === 0 && metrics.get(INGEST_METRICS.paused) === 0 && metrics.get(INGEST_METRICS.connected) === 1;
    if (received !== last || !settled) {
      last = received;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return metrics;
    }
    if (Date.now() > deadline) throw new Error(`ingest did not go idle: ${JSON.stringify(Object.fromEntries([...metrics].filter(([name]) => name.startsWith('smartplace_ingest_'))))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface StoredCounts {
  readings: number;
  /** Rows in `rejects`: distinct refused messages. */
  rejects: number;
  /** Sum of `times_received`: fresh deliveries of refused messages. */
  timesReceived: number;
  byReason: Record<string, number>;
}

export async function storedCounts(db: Db): Promise<StoredCounts> {
  const readings = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM readings');
  const reasons = await db.query<{ reason: string; n: number; received: number }>(
    'SELECT reason, count(*)::int AS n, sum(times_received)::int AS received FROM rejects GROUP BY reason ORDER BY reason',
  );
  return {
    readings: readings.rows[0]?.n ?? 0,
    rejects: reasons.rows.reduce((sum, row) => sum + row.n, 0),
    timesReceived: reasons.rows.reduce((sum, row) => sum + row.received, 0),
    byReason: Object.fromEntries(reasons.rows.map((row) => [row.reason, row.n])),
  };
}

/** Log lines at error level or above (the processes log JSON lines), so a test can show them when it fails. */
export function loggedErrors(output: string): string[] {
  return output.split('\n').filter((line) => {
    if (!line.startsWith('{')) return false;
    try {
      return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
    } catch {
      return false;
    }
  });
}
