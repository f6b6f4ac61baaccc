import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The embedded database takes one connection. A connection thrown away after an ordinary SQL error
 * would make the next query race its teardown and be refused, so errors must not cost the session.
 * A session setting survives only on the same connection: it is the witness here.
 */
describe('Db connection handling', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
    await database.pool.query("SET smartplace.witness = 'same connection'");
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const witness = async () => (await database.pool.query<{ w: string }>("SELECT current_setting('smartplace.witness', true) AS w")).rows[0]?.w;

  it('keeps the connection after a query the server refuses', async () => {
    await expect(database.pool.query('INSERT INTO devices (id) VALUES ($1)', ['bad id!'])).rejects.toThrow(/violates/);
    expect(await witness()).toBe('same connection');
  });

  it('keeps the connection after an error in our own code inside a session', async () => {
    await expect(
      database.pool.session(async () => {
        throw new Error('not the database');
      }),
    ).rejects.toThrow('not the database');
    expect(await witness()).toBe('same connection');
  });

  it('rolls a failed transaction back and keeps the connection', async () => {
    await expect(
      database.pool.transaction(async (client) => {
        await client.query("INSERT INTO devices (id, name, kind, lon, lat, expected_interval_s) VALUES ('tx-1', 'x', 'traffic', 0, 0, 60)");
        await client.query('SELECT 1 / 0');
      }),
    ).rejects.toThrow(/division by zero/);
    expect((await database.pool.query("SELECT count(*)::int AS n FROM devices WHERE id = 'tx-1'")).rows[0]).toEqual({ n: 0 });
    expect(await witness()).toBe('same connection');
  });
});
