import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './pool.js';

/** Numbered plain-SQL migrations under db/migrations, applied in order, each in its own transaction. */

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(file);
    if (!match) throw new Error(`db/migrations/${file}: migration files are named NNNN_words.sql`);
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  const versions = new Set<number>();
  for (const migration of migrations) {
    if (versions.has(migration.version)) throw new Error(`db/migrations: two migrations are numbered ${migration.version}`);
    versions.add(migration.version);
  }
  return migrations;
}

export class MigrationError extends Error {
  readonly code = 'db.migration_failed';
}

/** Runs pending migrations; returns the names it applied. Safe to run from several processes at once. */
export async function migrate(db: Db, migrations: Migration[]): Promise<string[]> {
  return db.session(async (client) => {
    const timescale = await client.query<{ available: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available",
    );
    if (!timescale.rows[0]?.available) {
      throw new MigrationError(
        'the database does not have the TimescaleDB extension available. Smartplace stores readings in TimescaleDB ' +
          'hypertables: use a TimescaleDB server (docker-compose.yml runs one) or unset DATABASE_URL for the embedded database.',
      );
    }
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['smartplace.migrate']);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Map(
        (await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations')).rows.map(
          (row) => [row.version, row],
        ),
      );
      const done: string[] = [];
      for (const migration of migrations) {
        const previous = applied.get(migration.version);
        if (previous) {
          if (previous.checksum !== migration.checksum) {
            throw new MigrationError(
              `${migration.name} has changed since it was applied as ${previous.name}; add a new migration instead of editing an applied one`,
            );
          }
          continue;
        }
        try {
          await client.query('BEGIN');
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            migration.checksum,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new MigrationError(`${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        done.push(migration.name);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['smartplace.migrate']);
    }
  });
}
