import type { WardRecord } from '../core/area.js';
import { polygonBounds } from '../geo/geographyModel.js';
import type { Queryable } from './pool.js';

/** The `wards` table: ONS ward boundaries in WGS84. */

export class WardsRepository {
  constructor(private readonly db: Queryable) {}

  async list(): Promise<WardRecord[]> {
    const result = await this.db.query<WardRecord>('SELECT code, name, geometry FROM wards ORDER BY code');
    return result.rows;
  }

  async count(): Promise<number> {
    const result = await this.db.query<{ count: number }>('SELECT count(*)::int AS count FROM wards');
    return result.rows[0]?.count ?? 0;
  }

  /** [west, south, east, north] of all the wards (from their stored boxes), or null when there are none. */
  async bounds(): Promise<[number, number, number, number] | null> {
    const result = await this.db.query<{ west: number | null; south: number; east: number; north: number }>(
      'SELECT min(west) AS west, min(south) AS south, max(east) AS east, max(north) AS north FROM wards',
    );
    const row = result.rows[0];
    return row && row.west !== null ? [row.west, row.south, row.east, row.north] : null;
  }

  /** Replaces every ward (run it inside the import's transaction). */
  async replaceAll(wards: readonly WardRecord[]): Promise<void> {
    await this.db.query('DELETE FROM wards');
    if (wards.length === 0) return;
    const boxes = wards.map((ward) => polygonBounds(ward.geometry));
    await this.db.query(
      `INSERT INTO wards (code, name, geometry, west, south, east, north)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])`,
      [
        wards.map((ward) => ward.code),
        wards.map((ward) => ward.name),
        wards.map((ward) => JSON.stringify(ward.geometry)),
        boxes.map((box) => box[0]),
        boxes.map((box) => box[1]),
        boxes.map((box) => box[2]),
        boxes.map((box) => box[3]),
      ],
    );
  }
}
