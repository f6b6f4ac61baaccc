import type { MultiPolygon, Polygon, Position } from 'geojson';
import { readFile } from 'node:fs/promises';
import { geometryBngToWgs84, mapPositions, roundDegrees } from '../projection.js';
import { fileSize } from './csvLines.js';
import { EASTING_RANGE, inRange, LATITUDE_RANGE, LONGITUDE_RANGE, NORTHING_RANGE } from './greatBritain.js';
import { ImportError } from './importError.js';

/**
 * ONS ward boundaries as GeoJSON, or a re-publisher's copy of them. ONS name the properties by year
 * (WD23CD, WD23NM, sometimes lower case); others relabel them (area_code, area_name), so the
 * properties are detected when they follow the ONS pattern and must be named otherwise. The whole
 * file is parsed at once: ward files are tens of megabytes at most, unlike the address products.
 */

export type WardsCrs = 'EPSG:4326' | 'EPSG:27700';

export interface WardsGeoJsonOptions {
  codeProperty?: string;
  nameProperty?: string;
  /** Overrides detection; must agree with the file's `crs` member if it has one. */
  crs?: WardsCrs;
  /** Keep only the wards of this local authority (e.g. E08000009)… */
  localAuthority?: string;
  /** …found in this property (default: the file's LADyyCD property). */
  localAuthorityProperty?: string;
}

export interface Ward {
  code: string;
  name: string;
  /** WGS84, 1e-7°. */
  geometry: Polygon | MultiPolygon;
}

export interface WardsGeoJson {
  wards: Ward[];
  detected: { codeProperty: string; nameProperty: string; crs: WardsCrs };
}

const WARD_CODE = /^WD\d{2}CD$/i;
const WARD_NAME = /^WD\d{2}NM$/i;
const LAD_CODE = /^LAD\d{2}CD$/i;

export async function readWardsGeoJson(path: string, options: WardsGeoJsonOptions = {}): Promise<WardsGeoJson> {
  await fileSize(path);
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportError(path, null, `not JSON: ${(error as Error).message}`);
  }
  if (!isObject(json) || json['type'] !== 'FeatureCollection' || !Array.isArray(json['features'])) {
    throw new ImportError(path, null, 'not a GeoJSON FeatureCollection');
  }
  const features = json['features'] as unknown[];
  if (features.length === 0) throw new ImportError(path, null, 'the FeatureCollection has no features');
  const found = new Set<string>();
  for (const feature of features) {
    if (isObject(feature) && isObject(feature['properties'])) for (const key of Object.keys(feature['properties'])) found.add(key);
  }
  const listed = () => `properties found: ${[...found].join(', ') || 'none'}`;

  const codeProperty = chooseProperty(path, found, options.codeProperty, WARD_CODE, 'ward code', 'WDyyCD', 'codeProperty', listed);
  const sameYear = codeProperty.replace(/CD$/, 'NM').replace(/cd$/, 'nm');
  const nameProperty =
    options.nameProperty === undefined && WARD_CODE.test(codeProperty) && found.has(sameYear)
      ? sameYear
      : chooseProperty(path, found, options.nameProperty, WARD_NAME, 'ward name', 'WDyyNM', 'nameProperty', listed);
  const crs = chooseCrs(path, json['crs'], options.crs, features);

  let selected = features.map((feature, index) => ({ feature, index }));
  if (options.localAuthority !== undefined) {
    const property = chooseProperty(path, found, options.localAuthorityProperty, LAD_CODE, 'local-authority', 'LADyyCD', 'localAuthorityProperty', () =>
      `${listed()}; import a file already cut to the area, or one with a ward→LAD column`,
    );
    const values = new Set<string>();
    selected = selected.filter(({ feature }) => {
      const value = isObject(feature) && isObject(feature['properties']) ? feature['properties'][property] : undefined;
      if (typeof value === 'string' && values.size < 6) values.add(value);
      return value === options.localAuthority;
    });
    if (selected.length === 0) {
      throw new ImportError(path, null, `no feature has ${property} = ${options.localAuthority} (values found include ${[...values].slice(0, 5).join(', ')})`);
    }
  }

  const wards: Ward[] = [];
  const firstIndex = new Map<string, number>();
  for (const { feature, index } of selected) {
    const ward = readWard(path, feature, index + 1, codeProperty, nameProperty, crs);
    const earlier = firstIndex.get(ward.code);
    if (earlier !== undefined) throw new ImportError(path, `feature ${index + 1} (${ward.code})`, `duplicate ward code (also feature ${earlier})`);
    firstIndex.set(ward.code, index + 1);
    wards.push(ward);
  }
  return { wards, detected: { codeProperty, nameProperty, crs } };
}

/** The named property if it exists, else the one property matching the ONS pattern. */
function chooseProperty(
  path: string,
  found: Set<string>,
  named: string | undefined,
  pattern: RegExp,
  what: string,
  example: string,
  option: string,
  listed: () => string,
): string {
  if (named !== undefined) {
    if (!found.has(named)) throw new ImportError(path, null, `no ${what} property "${named}" (${option}); ${listed()}`);
    return named;
  }
  const matches = [...found].filter((key) => pattern.test(key));
  if (matches.length === 1) return matches[0] as string;
  if (matches.length === 0) throw new ImportError(path, null, `no ${what} property like ${example}: pass ${option}; ${listed()}`);
  throw new ImportError(path, null, `several ${what} properties (${matches.join(', ')}): pass ${option} to choose one`);
}

function chooseCrs(path: string, member: unknown, option: WardsCrs | undefined, features: unknown[]): WardsCrs {
  let declared: WardsCrs | null = null;
  if (member !== undefined && member !== null) {
    const name = isObject(member) && isObject(member['properties']) ? member['properties']['name'] : undefined;
    if (typeof name !== 'string') throw new ImportError(path, null, `the crs member has no properties.name: ${JSON.stringify(member)}`);
    if (/(CRS84|EPSG::?4326|EPSG\/0\/4326)$/i.test(name)) declared = 'EPSG:4326';
    else if (/(EPSG::?27700|EPSG\/0\/27700)$/i.test(name)) declared = 'EPSG:27700';
    else throw new ImportError(path, null, `unsupported CRS ${name}: expected CRS84/EPSG:4326 or EPSG:27700`);
  }
  if (option !== undefined && declared !== null && option !== declared) {
    throw new ImportError(path, null, `the file declares ${declared} but the crs option says ${option}`);
  }
  return option ?? declared ?? guessCrs(features);
}

/** Degrees never exceed 180; grid metres in Great Britain almost always do. */
function guessCrs(features: unknown[]): WardsCrs {
  for (const feature of features) {
    const geometry = isObject(feature) ? feature['geometry'] : null;
    const coordinates = isObject(geometry) ? geometry['coordinates'] : null;
    for (const value of Array.isArray(coordinates) ? (coordinates.flat(3) as unknown[]) : []) {
      if (typeof value === 'number' && Math.abs(value) > 180) return 'EPSG:27700';
    }
  }
  return 'EPSG:4326';
}

function readWard(path: string, feature: unknown, n: number, codeProperty: string, nameProperty: string, crs: WardsCrs): Ward {
  const properties = isObject(feature) && isObject(feature['properties']) ? feature['properties'] : {};
  const code = properties[codeProperty];
  if (typeof code !== 'string' || code.trim() === '') throw new ImportError(path, `feature ${n}`, `${codeProperty} is ${JSON.stringify(code ?? null)}, not a ward code`);
  const where = `feature ${n} (${code.trim()})`;
  const name = properties[nameProperty];
  if (typeof name !== 'string' || name.trim() === '') throw new ImportError(path, where, `${nameProperty} is ${JSON.stringify(name ?? null)}: every ward needs a name`);
  const geometry = isObject(feature) ? feature['geometry'] : null;
  if (!isObject(geometry)) throw new ImportError(path, where, 'no geometry');
  const type = geometry['type'];
  const coordinates = geometry['coordinates'];
  if (type !== 'Polygon' && type !== 'MultiPolygon') throw new ImportError(path, where, `geometry type ${String(type)}: wards must be Polygon or MultiPolygon`);
  const polygons = type === 'Polygon' ? [coordinates] : coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) throw new ImportError(path, where, `${type} has no coordinates`);
  polygons.forEach((polygon, p) => checkPolygon(path, where, polygon, type === 'MultiPolygon' ? `polygon ${p + 1} ` : '', crs));

  const checked = { type, coordinates } as Polygon | MultiPolygon;
  const wgs84 =
    crs === 'EPSG:27700'
      ? geometryBngToWgs84(checked)
      : mapPositions(checked, ([lon, lat]) => [roundDegrees(lon as number), roundDegrees(lat as number)]);
  return { code: code.trim(), name: name.trim(), geometry: wgs84 };
}

function checkPolygon(path: string, where: string, polygon: unknown, label: string, crs: WardsCrs): void {
  if (!Array.isArray(polygon) || polygon.length === 0) throw new ImportError(path, where, `${label}has no rings`);
  const [xRange, yRange] = crs === 'EPSG:27700' ? [EASTING_RANGE, NORTHING_RANGE] : [LONGITUDE_RANGE, LATITUDE_RANGE];
  polygon.forEach((ring: unknown, r) => {
    const what = `${label}ring ${r + 1}`;
    if (!Array.isArray(ring)) throw new ImportError(path, where, `${what} is not an array of positions`);
    if (ring.length < 4) throw new ImportError(path, where, `${what} has ${ring.length} positions; a closed ring needs at least 4`);
    for (const position of ring as unknown[]) {
      if (!Array.isArray(position) || position.length < 2 || !position.every((value) => typeof value === 'number' && Number.isFinite(value))) {
        throw new ImportError(path, where, `${what} has a bad position ${JSON.stringify(position)}`);
      }
      const [x, y] = position as [number, number];
      if (!inRange(x, xRange) || !inRange(y, yRange)) {
        throw new ImportError(path, where, `${what} has position [${x}, ${y}] outside Great Britain in ${crs}${crs === 'EPSG:4326' ? ' (latitude and longitude swapped?)' : ''}`);
      }
    }
    const first = ring[0] as Position;
    const last = ring[ring.length - 1] as Position;
    if (first[0] !== last[0] || first[1] !== last[1]) throw new ImportError(path, where, `${what} is not closed: it ends at [${last.join(', ')}], not at its start [${first.join(', ')}]`);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
