import { copyFileSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { bngToWgs84 } from '../projection.js';
import { readGeoPackageHeader } from '../wkb.js';
import { GeoPackage, RtreeError, searchRtree, type Box } from './geoPackage.js';
import { ImportError } from './importError.js';
import { collect, fixture, tempDir } from './testSupport.js';
import { readUsrnGeoPackage, type ReadUsrnOptions, type UsrnStreet } from './usrnGeoPackage.js';

const TRAFFORD: ReadUsrnOptions['bbox'] = [-2.4785, 53.3574, -2.253, 53.4804];
const all = () => true;

/** The source the GeoPackages were made from (see fixtures/README.md). */
const SOURCE = JSON.parse(readFileSync(fixture('source/osopenusrn.geojson'), 'utf8')) as {
  features: { properties: { usrn: number; street_type: string | null }; geometry: { coordinates: number[][][] } }[];
};

const temp = tempDir();
afterAll(() => temp.remove());

async function streets(file: string, options: Partial<ReadUsrnOptions> = {}): Promise<UsrnStreet[]> {
  const batches = await collect(readUsrnGeoPackage(fixture(file), { bbox: TRAFFORD, keep: all, ...options }));
  return batches.flat().sort((a, b) => a.usrn - b.usrn);
}

async function failure(path: string, options: Partial<ReadUsrnOptions> = {}): Promise<ImportError> {
  const error = await collect(readUsrnGeoPackage(path, { bbox: TRAFFORD, keep: all, ...options })).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

/** The source streets whose WGS84 bbox meets Trafford's, worked out independently of the reader. */
function expectedInTrafford(): number[] {
  return SOURCE.features
    .filter(({ geometry }) => {
      const points = geometry.coordinates.flat().map(([x, y]) => bngToWgs84(x as number, y as number));
      const lons = points.map(([lon]) => lon);
      const lats = points.map(([, lat]) => lat);
      return Math.min(...lons) <= TRAFFORD[2] && Math.max(...lons) >= TRAFFORD[0] && Math.min(...lats) <= TRAFFORD[3] && Math.max(...lats) >= TRAFFORD[1];
    })
    .map(({ properties }) => properties.usrn)
    .sort((a, b) => a - b);
}

describe('readUsrnGeoPackage', () => {
  it('reads the streets meeting the bbox through the R-tree, in WGS84 at 1e-7°', async () => {
    const found = await streets('osopenusrn.gpkg');
    expect(found.map((street) => street.usrn)).toEqual(expectedInTrafford());
    expect(found).toHaveLength(12);
    const sale = found.find((street) => street.usrn === 12900002);
    expect(sale?.streetType).toBe('Designated Street Name');
    expect(sale?.geometry.type).toBe('MultiLineString');
    expect(sale?.geometry.coordinates).toHaveLength(2);
    // Made from [-2.3240, 53.4240] → grid → back: proj4 round trip is far inside a centimetre.
    const [lon, lat] = sale?.geometry.coordinates[0]?.[0] as [number, number];
    expect(lon).toBeCloseTo(-2.324, 6);
    expect(lat).toBeCloseTo(53.424, 6);
    expect(Math.round(lon * 1e7) / 1e7).toBe(lon);
    expect(found.find((street) => street.usrn === 12900006)?.streetType).toBeNull();
  });

  it('gives the same streets by a scan when the file has no R-tree', async () => {
    expect(await streets('osopenusrn-no-index.gpkg')).toEqual(await streets('osopenusrn.gpkg'));
  });

  it('passes each street to keep()', async () => {
    const kept = await streets('osopenusrn.gpkg', { keep: (street) => street.streetType === 'Numbered Street' });
    expect(kept.map((street) => street.usrn)).toEqual([12900004]);
  });

  it('finds a street elsewhere with a small bbox, both ways', async () => {
    const edinburgh: ReadUsrnOptions['bbox'] = [-3.2, 55.95, -3.18, 55.96];
    for (const file of ['osopenusrn.gpkg', 'osopenusrn-no-index.gpkg']) {
      expect((await streets(file, { bbox: edinburgh })).map((street) => street.usrn)).toEqual([90600001]);
    }
  });

  it('reports progress to the end', async () => {
    const calls: [number, number][] = [];
    await streets('osopenusrn.gpkg', { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.at(-1)).toEqual([12, 12]);
  });

  it.each([
    ['osopenusrn-wgs84.gpkg', 'table openUSRN', 'unexpected srs EPSG:4326 (srs_id 4326); expected EPSG:27700'],
    ['osopenusrn-points.gpkg', 'table openUSRN', 'wrong geometry type POINT; expected MULTILINESTRING'],
    ['osopenusrn-bad-blob.gpkg', 'table openUSRN feature 3 (USRN 12900003)', 'bad geometry blob: WKB says 3 points, more than the remaining 38 bytes can hold'],
    ['not-a-geopackage.sqlite', null, 'not a GeoPackage: no gpkg_contents / gpkg_geometry_columns tables'],
    ['osopenuprn.csv', null, 'not a GeoPackage: not an SQLite database'],
    ['missing.gpkg', null, 'file not found'],
  ])('refuses %s', async (file, where, problem) => {
    const error = await failure(fixture(file));
    expect(error.where).toBe(where);
    expect(error.problem).toBe(problem);
  });

  it('names the tables it found when none has usrn and street_type', async () => {
    const error = await failure(fixture('osopenuprn.gpkg'));
    expect(error.problem).toMatch(/^not OS Open USRN: no feature table has the column\(s\) usrn, street_type; feature tables found: osopenuprn_address \(fid, geometry, uprn,/);
  });

  it('refuses a USRN that appears twice', async () => {
    const path = temp.path('twice.gpkg');
    copyFileSync(fixture('osopenusrn-no-index.gpkg'), path);
    const { default: sqlite3 } = await import('node-sqlite3-wasm');
    const db = new sqlite3.Database(path);
    db.run('UPDATE openUSRN SET usrn = 12900001 WHERE usrn = 12900005');
    db.close();
    const error = await failure(path);
    expect(error.where).toBe('table openUSRN feature 5');
    expect(error.problem).toBe('USRN 12900001 appears again (first in feature 1)');
  });

  it('checks the bbox', async () => {
    await expect(collect(readUsrnGeoPackage(fixture('osopenusrn.gpkg'), { bbox: [-2.2, 53.3, -2.4, 53.4], keep: all }))).rejects.toThrow(RangeError);
  });
});

describe('searchRtree', () => {
  it('agrees with a brute-force envelope test on the two-level index GDAL wrote', async () => {
    const gpkg = await GeoPackage.open(fixture('osopenusrn.gpkg'));
    try {
      const [table] = gpkg.featureTables();
      const envelopes = [...gpkg.rowsAfter(table!, ['geometry'], 0)].map((row) => ({
        pk: Number(row['pk']),
        envelope: readGeoPackageHeader(row['geometry'] as Uint8Array).envelope as [number, number, number, number],
      }));
      for (const box of [
        [370_000, 385_000, 385_000, 400_000],
        [325_000, 673_000, 326_000, 675_000],
        [0, 0, 700_000, 1_300_000],
        [600_000, 100_000, 601_000, 101_000],
      ] as Box[]) {
        const expected = envelopes.filter(({ envelope: [minX, maxX, minY, maxY] }) => minX <= box[2] && maxX >= box[0] && minY <= box[3] && maxY >= box[1]);
        expect(gpkg.searchSpatialIndex(table!, box)?.sort((a, b) => a - b)).toEqual(expected.map(({ pk }) => pk));
      }
    } finally {
      gpkg.close();
    }
  });

  /** A node in SQLite's layout: u16 depth, u16 count, cells of i64 id and four f32, big-endian. */
  function node(depth: number, cells: [id: number, minX: number, maxX: number, minY: number, maxY: number][]): Uint8Array {
    const view = new DataView(new ArrayBuffer(4 + cells.length * 24));
    view.setUint16(0, depth);
    view.setUint16(2, cells.length);
    cells.forEach(([id, ...box], i) => {
      view.setBigInt64(4 + i * 24, BigInt(id));
      box.forEach((value, k) => view.setFloat32(4 + i * 24 + 8 + k * 4, value));
    });
    return new Uint8Array(view.buffer);
  }

  it('descends only into children whose box meets the query', () => {
    // Root (depth 1) → leaves 2 and 3; leaf ids are rowids.
    const nodes = new Map<number, Uint8Array>([
      [1, node(1, [[2, 0, 10, 0, 10], [3, 100, 110, 100, 110]])],
      [2, node(0, [[4, 0, 5, 0, 5], [5, 6, 10, 6, 10]])],
      [3, node(0, [[6, 100, 101, 100, 101]])],
    ]);
    const read: number[] = [];
    const ids = searchRtree((nodeno) => {
      read.push(nodeno);
      return nodes.get(nodeno) as Uint8Array;
    }, [4, 4, 7, 7]);
    expect(ids).toEqual([4, 5]);
    expect(read).toEqual([1, 2]);
    expect(searchRtree((nodeno) => nodes.get(nodeno) as Uint8Array, [100.5, 100.5, 100.6, 100.6])).toEqual([6]);
  });

  it('refuses a node whose count overruns it', () => {
    const bad = node(0, [[1, 0, 1, 0, 1]]).slice(0, 20);
    expect(() => searchRtree(() => bad, [0, 0, 1, 1])).toThrow(RtreeError);
  });
});
