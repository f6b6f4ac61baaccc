import type { MultiPolygon, Polygon } from 'geojson';
import type { WardRecord } from '../core/area.js';
import type { Queryable } from './pool.js';

/** The `wards` table: ONS ward boundaries in WGS84. */

function bounds(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const [lon, lat] of ring) {
        west = Math.min(west, lon as number);
        east = Math.max(east, lon as number);
        south = Math.min(south, lat as number);
        north = Math.max(north, lat as number);
      }
    }
  }
  return [west, south, east, north];
}

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

  /** Replaces every ward (run it inside the import's transaction). */
  async replaceAll(wards: readonly WardRecord[]): Promise<void> {
    await this.db.query('DELETE FROM wards');
    if (wards.length === 0) return;
    const boxes = wards.map((ward) => bounds(ward.geometry));
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
