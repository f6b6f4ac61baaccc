import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Reading } from '../core/reading.js';
import { EmbeddedDatabase } from '../db/embedded/embeddedDatabase.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openDb, type Queryable } from '../db/pool.js';
import { ReadingsRepository } from '../db/readingsRepository.js';
import { summarise } from './ingestLoad.js';

/**
 * What keeping each device's newest reading (`device_latest`, db/migrations/0008) costs a write
 * (`npm run bench -- insert`). ReadingsRepository.insertBatch stores a batch and updates the
 * newest readings in one statement; the baseline is insertBatch with the statement it replaced (the
 * INSERT alone), against the same embedded database, alternating batch by batch so both see the
 * same load.
 * Batches are ingest's default size (500 readings) from 2,000 devices, as bench/ingest.ts offers.
 */

const DEVICES = Number(process.env.BENCH_INSERT_DEVICES ?? 2000);
const BATCH = Number(process.env.BENCH_INSERT_BATCH ?? 500);
const ROUNDS = Number(process.env.BENCH_INSERT_ROUNDS ?? 200);
const WARM_UP = 10;

/**
 * The statement insertBatch sent before device_latest: its own INSERT, without the CTE around it
 * (cut out of the statement it sends now, so the baseline has the same JavaScript work and columns).
 */
function withoutLatest(db: Queryable): Queryable {
  return {
    query: async (text: string, values?: unknown[]) => {
      const insert = /^WITH stored AS \(\n([\s\S]*?)\n\s*RETURNING[\s\S]*$/.exec(text)?.[1];
      if (insert === undefined) return db.query(text, values);
      const result = await db.query(insert, values);
      return { ...result, rows: [{ inserted: result.rowCount }] };
    },
  } as Queryable;
}

const ids = Array.from({ length: DEVICES }, (_, i) => `ins-${String(i + 1).padStart(4, '0')}`);
const start = Date.parse('2026-11-01T00:00:00Z');

/** Batch k: the next BATCH devices in turn, one reading each; `offsetMs` keeps the two series apart. */
function batch(k: number, offsetMs: number): Reading[] {
  return Array.from({ length: BATCH }, (_, j) => {
    const n = k * BATCH + j;
    return {
      deviceId: ids[n % DEVICES] as string,
      time: new Date(start + Math.floor(n / DEVICES) * 60_000 + offsetMs).toISOString(),
      values: { no2: 20 + (n % 17), pm25: 8 + (n % 5), pm10: 14 + (n % 7), temperature: 9.5, humidity: 80 },
      place: { wardCode: 'E05000001', usrn: 7000000 + (n % DEVICES) },
    };
  });
}

export async function benchInsert(): Promise<void> {
  const dir = await mkdtemp(`${tmpdir()}/smartplace-bench-insert-`);
  const database = await EmbeddedDatabase.start(dir, { port: 0, explicit: false });
  const db = openDb({ connectionString: database.url, max: 1, onError: () => undefined });
  try {
    await migrate(db, await loadMigrations());
    await db.query(
      `INSERT INTO devices (id, name, kind, lon, lat, expected_interval_s) SELECT id, id, 'air_quality', -2.3, 53.4, 60 FROM unnest($1::text[]) AS id`,
      [ids],
    );
    const repository = new ReadingsRepository(db);
    const before = new ReadingsRepository(withoutLatest(db));
    const timed: { product: number[]; baseline: number[] } = { product: [], baseline: [] };
    for (let k = 0; k < WARM_UP + ROUNDS; k++) {
      const product = batch(k, 0);
      const other = batch(k, 30_000);
      // Alternate which goes first, so neither always follows the other's writes.
      const order = k % 2 === 0 ? (['product', 'baseline'] as const) : (['baseline', 'product'] as const);
      for (const which of order) {
        const began = performance.now();
        const result = which === 'product' ? await repository.insertBatch(product) : await before.insertBatch(other);
        if (result.inserted.length !== BATCH) throw new Error(`batch ${k}: ${result.inserted.length} of ${BATCH} inserted`);
        if (k >= WARM_UP) timed[which].push(performance.now() - began);
      }
    }
    const latest = await repository.latestPerDevice();
    if (latest.length !== DEVICES) throw new Error(`device_latest holds ${latest.length} devices, not ${DEVICES}`);
    const p = summarise(timed.product);
    const b = summarise(timed.baseline);
    const rate = (ms: number) => Math.round((BATCH / ms) * 1000).toLocaleString('en-GB');
    console.log(`  ${ROUNDS} batches of ${BATCH} readings from ${DEVICES} devices each way, alternating, embedded database`);
    console.log(`    insertBatch, INSERT alone (before): p50 ${b.p50.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms a batch; ${rate(b.p50)} readings/s at p50`);
    console.log(`    insertBatch with device_latest:    p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms a batch; ${rate(p.p50)} readings/s at p50`);
    console.log(`    cost of keeping the newest readings: ${((p.p50 / b.p50 - 1) * 100).toFixed(0)}% at p50, ${((p.p95 / b.p95 - 1) * 100).toFixed(0)}% at p95`);
  } finally {
    await db.end();
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
