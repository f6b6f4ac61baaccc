import type { PropertyPoints } from '../core/area.js';
import type { Queryable } from './pool.js';

/** The `properties` table (OS Open UPRN points in the area) and `property_streets` (UPRN→USRN links). */

export interface PropertyStreetLinks {
  uprns: Float64Array;
  usrns: Float64Array;
}

const WRITE_BATCH = 5000;

export class PropertiesRepository {
  constructor(private readonly db: Queryable) {}

  async points(): Promise<PropertyPoints> {
    // float8 arrays come back as text; one row per property keeps parsing linear and simple.
    const result = await this.db.query<{ uprn: string; lon: number; lat: number }>('SELECT uprn, lon, lat FROM properties ORDER BY uprn');
    const points: PropertyPoints = {
      uprns: new Float64Array(result.rows.length),
      lons: new Float64Array(result.rows.length),
      lats: new Float64Array(result.rows.length),
    };
    result.rows.forEach((row, i) => {
      points.uprns[i] = Number(row.uprn);
      points.lons[i] = row.lon;
      points.lats[i] = row.lat;
    });
    return points;
  }

  async links(): Promise<PropertyStreetLinks> {
    const result = await this.db.query<{ uprn: string; usrn: string }>('SELECT uprn, usrn FROM property_streets');
    return {
      uprns: Float64Array.from(result.rows, (row) => Number(row.uprn)),
      usrns: Float64Array.from(result.rows, (row) => Number(row.usrn)),
    };
  }

  /** The street (USRN) a property is linked to; null when it is not linked or not known. */
  async streetOf(uprn: number): Promise<number | null> {
    const result = await this.db.query<{ usrn: string }>('SELECT usrn FROM property_streets WHERE uprn = $1 LIMIT 1', [uprn]);
    const usrn = result.rows[0]?.usrn;
    return usrn === undefined ? null : Number(usrn);
  }

  async count(): Promise<number> {
    const result = await this.db.query<{ count: number }>('SELECT count(*)::int AS count FROM properties');
    return result.rows[0]?.count ?? 0;
  }

  async linkCount(): Promise<number> {
    const result = await this.db.query<{ count: number }>('SELECT count(*)::int AS count FROM property_streets');
    return result.rows[0]?.count ?? 0;
  }

  /** Replaces every property with the given points (the synthetic demo; imports go through staging). */
  async replaceAll(points: PropertyPoints): Promise<void> {
    await this.db.query('DELETE FROM properties');
    for (let start = 0; start < points.uprns.length; start += WRITE_BATCH) {
      const end = Math.min(points.uprns.length, start + WRITE_BATCH);
      await this.db.query('INSERT INTO properties (uprn, lon, lat) SELECT * FROM unnest($1::int8[], $2::float8[], $3::float8[])', [
        Array.from(points.uprns.subarray(start, end)),
        Array.from(points.lons.subarray(start, end)),
        Array.from(points.lats.subarray(start, end)),
      ]);
    }
  }

  /** Replaces every UPRN→USRN link with the given pairs (the synthetic demo). */
  async replaceLinks(links: PropertyStreetLinks): Promise<void> {
    await this.db.query('DELETE FROM property_streets');
    for (let start = 0; start < links.uprns.length; start += WRITE_BATCH) {
      const end = Math.min(links.uprns.length, start + WRITE_BATCH);
      await this.db.query('INSERT INTO property_streets (uprn, usrn) SELECT * FROM unnest($1::int8[], $2::int8[]) ON CONFLICT DO NOTHING', [
        Array.from(links.uprns.subarray(start, end)),
        Array.from(links.usrns.subarray(start, end)),
      ]);
    }
  }

  /** Replaces every property with an import's staged rows (inside the import's transaction). */
  async replaceFromStaging(importId: number): Promise<number> {
    await this.db.query('DELETE FROM properties');
    const result = await this.db.query(
      `INSERT INTO properties (uprn, lon, lat)
       SELECT DISTINCT ON (uprn) uprn, lon, lat FROM staging_properties WHERE import_id = $1 ORDER BY uprn`,
      [importId],
    );
    return result.rowCount ?? 0;
  }

  /** Replaces every UPRN→USRN link with an import's staged rows (inside the import's transaction). */
  async replaceLinksFromStaging(importId: number): Promise<number> {
    await this.db.query('DELETE FROM property_streets');
    const result = await this.db.query(
      `INSERT INTO property_streets (uprn, usrn)
       SELECT DISTINCT uprn, usrn FROM staging_property_streets WHERE import_id = $1`,
      [importId],
    );
    return result.rowCount ?? 0;
  }
}
