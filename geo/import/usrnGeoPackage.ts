import type { MultiLineString, Position } from 'geojson';
import { geometryBngToWgs84, wgs84ToBng } from '../projection.js';
import { readGeoPackageHeader, WkbError } from '../wkb.js';
import { GeoPackage, type Box, type FeatureTable, type Row } from './geoPackage.js';
import { EASTING_RANGE, inRange, NORTHING_RANGE } from './greatBritain.js';
import { ImportError } from './importError.js';

/**
 * OS Open USRN: one GB-wide GeoPackage of street geometries (MultiLineString, EPSG:27700) with
 * `usrn` and `street_type`. Only the streets meeting a WGS84 bbox are read: through the file's
 * R*Tree when it has one (see geoPackage.ts), else by a scan that tests each blob's envelope
 * before decoding it. Geometries come back in WGS84, rounded to 1e-7°.
 */

export interface UsrnStreet {
  usrn: number;
  streetType: string | null;
  /** WGS84, 1e-7°. */
  geometry: MultiLineString;
}

export interface ReadUsrnOptions {
  /** [west, south, east, north], WGS84 degrees. */
  bbox: [west: number, south: number, east: number, north: number];
  /** Called for each street meeting the bbox; only streets it accepts are returned. */
  keep: (street: UsrnStreet) => boolean;
  /** done/total features: index candidates when the file has an R-tree, else primary keys. */
  onProgress?: (done: number, total: number) => void;
}

const BATCH_SIZE = 1000;
/** Metres added round the projected bbox: proj4's Helmert is good to a few metres. */
const MARGIN_M = 50;
const LINE_TYPES = new Set(['MULTILINESTRING', 'LINESTRING', 'GEOMETRY']);

export async function* readUsrnGeoPackage(path: string, options: ReadUsrnOptions): AsyncGenerator<UsrnStreet[]> {
  const { bbox, keep, onProgress } = options;
  const [west, south, east, north] = bbox;
  if (!bbox.every(Number.isFinite) || west >= east || south >= north) throw new RangeError(`bbox must be [west, south, east, north] with west < east and south < north, got [${bbox.join(', ')}]`);
  const gpkg = await GeoPackage.open(path);
  try {
    const table = gpkg.findTable('OS Open USRN', ['usrn', 'street_type']);
    gpkg.requireSrs(table, 'EPSG:27700');
    if (!LINE_TYPES.has(table.geometryType)) {
      throw new ImportError(path, `table ${table.name}`, `wrong geometry type ${table.geometryType}; expected MULTILINESTRING`);
    }
    const box = bngBox(bbox);
    const columns = [column(table, 'usrn'), column(table, 'street_type'), table.geometryColumn];
    const candidates = gpkg.searchSpatialIndex(table, box);
    const total = candidates === null ? gpkg.maxPrimaryKey(table) : candidates.length;
    const rows = candidates === null ? gpkg.rowsAfter(table, columns, 0) : gpkg.rowsByKey(table, columns, candidates);

    const seen = new Map<number, number>();
    let batch: UsrnStreet[] = [];
    let read = 0;
    for (const row of rows) {
      read++;
      if (read % 256 === 0) onProgress?.(candidates === null ? Number(row['pk']) : read, total);
      const street = readStreet(gpkg, table, row, box, candidates === null, bbox);
      if (street === null) continue;
      const first = seen.get(street.usrn);
      if (first !== undefined) {
        throw new ImportError(path, `table ${table.name} feature ${String(row['pk'])}`, `USRN ${street.usrn} appears again (first in feature ${first})`);
      }
      seen.set(street.usrn, Number(row['pk']));
      if (!keep(street)) continue;
      batch.push(street);
      if (batch.length === BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    onProgress?.(total, total);
    if (batch.length > 0) yield batch;
  } finally {
    gpkg.close();
  }
}

/** One row as a street, or null when it lies outside the bbox or has no geometry. */
function readStreet(gpkg: GeoPackage, table: FeatureTable, row: Row, box: Box, scanning: boolean, bbox: ReadUsrnOptions['bbox']): UsrnStreet | null {
  const pk = String(row['pk']);
  const usrnValue = row[column(table, 'usrn')];
  const label = `${pk} (USRN ${String(usrnValue)})`;
  const where = `table ${table.name} feature ${label}`;
  const usrn = typeof usrnValue === 'string' && /^\d{1,8}$/.test(usrnValue) ? Number(usrnValue) : usrnValue;
  if (typeof usrn !== 'number' || !Number.isInteger(usrn) || usrn < 1 || usrn > 99_999_999) {
    throw new ImportError(gpkg.path, where, `usrn ${JSON.stringify(String(usrnValue))} is not an integer of 1 to 8 digits`);
  }
  const streetType = row[column(table, 'street_type')];
  if (streetType !== null && typeof streetType !== 'string') throw new ImportError(gpkg.path, where, `street_type is not text`);

  // Scanning, the blob's envelope rules most streets out before any WKB is decoded.
  const blob = row[table.geometryColumn];
  if (scanning && blob instanceof Uint8Array) {
    let envelope: [number, number, number, number] | null;
    try {
      envelope = readGeoPackageHeader(blob).envelope;
    } catch (error) {
      if (error instanceof WkbError) throw new ImportError(gpkg.path, where, `bad geometry blob: ${error.message}`);
      throw error;
    }
    if (envelope !== null && (envelope[0] > box[2] || envelope[1] < box[0] || envelope[2] > box[3] || envelope[3] < box[1])) return null;
  }
  const { geometry } = gpkg.geometry(table, row, label);
  if (geometry === null) return null;
  let lines: Position[][];
  if (geometry.type === 'MultiLineString') lines = geometry.coordinates;
  else if (geometry.type === 'LineString') lines = [geometry.coordinates];
  else throw new ImportError(gpkg.path, where, `wrong geometry type ${geometry.type}; expected MultiLineString`);
  if (lines.length === 0) return null;
  for (const line of lines) {
    if (line.length < 2) throw new ImportError(gpkg.path, where, `bad geometry: a line with ${line.length} point(s)`);
    for (const [x, y] of line) {
      if (!inRange(x as number, EASTING_RANGE) || !inRange(y as number, NORTHING_RANGE)) {
        throw new ImportError(gpkg.path, where, `bad geometry: point (${x}, ${y}) is outside the British National Grid`);
      }
    }
  }
  const wgs84 = geometryBngToWgs84<MultiLineString>({ type: 'MultiLineString', coordinates: lines });
  if (!meets(wgs84, bbox)) return null;
  return { usrn, streetType, geometry: wgs84 };
}

function column(table: FeatureTable, name: string): string {
  return table.columns.get(name) as string;
}

/** The WGS84 bbox in grid metres: its edges sampled (a parallel is curved on the grid), plus a margin. */
function bngBox([west, south, east, north]: ReadUsrnOptions['bbox']): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const steps = 16;
  for (let k = 0; k <= steps; k++) {
    const lon = west + ((east - west) * k) / steps;
    const lat = south + ((north - south) * k) / steps;
    for (const [x, y] of [wgs84ToBng(lon, south), wgs84ToBng(lon, north), wgs84ToBng(west, lat), wgs84ToBng(east, lat)]) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return [box[0] - MARGIN_M, box[1] - MARGIN_M, box[2] + MARGIN_M, box[3] + MARGIN_M];
}

/** True if the geometry's own bbox meets the WGS84 bbox. */
function meets(geometry: MultiLineString, [west, south, east, north]: ReadUsrnOptions['bbox']): boolean {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const line of geometry.coordinates) {
    for (const [lon, lat] of line) {
      minLon = Math.min(minLon, lon as number);
      maxLon = Math.max(maxLon, lon as number);
      minLat = Math.min(minLat, lat as number);
      maxLat = Math.max(maxLat, lat as number);
    }
  }
  return minLon <= east && maxLon >= west && minLat <= north && maxLat >= south;
}
