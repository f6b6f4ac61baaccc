import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { EmbeddedDatabase } from '../../db/embedded/embeddedDatabase.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { openDb, type Db } from '../../db/pool.js';

/** A real embedded TimescaleDB in a fresh temporary directory, migrated, with its one-connection pool. */
export interface TestDatabase {
  dir: string;
  db: EmbeddedDatabase;
  pool: Db;
  /** Stops the database and its connection; keeps the directory so a test can start it again. */
  stop(): Promise<void>;
  /** Starts the database again over the same directory. */
  restart(): Promise<void>;
  /** Stops everything and deletes the directory. */
  destroy(): Promise<void>;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(`${tmpdir()}/smartplace-${prefix}-`);
}

export async function startTestDatabase(options: { migrate?: boolean; dir?: string } = {}): Promise<TestDatabase> {
  const dir = options.dir ?? (await tempDir('db'));
  const open = async () => {
    const db = await EmbeddedDatabase.start(dir, { port: 0, explicit: false });
    const pool = openDb({ connectionString: db.url, max: 1, onError: () => undefined });
    if (options.migrate ?? true) await migrate(pool, await loadMigrations());
    return { db, pool };
  };
  let current = await open();
  const handle: TestDatabase = {
    dir,
    get db() {
      return current.db;
    },
    get pool() {
      return current.pool;
    },
    async stop() {
      await current.pool.end();
      await current.db.stop();
    },
    async restart() {
      current = await open();
    },
    async destroy() {
      await handle.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
