import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from './importError.js';
import { collect, fixture, tempDir } from './testSupport.js';
import { scanUprnCsv, type UprnBatch } from './uprnCsv.js';
import { scanUprnGeoPackage, type ScanUprnGeoPackageOptions } from './uprnGeoPackage.js';

const all = () => true;
const temp = tempDir();
afterAll(() => temp.remove());

function rowsOf(batches: UprnBatch[]): [number, number, number][] {
  return batches.flatMap((batch) => Array.from(batch.uprns, (uprn, i) => [uprn, batch.lons[i], batch.lats[i]] as [number, number, number]));
}

async function failure(path: string, options: Partial<ScanUprnGeoPackageOptions> = {}): Promise<ImportError> {
  const error = await collect(scanUprnGeoPackage(path, { keep: all, ...options })).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

// Both GeoPackages were made from osopenuprn.csv (fixtures/README.md), so the CSV reader is the reference.
const fromCsv = async () => rowsOf(await collect(scanUprnCsv(fixture('osopenuprn.csv'), { keep: all })));

describe('scanUprnGeoPackage', () => {
  it('reads uprn with the latitude/longitude columns, as the CSV edition does', async () => {
    const batches = await collect(scanUprnGeoPackage(fixture('osopenuprn.gpkg'), { keep: all }));
    expect(rowsOf(batches)).toEqual(await fromCsv());
    expect(batches.at(-1)).toMatchObject({ count: 12, rowsScanned: 12, endOffset: 12, endLine: 12 });
  });

  it('reprojects the point geometry when there are no latitude/longitude columns (any column case)', async () => {
    const rows = rowsOf(await collect(scanUprnGeoPackage(fixture('osopenuprn-geometry-only.gpkg'), { keep: all })));
    const reference = await fromCsv();
    expect(rows.map(([uprn]) => uprn)).toEqual(reference.map(([uprn]) => uprn));
    rows.forEach(([, lon, lat], i) => {
      // X/Y in the fixture were made with the same Helmert transformation, to the centimetre.
      expect(lon).toBeCloseTo((reference[i] as number[])[1] as number, 6);
      expect(lat).toBeCloseTo((reference[i] as number[])[2] as number, 6);
    });
  });

  it('keeps only what keep() accepts, counting every row', async () => {
    const batches = await collect(scanUprnGeoPackage(fixture('osopenuprn.gpkg'), { keep: (lon) => lon > -2.3 }));
    expect(rowsOf(batches).map(([uprn]) => uprn)).toEqual([100011780003, 100012345678, 200003456789]);
    expect(batches.reduce((sum, batch) => sum + batch.rowsScanned, 0)).toBe(12);
  });

  it('resumes after any batch from its endOffset (a row id)', async () => {
    const reference = await fromCsv();
    for (const file of ['osopenuprn.gpkg', 'osopenuprn-geometry-only.gpkg']) {
      const batches = await collect(scanUprnGeoPackage(fixture(file), { keep: all, batchSize: 5 }));
      expect(batches.map((batch) => batch.count)).toEqual([5, 5, 2]);
      for (let k = 0; k < batches.length; k++) {
        const resumed = rowsOf(await collect(scanUprnGeoPackage(fixture(file), { keep: all, fromRowId: (batches[k] as UprnBatch).endOffset })));
        expect(resumed.map(([uprn]) => uprn)).toEqual(reference.slice((k + 1) * 5).map(([uprn]) => uprn));
      }
    }
  });

  it('reports progress in row ids', async () => {
    const calls: [number, number][] = [];
    await collect(scanUprnGeoPackage(fixture('osopenuprn.gpkg'), { keep: all, onProgress: (done, total) => calls.push([done, total]) }));
    expect(calls.at(-1)).toEqual([12, 12]);
  });

  it('refuses a file without a uprn column, naming what it found', async () => {
    const error = await failure(fixture('osopenusrn.gpkg'));
    expect(error.problem).toMatch(/^not OS Open UPRN: no feature table has the column\(s\) uprn; feature tables found: openUSRN \(fid, geometry, usrn, street_type\)/);
  });

  it('refuses a file that is not a GeoPackage', async () => {
    expect((await failure(fixture('osopenuprn.csv'))).problem).toBe('not a GeoPackage: not an SQLite database');
    expect((await failure(fixture('not-a-geopackage.sqlite'))).problem).toMatch(/^not a GeoPackage/);
  });

  it('names the feature with a bad value', async () => {
    const { copyFileSync } = await import('node:fs');
    const { default: sqlite3 } = await import('node-sqlite3-wasm');
    const path = temp.path('bad-latitude.gpkg');
    copyFileSync(fixture('osopenuprn.gpkg'), path);
    const db = new sqlite3.Database(path);
    // GDAL's R-tree triggers call ST_* functions plain SQLite lacks; the copy does not need them.
    for (const { name } of db.all("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%'")) db.exec(`DROP TRIGGER "${String(name)}"`);
    db.run('UPDATE osopenuprn_address SET latitude = -2.5, longitude = 53.4 WHERE fid = 4');
    db.close();
    const error = await failure(path);
    expect(error.where).toBe('table osopenuprn_address feature 4 (UPRN 10090012346)');
    expect(error.problem).toBe('latitude -2.5 is not a latitude in Great Britain (49…61)');
  });
});
