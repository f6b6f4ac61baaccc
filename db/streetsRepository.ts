import type { StreetName, StreetProperties, StreetRecord } from '../core/area.js';
import type { Queryable } from './pool.js';

/** The `streets` table (OS Open USRN geometry) and `street_names` (the council's gazetteer names). */

export type StoredStreet = StreetRecord & Pick<StreetProperties, 'name' | 'uprnCount'>;

interface StreetRow {
  usrn: string;
  street_type: string | null;
  main: boolean;
  geometry: StreetRecord['geometry'];
  name: string | null;
  uprn_count: number;
}

const WRITE_BATCH = 2000;

export class StreetsRepository {
  constructor(private readonly db: Queryable) {}

  async list(): Promise<StoredStreet[]> {
    const result = await this.db.query<StreetRow>(
      `SELECT s.usrn, s.street_type, s.main, s.geometry, n.name, s.uprn_count
       FROM streets s LEFT JOIN street_names n USING (usrn) ORDER BY s.usrn`,
    );
    return result.rows.map((row) => ({
      usrn: Number(row.usrn),
      streetType: row.street_type,
      main: row.main,
      geometry: row.geometry,
      name: row.name,
      uprnCount: row.uprn_count,
    }));
  }

  async count(): Promise<number> {
    const result = await this.db.query<{ count: number }>('SELECT count(*)::int AS count FROM streets');
    return result.rows[0]?.count ?? 0;
  }

  /** Replaces every street's geometry (inside the import's transaction); names are kept. */
  async replaceAll(streets: readonly StreetRecord[]): Promise<void> {
    await this.db.query('DELETE FROM streets');
    for (let start = 0; start < streets.length; start += WRITE_BATCH) {
      const batch = streets.slice(start, start + WRITE_BATCH);
      await this.db.query(
        `INSERT INTO streets (usrn, street_type, main, geometry)
         SELECT * FROM unnest($1::int8[], $2::text[], $3::bool[], $4::jsonb[])`,
        [batch.map((s) => s.usrn), batch.map((s) => s.streetType), batch.map((s) => s.main), batch.map((s) => JSON.stringify(s.geometry))],
      );
    }
  }

  /** Replaces every street name (inside the import's transaction). */
  async replaceNames(names: readonly StreetName[]): Promise<void> {
    await this.db.query('DELETE FROM street_names');
    for (let start = 0; start < names.length; start += WRITE_BATCH) {
      const batch = names.slice(start, start + WRITE_BATCH);
      await this.db.query(
        `INSERT INTO street_names (usrn, name, locality, town) SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[])`,
        [batch.map((n) => n.usrn), batch.map((n) => n.name), batch.map((n) => n.locality), batch.map((n) => n.town)],
      );
    }
  }

  async nameCount(): Promise<number> {
    const result = await this.db.query<{ count: number }>('SELECT count(*)::int AS count FROM street_names');
    return result.rows[0]?.count ?? 0;
  }

  /** Sets every street's UPRN count; streets missing from `counts` get 0. */
  async setUprnCounts(counts: ReadonlyMap<number, number>): Promise<void> {
    await this.db.query('UPDATE streets SET uprn_count = 0 WHERE uprn_count <> 0');
    if (counts.size === 0) return;
    await this.db.query(
      `UPDATE streets s SET uprn_count = c.count FROM unnest($1::int8[], $2::int4[]) AS c (usrn, count) WHERE s.usrn = c.usrn`,
      [[...counts.keys()], [...counts.values()]],
    );
  }
}
