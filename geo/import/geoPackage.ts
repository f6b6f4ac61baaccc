import { open } from 'node:fs/promises';
import sqlite3, { type Database, type SQLiteValue } from 'node-sqlite3-wasm';
import { readGeoPackageGeometry, WkbError, type GeoPackageGeometry } from '../wkb.js';
import { fileSize } from './csvLines.js';
import { ImportError } from './importError.js';

/**
 * Reading OS GeoPackages through node-sqlite3-wasm: SQLite compiled to WebAssembly with a VFS over
 * Node's fs, so pages are read on demand and a national file is never loaded whole, and nothing
 * native has to be built. Its build has no R*Tree module (`no such module: rtree`), so a
 * GeoPackage's spatial index cannot be queried through SQL. The index's nodes are ordinary rows
 * of its shadow table `rtree_<table>_<column>_node`, though, in SQLite's documented on-disk format,
 * so searchRtree walks them in JS; a file without the index is scanned.
 */

export type Row = Record<string, SQLiteValue>;

export interface FeatureTable {
  name: string;
  geometryColumn: string;
  /** From gpkg_geometry_columns, upper case: POINT, MULTILINESTRING, GEOMETRY… */
  geometryType: string;
  srsId: number;
  /** The srs as ORGANIZATION:ID, e.g. EPSG:27700. */
  srs: string;
  /** The INTEGER PRIMARY KEY (GDAL: fid). */
  primaryKey: string;
  /** Column names by lower-case name, so lookups ignore case (OS changed case between releases). */
  columns: Map<string, string>;
}

/** [minX, minY, maxX, maxY] in the table's srs. */
export type Box = [number, number, number, number];

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export class GeoPackage {
  private constructor(
    readonly path: string,
    private readonly db: Database,
  ) {}

  /** Opens read-only after checking that the file is SQLite and has gpkg_contents. */
  static async open(path: string): Promise<GeoPackage> {
    await fileSize(path);
    const handle = await open(path, 'r');
    const magic = Buffer.alloc(16);
    try {
      await handle.read(magic, 0, 16, 0);
    } finally {
      await handle.close();
    }
    if (magic.toString('latin1') !== SQLITE_MAGIC) throw new ImportError(path, null, 'not a GeoPackage: not an SQLite database');
    let db: Database;
    try {
      db = new sqlite3.Database(path, { readOnly: true });
    } catch (error) {
      throw new ImportError(path, null, `not a GeoPackage: SQLite cannot open it (${(error as Error).message})`);
    }
    const gpkg = new GeoPackage(path, db);
    try {
      if (!gpkg.hasTable('gpkg_contents') || !gpkg.hasTable('gpkg_geometry_columns')) {
        throw new ImportError(path, null, 'not a GeoPackage: no gpkg_contents / gpkg_geometry_columns tables');
      }
    } catch (error) {
      gpkg.close();
      throw error;
    }
    return gpkg;
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  hasTable(name: string): boolean {
    return this.query("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).length > 0;
  }

  /** Every feature table, with its geometry column, srs and columns. */
  featureTables(): FeatureTable[] {
    const rows = this.query(
      `SELECT c.table_name AS name, g.column_name AS geometry_column, g.geometry_type_name AS geometry_type, g.srs_id AS srs_id,
              s.organization AS organization, s.organization_coordsys_id AS coordsys_id
         FROM gpkg_contents c
         JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
         LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
        WHERE c.data_type = 'features'`,
    );
    return rows.map((row) => {
      const name = String(row['name']);
      const info = this.query(`PRAGMA table_info(${quote(name)})`);
      const primary = info.find((column) => column['pk'] === 1 && String(column['type']).toUpperCase() === 'INTEGER');
      if (primary === undefined) throw new ImportError(this.path, `table ${name}`, 'has no INTEGER PRIMARY KEY, which a GeoPackage feature table must have');
      const organization = row['organization'] === null ? 'srs_id' : String(row['organization']).toUpperCase();
      const coordsys = row['coordsys_id'] === null ? row['srs_id'] : row['coordsys_id'];
      return {
        name,
        geometryColumn: String(row['geometry_column']),
        geometryType: String(row['geometry_type']).toUpperCase(),
        srsId: Number(row['srs_id']),
        srs: `${organization}:${String(coordsys)}`,
        primaryKey: String(primary['name']),
        columns: new Map(info.map((column) => [String(column['name']).toLowerCase(), String(column['name'])])),
      };
    });
  }

  /** The one feature table with every one of `columns`; an ImportError naming what was found otherwise. */
  findTable(product: string, columns: string[]): FeatureTable {
    const tables = this.featureTables();
    const matching = tables.filter((table) => columns.every((column) => table.columns.has(column)));
    if (matching.length === 1) return matching[0] as FeatureTable;
    const found = tables.map((table) => `${table.name} (${[...table.columns.values()].join(', ')})`).join('; ') || 'none';
    if (matching.length === 0) {
      throw new ImportError(this.path, null, `not ${product}: no feature table has the column(s) ${columns.join(', ')}; feature tables found: ${found}`);
    }
    throw new ImportError(this.path, null, `several feature tables have the column(s) ${columns.join(', ')}: ${matching.map((table) => table.name).join(', ')}`);
  }

  /** Refuses a table whose geometry is not in the expected srs. */
  requireSrs(table: FeatureTable, srs: string): void {
    if (table.srs !== srs) throw new ImportError(this.path, `table ${table.name}`, `unexpected srs ${table.srs} (srs_id ${table.srsId}); expected ${srs}`);
  }

  /** Highest primary key, the denominator for progress (0 for an empty table). */
  maxPrimaryKey(table: FeatureTable): number {
    const row = this.query(`SELECT max(${quote(table.primaryKey)}) AS top FROM ${quote(table.name)}`)[0];
    return Number(row?.['top'] ?? 0);
  }

  /**
   * Rows in primary-key order after `afterKey`, a page at a time, as `{ pk, …columns }`. Keyset
   * paging keeps each query short and gives a resume point (the last key) at every row.
   */
  *rowsAfter(table: FeatureTable, columns: string[], afterKey: number, pageSize = 4096): Generator<Row> {
    const statement = this.db.prepare(
      `SELECT ${quote(table.primaryKey)} AS pk, ${columns.map(quote).join(', ')} FROM ${quote(table.name)} WHERE ${quote(table.primaryKey)} > ? ORDER BY ${quote(table.primaryKey)} LIMIT ?`,
    );
    try {
      let last = afterKey;
      for (;;) {
        const rows = statement.all([last, pageSize]) as Row[];
        for (const row of rows) yield row;
        if (rows.length < pageSize) return;
        last = Number((rows[rows.length - 1] as Row)['pk']);
      }
    } finally {
      statement.finalize();
    }
  }

  /** Rows with the given primary keys, in key order. */
  *rowsByKey(table: FeatureTable, columns: string[], keys: number[]): Generator<Row> {
    const sorted = [...keys].sort((a, b) => a - b);
    const pageSize = 500;
    for (let i = 0; i < sorted.length; i += pageSize) {
      const page = sorted.slice(i, i + pageSize);
      const rows = this.query(
        `SELECT ${quote(table.primaryKey)} AS pk, ${columns.map(quote).join(', ')} FROM ${quote(table.name)} WHERE ${quote(table.primaryKey)} IN (${page.map(() => '?').join(',')}) ORDER BY ${quote(table.primaryKey)}`,
        page,
      );
      yield* rows;
    }
  }

  /**
   * Primary keys whose index box meets `box`, from the table's R*Tree (GeoPackage extension
   * gpkg_rtree_index), or null if the table has none.
   */
  searchSpatialIndex(table: FeatureTable, box: Box): number[] | null {
    const nodeTable = `rtree_${table.name}_${table.geometryColumn}_node`;
    if (!this.hasTable(nodeTable)) return null;
    const statement = this.db.prepare(`SELECT data FROM ${quote(nodeTable)} WHERE nodeno = ?`);
    try {
      return searchRtree((nodeno) => {
        const data = statement.get([nodeno])?.['data'];
        if (!(data instanceof Uint8Array)) throw new ImportError(this.path, `table ${nodeTable}`, `spatial index node ${nodeno} is missing`);
        return data;
      }, box);
    } catch (error) {
      if (error instanceof RtreeError) throw new ImportError(this.path, `table ${nodeTable}`, `spatial index is corrupt: ${error.message}`);
      throw error;
    } finally {
      statement.finalize();
    }
  }

  /** Decodes a geometry blob, turning a WkbError into an ImportError that names the feature. */
  geometry(table: FeatureTable, row: Row, label: string): GeoPackageGeometry {
    const blob = row[table.geometryColumn];
    const where = `table ${table.name} feature ${label}`;
    if (!(blob instanceof Uint8Array)) throw new ImportError(this.path, where, `bad geometry blob: ${blob === null ? 'NULL' : typeof blob}`);
    let parsed: GeoPackageGeometry;
    try {
      parsed = readGeoPackageGeometry(blob);
    } catch (error) {
      if (error instanceof WkbError) throw new ImportError(this.path, where, `bad geometry blob: ${error.message}`);
      throw error;
    }
    if (parsed.srsId !== table.srsId) throw new ImportError(this.path, where, `geometry srs_id ${parsed.srsId} differs from the column's ${table.srsId}`);
    return parsed;
  }

  private query(sql: string, values?: SQLiteValue[]): Row[] {
    try {
      return this.db.all(sql, values) as Row[];
    } catch (error) {
      throw new ImportError(this.path, null, `SQLite: ${(error as Error).message}`);
    }
  }
}

export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** A malformed R*Tree node. */
export class RtreeError extends Error {
  override readonly name = 'RtreeError';
}

/** Bytes per cell of a 2-D R*Tree: 64-bit id, then min/max x and y as 32-bit floats. */
const CELL_BYTES = 8 + 4 * 4;

/**
 * Walks an SQLite R*Tree (2-D, 32-bit float boxes) from its root, node 1, and returns the ids of
 * leaf cells whose box meets `box`. Node layout (sqlite/ext/rtree/rtree.c, big-endian): u16 depth
 * of the tree (meaningful in the root only), u16 cell count, then cells of [i64 id, f32 minX,
 * f32 maxX, f32 minY, f32 maxY]; an id is a rowid in a leaf and a child node number above.
 * SQLite rounds boxes outwards to float32, so the test never misses a feature.
 */
export function searchRtree(readNode: (nodeno: number) => Uint8Array, box: Box): number[] {
  const [minX, minY, maxX, maxY] = box;
  const ids: number[] = [];
  const root = readNode(1);
  if (root.length < 4) throw new RtreeError(`root node is ${root.length} bytes`);
  const depth = new DataView(root.buffer, root.byteOffset, root.byteLength).getUint16(0);
  if (depth > 40) throw new RtreeError(`root says the tree is ${depth} levels deep`);
  const visit = (node: Uint8Array, nodeno: number, level: number) => {
    const view = new DataView(node.buffer, node.byteOffset, node.byteLength);
    const count = view.getUint16(2);
    if (4 + count * CELL_BYTES > node.length) throw new RtreeError(`node ${nodeno} says ${count} cells but has ${node.length} bytes`);
    for (let cell = 0, at = 4; cell < count; cell++, at += CELL_BYTES) {
      if (view.getFloat32(at + 8) > maxX || view.getFloat32(at + 12) < minX || view.getFloat32(at + 16) > maxY || view.getFloat32(at + 20) < minY) continue;
      const id = view.getUint32(at) * 2 ** 32 + view.getUint32(at + 4);
      if (level === 0) ids.push(id);
      else visit(readNode(id), id, level - 1);
    }
  };
  visit(root, 1, depth);
  return ids;
}
