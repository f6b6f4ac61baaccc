import { bngToWgs84, roundDegrees } from '../projection.js';
import { readGeoPackagePoint, WkbError, type PointOut } from '../wkb.js';
import { GeoPackage, type FeatureTable, type Row } from './geoPackage.js';
import { EASTING_RANGE, inRange, LATITUDE_RANGE, LONGITUDE_RANGE, NORTHING_RANGE } from './greatBritain.js';
import { ImportError } from './importError.js';
import { MAX_ROWS_PER_BATCH } from './csvLines.js';
import type { UprnBatch } from './uprnCsv.js';

/**
 * OS Open UPRN, GeoPackage edition: the feature table with a `uprn` column (OS name it
 * osopenuprn_address). Positions come from its latitude/longitude columns when it has them
 * (ETRS89, used as WGS84 as in the CSV: see uprnCsv.ts), else from the point geometry in
 * EPSG:27700 through proj4 (a few metres off OS's own transformation). Batches and resuming work as
 * for the CSV, with row ids in place of byte offsets.
 */

export interface ScanUprnGeoPackageOptions {
  keep: (lon: number, lat: number) => boolean;
  /** Resume after this row id: a previous batch's endOffset. */
  fromRowId?: number;
  /** Kept rows per batch (default 65,536). */
  batchSize?: number;
  /** done/total in row ids: the last row id read and the table's highest. */
  onProgress?: (done: number, total: number) => void;
}

const DEFAULT_BATCH_SIZE = 65_536;
const PAGE_ROWS = 8192;
const POINT_TYPES = new Set(['POINT', 'GEOMETRY']);

/**
 * Batches as for scanUprnCsv, except that endOffset and endLine are both the last row id read
 * (a GeoPackage has no lines): resume with fromRowId = endOffset.
 */
export async function* scanUprnGeoPackage(path: string, options: ScanUprnGeoPackageOptions): AsyncGenerator<UprnBatch> {
  const { keep, onProgress } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const fromRowId = options.fromRowId ?? 0;
  if (!Number.isInteger(fromRowId) || fromRowId < 0) throw new RangeError(`fromRowId must be a row id (a non-negative integer), got ${fromRowId}`);
  const gpkg = await GeoPackage.open(path);
  try {
    const table = gpkg.findTable('OS Open UPRN', ['uprn']);
    const uprnColumn = table.columns.get('uprn') as string;
    const latColumn = table.columns.get('latitude');
    const lonColumn = table.columns.get('longitude');
    const useColumns = latColumn !== undefined && lonColumn !== undefined;
    if (!useColumns) {
      gpkg.requireSrs(table, 'EPSG:27700');
      if (!POINT_TYPES.has(table.geometryType)) throw new ImportError(path, `table ${table.name}`, `wrong geometry type ${table.geometryType}; expected POINT`);
    }
    const total = gpkg.maxPrimaryKey(table);
    const columns = useColumns ? [uprnColumn, latColumn, lonColumn] : [uprnColumn, table.geometryColumn];

    const uprns = new Float64Array(batchSize);
    const lons = new Float64Array(batchSize);
    const lats = new Float64Array(batchSize);
    let count = 0;
    let rows = 0;
    let lastRowId = fromRowId;
    let yielded = false;
    const take = (): UprnBatch => {
      const batch = { uprns: uprns.slice(0, count), lons: lons.slice(0, count), lats: lats.slice(0, count), count, endOffset: lastRowId, endLine: lastRowId, rowsScanned: rows };
      count = 0;
      rows = 0;
      yielded = true;
      return batch;
    };

    for (const row of gpkg.rowsAfter(table, columns, fromRowId, PAGE_ROWS)) {
      lastRowId = Number(row['pk']);
      const uprn = readUprn(gpkg, table, row, uprnColumn);
      const [lon, lat] = useColumns ? readLonLat(gpkg, table, row, uprn, lonColumn, latColumn) : readPoint(gpkg, table, row, uprn);
      rows++;
      if (keep(lon, lat)) {
        uprns[count] = uprn;
        lons[count] = lon;
        lats[count] = lat;
        count++;
      }
      if (rows % PAGE_ROWS === 0) onProgress?.(lastRowId, total);
      if (count === batchSize || rows === MAX_ROWS_PER_BATCH) yield take();
    }
    onProgress?.(total, total);
    if (rows > 0 || !yielded) yield take();
  } finally {
    gpkg.close();
  }
}

function readUprn(gpkg: GeoPackage, table: FeatureTable, row: Row, column: string): number {
  const value = row[column];
  const uprn = typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : value;
  if (typeof uprn !== 'number' || !Number.isInteger(uprn) || uprn < 1 || uprn > 999_999_999_999) {
    throw new ImportError(gpkg.path, `table ${table.name} feature ${String(row['pk'])}`, `uprn ${JSON.stringify(String(value))} is not an integer of 1 to 12 digits`);
  }
  return uprn;
}

function readLonLat(gpkg: GeoPackage, table: FeatureTable, row: Row, uprn: number, lonColumn: string, latColumn: string): [number, number] {
  const lon = row[lonColumn];
  const lat = row[latColumn];
  const where = `table ${table.name} feature ${String(row['pk'])} (UPRN ${uprn})`;
  if (typeof lat !== 'number' || !inRange(lat, LATITUDE_RANGE)) throw new ImportError(gpkg.path, where, `${latColumn} ${String(lat)} is not a latitude in Great Britain (${LATITUDE_RANGE.join('…')})`);
  if (typeof lon !== 'number' || !inRange(lon, LONGITUDE_RANGE)) throw new ImportError(gpkg.path, where, `${lonColumn} ${String(lon)} is not a longitude in Great Britain (${LONGITUDE_RANGE.join('…')})`);
  return [lon, lat];
}

const point: PointOut = { x: 0, y: 0, srsId: 0 };

function readPoint(gpkg: GeoPackage, table: FeatureTable, row: Row, uprn: number): [number, number] {
  const where = () => `table ${table.name} feature ${String(row['pk'])} (UPRN ${uprn})`;
  const blob = row[table.geometryColumn];
  if (!(blob instanceof Uint8Array)) throw new ImportError(gpkg.path, where(), `bad geometry blob: ${blob === null ? 'NULL' : typeof blob}`);
  let present: boolean;
  try {
    present = readGeoPackagePoint(blob, point);
  } catch (error) {
    if (error instanceof WkbError) throw new ImportError(gpkg.path, where(), `bad geometry blob: ${error.message}`);
    throw error;
  }
  if (point.srsId !== table.srsId) throw new ImportError(gpkg.path, where(), `geometry srs_id ${point.srsId} differs from the column's ${table.srsId}`);
  if (!present) throw new ImportError(gpkg.path, where(), 'empty geometry: every UPRN has a position');
  const { x, y } = point;
  if (!inRange(x, EASTING_RANGE) || !inRange(y, NORTHING_RANGE)) throw new ImportError(gpkg.path, where(), `bad geometry: point (${x}, ${y}) is outside the British National Grid`);
  const [lon, lat] = bngToWgs84(x, y);
  return [roundDegrees(lon), roundDegrees(lat)];
}
