import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLinks, importStreetNames, importUprn, importUsrn, importWards, type ImportContext } from '../../cli/import/importGeography.js';
import { seedDemoGeography } from '../../db/demoGeography.js';
import { DevicesRepository } from '../../db/devicesRepository.js';
import { GeographyMetaRepository } from '../../db/geographyMetaRepository.js';
import { loadGeographyData } from '../../db/geographyStore.js';
import { PropertiesRepository } from '../../db/propertiesRepository.js';
import { generateDemoArea } from '../../geo/demoArea.js';
import { DEFAULT_JOIN_DISTANCES } from '../../geo/geographyIndex.js';
import { ImportError } from '../../geo/import/importError.js';
import { readWardsGeoJson } from '../../geo/import/wardsGeoJson.js';
import { naiveWardAt } from '../../geo/naiveJoins.js';
import { startTestDatabase, tempDir, type TestDatabase } from '../support/database.js';
import { fixture, sharedDataFile, TRAFFORD_WARDS } from '../support/sharedData.js';

/**
 * The import use cases on the real embedded TimescaleDB, from the real Trafford wards and fixtures
 * in the OS formats: order of imports, idempotence, all-or-nothing swaps, device re-joins.
 */

describe('importing a council area', () => {
  let database: TestDatabase;
  let ctx: ImportContext;
  let scratch: string;
  const wardsFile = sharedDataFile(TRAFFORD_WARDS);

  beforeAll(async () => {
    database = await startTestDatabase();
    scratch = await tempDir('import');
    ctx = { db: database.pool, distances: DEFAULT_JOIN_DISTANCES, progress: () => undefined, force: false };
    // Start where a council starts: the demo borough, with a device that stands in Trafford
    // (Altrincham, beside Stamford New Road) and one in the demo.
    await seedDemoGeography(database.pool, generateDemoArea(), DEFAULT_JOIN_DISTANCES);
    const nowhere = { wardCode: null, usrn: null, streetDistanceM: null, uprn: null, uprnDistanceM: null };
    await new DevicesRepository(database.pool).upsertMany([
      { id: 'aq-alt', name: 'Altrincham monitor', kind: 'air_quality', lon: -2.3497, lat: 53.3876, expectedIntervalS: 60, place: nowhere },
      { id: 'aq-demo', name: 'Demoford monitor', kind: 'air_quality', lon: -1.5, lat: 52.5, expectedIntervalS: 60, place: nowhere },
    ]);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('refuses properties and streets before there are real wards to keep them in', async () => {
    await expect(importUprn(ctx, fixture('osopenuprn.csv'))).rejects.toMatchObject({ code: 'import.wards_required' });
    await expect(importUsrn(ctx, fixture('osopenusrn.gpkg'))).rejects.toMatchObject({ code: 'import.wards_required' });
  });

  it('imports the Trafford wards over the demo, which goes entirely', async () => {
    const summary = await importWards(ctx, wardsFile, { codeProperty: 'area_code', nameProperty: 'area_name', name: 'Trafford' });
    expect(summary).toMatchObject({ unchanged: false, rowsKept: 21, change: { wards: 21, streets: 0, properties: 0, devicesRejoined: 2 } });
    const meta = await new GeographyMetaRepository(database.pool).get();
    expect(meta).toMatchObject({ name: 'Trafford', synthetic: false, notice: null });
    expect(meta?.attribution).toContain('Contains National Statistics data © Crown copyright and database right');
    const [alt, demo] = await new DevicesRepository(database.pool).list();
    // The device's ward by the naive oracle over the same file.
    const { wards } = await readWardsGeoJson(wardsFile, { codeProperty: 'area_code', nameProperty: 'area_name' });
    const expected = naiveWardAt(wards, -2.3497, 53.3876);
    expect(expected).not.toBeNull();
    expect(alt?.location).toMatchObject({ wardCode: expected?.code, wardName: expected?.name, usrn: null, uprn: null });
    expect(demo?.location.wardCode).toBeNull();
  });

  it('does nothing when the same file is imported again, unless forced', async () => {
    const version = await new GeographyMetaRepository(database.pool).version();
    const again = await importWards(ctx, wardsFile, { codeProperty: 'area_code', nameProperty: 'area_name', name: 'Trafford' });
    expect(again).toMatchObject({ unchanged: true, change: null, rowsKept: 21 });
    expect(await new GeographyMetaRepository(database.pool).version()).toBe(version);
    const forced = await importWards({ ...ctx, force: true }, wardsFile, { codeProperty: 'area_code', nameProperty: 'area_name', name: 'Trafford' });
    expect(forced.change?.version).toBe(version + 1);
  });

  it('keeps the previous wards when a new file is bad, and names the fault', async () => {
    const before = await loadGeographyData(database.pool);
    const bad = `${scratch}/bad-wards.geojson`;
    const good = JSON.parse(await (await import('node:fs/promises')).readFile(wardsFile, 'utf8')) as { features: { geometry: { coordinates: unknown[] } }[] };
    (good.features[3] as { geometry: { coordinates: unknown[] } }).geometry.coordinates = [[[-2.3, 53.4], [-2.2, 53.4]]];
    await writeFile(bad, JSON.stringify(good));
    const failure = await importWards(ctx, bad, { codeProperty: 'area_code', nameProperty: 'area_name' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportError);
    expect((failure as ImportError).message).toMatch(/bad-wards\.geojson: feature 4 \(E05\d{6}\)/);
    expect(await loadGeographyData(database.pool)).toEqual(before);
  });

  it('imports the streets touching the wards, their names, the properties inside and their links', async () => {
    const streets = await importUsrn(ctx, fixture('osopenusrn.gpkg'));
    expect(streets.rowsKept).toBeGreaterThan(0);
    const data = await loadGeographyData(database.pool);
    const { wards } = await readWardsGeoJson(wardsFile, { codeProperty: 'area_code', nameProperty: 'area_name' });
    // Every kept street has a vertex in a ward (oracle: the naive scan); London and Edinburgh are gone.
    for (const street of data?.streets ?? []) {
      const lines = street.geometry.type === 'LineString' ? [street.geometry.coordinates] : street.geometry.coordinates;
      expect(lines.some((line) => line.some(([lon, lat]) => naiveWardAt(wards, lon as number, lat as number) !== null)), String(street.usrn)).toBe(true);
    }
    const usrns = data?.streets.map((street) => street.usrn) ?? [];
    expect(usrns).toContain(12900001);
    expect(usrns).not.toContain(20000001);
    expect(usrns).not.toContain(90600001);

    await importStreetNames(ctx, fixture('street-names.csv'));
    const properties = await importUprn(ctx, fixture('osopenuprn.csv'));
    expect(properties).toMatchObject({ rowsScanned: 12, rowsKept: 6, resumed: false });
    expect(Array.from((await new PropertiesRepository(database.pool).points()).uprns).sort()).toEqual(
      [10090012345, 10090012346, 100011780001, 100011780002, 100011780003, 100011780004].sort(),
    );
    const links = await importLinks(ctx, fixture('linked-identifiers.csv'));
    expect(links.rowsKept).toBeGreaterThan(0);

    const after = await loadGeographyData(database.pool);
    expect(after?.meta.attribution).toContain('Contains OS data © Crown copyright and database right');
    const stamford = after?.streets.find((street) => street.usrn === 12900001);
    expect(stamford).toMatchObject({ name: 'STAMFORD NEW ROAD', streetType: 'Designated Street Name', uprnCount: 1 });
    // The Altrincham device now has its street and its property.
    const alt = await new DevicesRepository(database.pool).get('aq-alt');
    expect(alt?.location).toMatchObject({ usrn: 12900001, streetName: 'STAMFORD NEW ROAD', uprn: 10090012345 });
    expect(alt?.location.uprnDistanceM).toBeLessThan(20);
  });

  it('refuses a file with nothing inside the wards rather than emptying the table', async () => {
    const before = await new PropertiesRepository(database.pool).points();
    const london = `${scratch}/london-uprn.csv`;
    await writeFile(london, '\uFEFFUPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE\r\n200003456789,530043.19,180358.21,51.5072000,-0.1276000\r\n');
    await expect(importUprn(ctx, london)).rejects.toMatchObject({ code: 'import.nothing_in_area' });
    expect(await new PropertiesRepository(database.pool).points()).toEqual(before);
  });

  it('refuses a file whose header is wrong, leaving the properties as they were', async () => {
    const before = await new PropertiesRepository(database.pool).points();
    const bad = `${scratch}/bad-uprn.csv`;
    await writeFile(bad, 'UPRN,X,Y,LAT,LON\r\n1,2,3,4,5\r\n');
    await expect(importUprn(ctx, bad)).rejects.toThrow(/bad-uprn\.csv.*header/i);
    expect(await new PropertiesRepository(database.pool).points()).toEqual(before);
  });
});
