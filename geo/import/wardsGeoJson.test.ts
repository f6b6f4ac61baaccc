import type { MultiPolygon, Polygon, Position } from 'geojson';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { wgs84ToBng } from '../projection.js';
import { ImportError } from './importError.js';
import { sharedDataFile, TRAFFORD_WARDS } from '../../test/support/sharedData.js';
import { fixture, tempDir } from './testSupport.js';
import { readWardsGeoJson, type WardsGeoJsonOptions } from './wardsGeoJson.js';

/** The real Trafford file from shared/ (21 wards, area_code/area_name, CRS84). */
const TRAFFORD = sharedDataFile(TRAFFORD_WARDS);
const TRAFFORD_OPTIONS: WardsGeoJsonOptions = { codeProperty: 'area_code', nameProperty: 'area_name' };

const temp = tempDir();
afterAll(() => temp.remove());

async function failure(path: string, options?: WardsGeoJsonOptions): Promise<ImportError> {
  const error = await readWardsGeoJson(path, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

const allPositions = (geometry: Polygon | MultiPolygon): Position[] =>
  geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2);

/** A copy of a fixture with its parsed JSON changed. */
function variant(name: string, change: (json: { crs?: unknown; features: { properties: Record<string, unknown>; geometry: unknown }[] }) => void): string {
  const json = JSON.parse(readFileSync(fixture(name), 'utf8'));
  change(json);
  return temp.write(`${name}-${Math.random().toString(36).slice(2)}.geojson`, JSON.stringify(json));
}

describe('readWardsGeoJson on the real Trafford file', () => {
  it('is there', () => {
    expect(existsSync(TRAFFORD), `${TRAFFORD} is missing: the Trafford ward file in shared/data is part of these tests`).toBe(true);
  });

  it('reads its 21 wards with the property mapping', async () => {
    const { wards, detected } = await readWardsGeoJson(TRAFFORD, TRAFFORD_OPTIONS);
    expect(detected).toEqual({ codeProperty: 'area_code', nameProperty: 'area_name', crs: 'EPSG:4326' });
    expect(wards).toHaveLength(21);
    expect(wards.map((ward) => ward.code)).toEqual(Array.from({ length: 21 }, (_, i) => `E050152${39 + i}`));
    expect(wards[0]?.name).toBe('Altrincham');
    expect(wards.find((ward) => ward.code === 'E05015247')?.name).toBe('Gorse Hill & Cornbrook');
    const positions = wards.flatMap((ward) => allPositions(ward.geometry));
    expect(positions.length).toBeGreaterThan(1000);
    const unrounded = positions.filter(([lon, lat]) => Math.round((lon as number) * 1e7) / 1e7 !== lon || Math.round((lat as number) * 1e7) / 1e7 !== lat);
    expect(unrounded).toEqual([]);
    const outside = positions.filter(([lon, lat]) => !((lon as number) > -2.48 && (lon as number) < -2.25 && (lat as number) > 53.35 && (lat as number) < 53.49));
    expect(outside).toEqual([]);
  });

  it('lists the properties it found when it cannot detect the ward code', async () => {
    const error = await failure(TRAFFORD);
    expect(error.where).toBeNull();
    expect(error.problem).toBe('no ward code property like WDyyCD: pass codeProperty; properties found: area_code, area_name, lon, lat, area, area_units');
  });

  it('says clearly that it cannot select a local authority', async () => {
    const error = await failure(TRAFFORD, { ...TRAFFORD_OPTIONS, localAuthority: 'E08000009' });
    expect(error.problem).toMatch(/^no local-authority property like LADyyCD: pass localAuthorityProperty; properties found: area_code, .*; import a file already cut to the area/);
  });
});

describe('readWardsGeoJson', () => {
  it('detects WDyyCD/WDyyNM (not the Welsh name) and reads Polygon and MultiPolygon with holes', async () => {
    const { wards, detected } = await readWardsGeoJson(fixture('wards-wd23.geojson'));
    expect(detected).toEqual({ codeProperty: 'WD23CD', nameProperty: 'WD23NM', crs: 'EPSG:4326' });
    expect(wards.map(({ code, name, geometry }) => [code, name, geometry.type])).toEqual([
      ['E05015239', 'Altrincham', 'Polygon'],
      ['E05015253', 'Old Trafford', 'MultiPolygon'],
      ['E05011356', 'Deansgate', 'Polygon'],
    ]);
    expect((wards[1]?.geometry as MultiPolygon).coordinates[0]).toHaveLength(2);
  });

  it('keeps one local authority by its LADyyCD', async () => {
    const trafford = await readWardsGeoJson(fixture('wards-wd23.geojson'), { localAuthority: 'E08000009' });
    expect(trafford.wards.map((ward) => ward.code)).toEqual(['E05015239', 'E05015253']);
    const manchester = await readWardsGeoJson(fixture('wards-wd23.geojson'), { localAuthority: 'E08000003', localAuthorityProperty: 'LAD23CD' });
    expect(manchester.wards.map((ward) => ward.code)).toEqual(['E05011356']);
  });

  it('says when no ward belongs to the local authority', async () => {
    const error = await failure(fixture('wards-wd23.geojson'), { localAuthority: 'E08000099' });
    expect(error.problem).toBe('no feature has LAD23CD = E08000099 (values found include E08000009, E08000003)');
  });

  it('reads lower-case properties and EPSG:27700, reprojected to WGS84 at 1e-7° with Z dropped', async () => {
    const { wards, detected } = await readWardsGeoJson(fixture('wards-27700.geojson'));
    expect(detected).toEqual({ codeProperty: 'wd22cd', nameProperty: 'wd22nm', crs: 'EPSG:27700' });
    const [lon, lat] = (wards[0]?.geometry as Polygon).coordinates[0]?.[0] as [number, number];
    const [x, y] = wgs84ToBng(lon, lat);
    expect(x).toBeCloseTo(378_500, 1);
    expect(y).toBeCloseTo(391_000, 1);
    expect(Math.round(lon * 1e7) / 1e7).toBe(lon);
    expect((wards[1]?.geometry as MultiPolygon).coordinates[0]?.[0]?.[0]).toHaveLength(2);
  });

  it('tells the CRS by magnitude when there is no crs member', async () => {
    const grid = variant('wards-27700.geojson', (json) => delete json.crs);
    expect((await readWardsGeoJson(grid)).detected.crs).toBe('EPSG:27700');
    const degrees = variant('wards-wd23.geojson', (json) => delete json.crs);
    expect((await readWardsGeoJson(degrees)).detected.crs).toBe('EPSG:4326');
    expect((await readWardsGeoJson(degrees, { crs: 'EPSG:4326' })).wards).toHaveLength(3);
  });

  it.each([
    ['EPSG:4326', 'urn:ogc:def:crs:EPSG::4326'],
    ['EPSG:4326', 'EPSG:4326'],
    ['EPSG:27700', 'EPSG:27700'],
    ['EPSG:27700', 'http://www.opengis.net/def/crs/EPSG/0/27700'],
  ])('understands %s written as %s', async (crs, name) => {
    const file = crs === 'EPSG:27700' ? 'wards-27700.geojson' : 'wards-wd23.geojson';
    const path = variant(file, (json) => (json.crs = { type: 'name', properties: { name } }));
    expect((await readWardsGeoJson(path)).detected.crs).toBe(crs);
  });

  it.each<[string, string, (json: Parameters<Parameters<typeof variant>[1]>[0]) => void, string | null, string | RegExp, WardsGeoJsonOptions?]>([
    ['an unclosed ring', 'wards-wd23.geojson', (json) => ((json.features[0]!.geometry as Polygon).coordinates[0]![4] = [-2.36, 53.381]), 'feature 1 (E05015239)', 'ring 1 is not closed: it ends at [-2.36, 53.381], not at its start [-2.36, 53.38]'],
    ['a ring of three positions', 'wards-wd23.geojson', (json) => (json.features[0]!.geometry as Polygon).coordinates[0]!.splice(1, 2), 'feature 1 (E05015239)', 'ring 1 has 3 positions; a closed ring needs at least 4'],
    ['a position that is not a number', 'wards-wd23.geojson', (json) => ((json.features[2]!.geometry as Polygon).coordinates[0]![1] = ['-2.24', 53.47] as unknown as Position), 'feature 3 (E05011356)', 'ring 1 has a bad position ["-2.24",53.47]'],
    ['latitude and longitude swapped', 'wards-wd23.geojson', (json) => ((json.features[2]!.geometry as Polygon).coordinates[0] = [[53.47, -2.26], [53.47, -2.24], [53.485, -2.24], [53.47, -2.26]]), 'feature 3 (E05011356)', /outside Great Britain in EPSG:4326 \(latitude and longitude swapped\?\)/],
    ['a hole in a MultiPolygon left open', 'wards-wd23.geojson', (json) => (json.features[1]!.geometry as MultiPolygon).coordinates[0]![1]!.pop(), 'feature 2 (E05015253)', /^polygon 1 ring 2 has 3 positions/],
    ['a LineString', 'wards-wd23.geojson', (json) => (json.features[0]!.geometry = { type: 'LineString', coordinates: [[-2.3, 53.4], [-2.2, 53.4]] }), 'feature 1 (E05015239)', 'geometry type LineString: wards must be Polygon or MultiPolygon'],
    ['no geometry', 'wards-wd23.geojson', (json) => (json.features[0]!.geometry = null), 'feature 1 (E05015239)', 'no geometry'],
    ['a duplicate code', 'wards-wd23.geojson', (json) => (json.features[2]!.properties['WD23CD'] = 'E05015239'), 'feature 3 (E05015239)', 'duplicate ward code (also feature 1)'],
    ['an empty name', 'wards-wd23.geojson', (json) => (json.features[1]!.properties['WD23NM'] = '  '), 'feature 2 (E05015253)', 'WD23NM is "  ": every ward needs a name'],
    ['a missing code', 'wards-wd23.geojson', (json) => delete json.features[1]!.properties['WD23CD'], 'feature 2', 'WD23CD is null, not a ward code'],
    ['two years of ward codes', 'wards-wd23.geojson', (json) => (json.features[0]!.properties['WD22CD'] = 'E05000820'), null, 'several ward code properties (WD23CD, WD22CD): pass codeProperty to choose one'],
    ['an unknown CRS', 'wards-wd23.geojson', (json) => (json.crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } }), null, 'unsupported CRS urn:ogc:def:crs:EPSG::3857: expected CRS84/EPSG:4326 or EPSG:27700'],
    ['a crs option the file contradicts', 'wards-wd23.geojson', () => undefined, null, 'the file declares EPSG:4326 but the crs option says EPSG:27700', { crs: 'EPSG:27700' }],
    ['a named property that is not there', 'wards-wd23.geojson', () => undefined, null, /^no ward code property "code" \(codeProperty\); properties found: FID, WD23CD,/, { codeProperty: 'code' }],
  ])('refuses %s', async (_, file, change, where, problem, options) => {
    const error = await failure(variant(file, change), options);
    expect(error.where).toBe(where);
    if (typeof problem === 'string') expect(error.problem).toBe(problem);
    else expect(error.problem).toMatch(problem);
  });

  it('refuses what is not a GeoJSON FeatureCollection', async () => {
    expect((await failure(temp.write('broken.geojson', '{"type": "FeatureCollection", "features": ['))).problem).toMatch(/^not JSON: /);
    expect((await failure(temp.write('feature.geojson', '{"type": "Feature", "properties": {}, "geometry": null}'))).problem).toBe('not a GeoJSON FeatureCollection');
    expect((await failure(temp.write('empty.geojson', '{"type": "FeatureCollection", "features": []}'))).problem).toBe('the FeatureCollection has no features');
    expect((await failure(temp.path('missing.geojson'))).problem).toBe('file not found');
  });
});
