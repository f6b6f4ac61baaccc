import { readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDatabase } from '../../db/embedded/embeddedDatabase.js';
import { ReadingsRepository } from '../../db/readingsRepository.js';
import { StoreJobsRepository } from '../../db/storeJobsRepository.js';
import type { Reading } from '../../core/reading.js';
import { startTestDatabase, tempDir, type TestDatabase } from '../support/database.js';

/**
 * The embedded TimescaleDB as `npm start` runs it: a PGlite + TimescaleDB host in a child process,
 * over the Postgres wire protocol. These are the properties the product relies on.
 */

function readings(deviceId: string, start: string, count: number, stepMs = 60_000): Reading[] {
  const t0 = Date.parse(start);
  return Array.from({ length: count }, (_, i) => ({ deviceId, time: new Date(t0 + i * stepMs).toISOString(), values: { no2: i % 50 } }));
}

async function count(database: TestDatabase, where = 'true'): Promise<number> {
  const result = await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM readings WHERE ${where}`);
  return Number(result.rows[0]?.n);
}

describe('embedded TimescaleDB', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('has TimescaleDB and a readings hypertable after migrating', async () => {
    const extension = await database.pool.query("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'");
    expect(extension.rows[0]?.extversion).toMatch(/^2\./);
    const hypertables = await database.pool.query('SELECT hypertable_name FROM timescaledb_information.hypertables');
    expect(hypertables.rows.map((row) => row.hypertable_name)).toEqual(['readings']);
  });

  it('keeps committed data through a clean stop and start', async () => {
    await new ReadingsRepository(database.pool).insertBatch(readings('restart', '2026-11-20T00:00:00Z', 500));
    await database.stop();
    await database.restart();
    expect(await count(database, "device_id = 'restart'")).toBe(500);
  });

  it('keeps committed data when the database process is killed, and comes back by itself', async () => {
    await new ReadingsRepository(database.pool).insertBatch(readings('killed', '2026-11-20T00:00:00Z', 300));
    process.kill(database.db.pid as number, 'SIGKILL');
    // The first query may hit the dead connection; the supervisor restarts the host on the same port.
    let survivors: number | undefined;
    for (let attempt = 0; attempt < 40 && survivors === undefined; attempt++) {
      survivors = await count(database, "device_id = 'killed'").catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 250));
        return undefined;
      });
    }
    expect(survivors).toBe(300);
  });

  it('reads compressed chunks after a restart (the LOAD timescaledb workaround)', async () => {
    // Without LOAD 'timescaledb' at session start this build reads 0 rows from compressed chunks
    // after a reopen: see docs/embedded-database.md.
    await new ReadingsRepository(database.pool).insertBatch(readings('compressed', '2026-10-01T00:00:00Z', 2 * 24 * 60));
    await database.pool.query("ALTER TABLE readings SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id')");
    const compressed = await database.pool.query(
      "SELECT count(compress_chunk(c, if_not_compressed => true)) AS n FROM show_chunks('readings', older_than => TIMESTAMPTZ '2026-10-05') c",
    );
    expect(Number(compressed.rows[0]?.n)).toBeGreaterThanOrEqual(2);
    expect(await count(database, "device_id = 'compressed'")).toBe(2880);
    await database.stop();
    await database.restart();
    expect(await count(database, "device_id = 'compressed'")).toBe(2880);
  });

  it('recycles the write-ahead log after a checkpoint (it has no checkpointer of its own)', async () => {
    const walMiB = async () => {
      let bytes = 0;
      for (const file of await readdir(`${database.dir}/timescaledb/pg_wal`, { withFileTypes: true })) {
        if (file.isFile()) bytes += (await stat(`${database.dir}/timescaledb/pg_wal/${file.name}`)).size;
      }
      return bytes / 2 ** 20;
    };
    const write = (day: number) =>
      database.pool.query(
        `INSERT INTO readings (time, device_id, no2) SELECT timestamptz '2025-03-0${day}' + make_interval(secs => s), 'wal-test', s
         FROM generate_series(0, 199999) s`,
      );
    await database.pool.query('CHECKPOINT');
    const before = await walMiB();
    await write(1);
    const afterFirst = await walMiB();
    await new StoreJobsRepository(database.pool).checkpoint();
    await write(5);
    const afterSecond = await walMiB();
    // The first write needed new WAL segments; after the checkpoint the second reused them.
    expect(afterFirst - before).toBeGreaterThan(16);
    expect(afterSecond).toBeLessThanOrEqual(afterFirst);
  });

  it('refuses a second process on the same data directory, saying who holds it', async () => {
    const attempt = EmbeddedDatabase.start(database.dir, { port: 0, explicit: false });
    await expect(attempt).rejects.toMatchObject({ code: 'db.data_dir_in_use' });
    await expect(attempt).rejects.toThrow(/is in use by process \d+/);
  });

  it('refuses an explicitly configured port that is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dir = await tempDir('port');
    try {
      const attempt = EmbeddedDatabase.start(dir, { port, explicit: true });
      await expect(attempt).rejects.toThrow(`EMBEDDED_DB_PORT=${port}: that port is already in use`);
    } finally {
      blocker.close();
    }
  });
});
