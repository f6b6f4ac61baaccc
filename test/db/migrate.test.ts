import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationError, loadMigrations, migrate } from '../../db/migrate.js';
import { openDb } from '../../db/pool.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('applies every numbered migration once, in order', async () => {
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort((a, b) => a - b));
    expect(await migrate(database.pool, migrations)).toEqual(migrations.map((m) => m.name));
    expect(await migrate(database.pool, migrations)).toEqual([]);
  });

  it('refuses to run when an applied migration has been edited', async () => {
    const migrations = await loadMigrations();
    const edited = migrations.map((m, i) => (i === 1 ? { ...m, checksum: 'changed' } : m));
    await expect(migrate(database.pool, edited)).rejects.toThrow(MigrationError);
    await expect(migrate(database.pool, edited)).rejects.toThrow(/has changed since it was applied/);
  });

  it('rolls a failing migration back and names it', async () => {
    const migrations = await loadMigrations();
    const broken = { version: 9999, name: '9999_broken.sql', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();', checksum: 'x' };
    await expect(migrate(database.pool, [...migrations, broken])).rejects.toThrow(/9999_broken.sql failed/);
    const leftovers = await database.pool.query("SELECT to_regclass('half_done') AS t");
    expect(leftovers.rows[0]?.t).toBeNull();
  });
});

describe('migrations against a PostgreSQL without TimescaleDB', () => {
  it('stop with a message that says what is missing', async () => {
    // The machine's PostgreSQL 15 on 5432 has no TimescaleDB: a realistic wrong DATABASE_URL.
    const pool = openDb({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres', max: 1, onError: () => undefined });
    try {
      await expect(migrate(pool, await loadMigrations())).rejects.toThrow(/does not have the TimescaleDB extension available/);
    } finally {
      await pool.end();
    }
  });
});
