import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { openDb, type Db } from '../../db/pool.js';

/**
 * The alerts table (migration 0009) on the machine's PostgreSQL, in a schema of its own, for tests
 * that need several real connections at once (the embedded database has one session). The schema
 * holds a bare `devices` table with the given ids, which is all the migration refers to.
 */
export interface AlertsSchema {
  /** A connection string whose search_path is the schema. */
  url: string;
  admin: Db;
  drop(): Promise<void>;
}

export async function createAlertsSchema(prefix: string, deviceIds: readonly string[]): Promise<AlertsSchema> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/postgres?options=-c%20search_path%3D${schema}`;
  const admin = openDb({ connectionString: url, max: 1, onError: () => undefined });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE devices (id text PRIMARY KEY)`);
  await admin.query(`INSERT INTO devices SELECT unnest($1::text[])`, [deviceIds]);
  await admin.query(await readFile(new URL('../../db/migrations/0009_alerts.sql', import.meta.url), 'utf8'));
  return {
    url,
    admin,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
