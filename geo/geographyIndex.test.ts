import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../core/random.js';
import { loadTraffordWards } from '../test/support/sharedData.js';
import { countUprnsPerStreet, DEFAULT_JOIN_DISTANCES, GeographyIndex } from './geographyIndex.js';
import { metresPerDegreeLat, metresPerDegreeLon } from './localMetric.js';
import { naiveNearestProperty, naiveNearestStreet, naiveResolve } from './naiveJoins.js';
import { PropertyIndex } from './propertyIndex.js';
import { StreetIndex, type StreetShape } from './streetIndex.js';
import { WardIndex, type WardShape } from './wardIndex.js';

const loadTrafford = loadTraffordWards;

/** A 2 km square of Sale and Stretford: dense enough that most queries have candidates. */
const AREA = { west: -2.34, south: 53.42, east: -2.31, north: 53.438 };
const KX = metresPerDegreeLon(53.43);
const KY = metresPerDegreeLat(53.43);

interface Synthetic {
  streets: StreetShape[];
  properties: { uprns: number[]; lons: number[]; lats: number[] };
}

/** Short wandering streets, and properties a few metres off them; one in ten shares the previous one's position. */
function synthetic(random: Random, streetCount: number, propertyCount: number): Synthetic {
  const streets: StreetShape[] = [];
  for (let n = 0; n < streetCount; n++) {
    let x = AREA.west + random() * (AREA.east - AREA.west);
    let y = AREA.south + random() * (AREA.north - AREA.south);
    let heading = random() * 2 * Math.PI;
    const coordinates = [[x, y]];
    for (let step = 0, steps = 1 + Math.floor(random() * 6); step < steps; step++) {
      heading += (random() - 0.5) * 1.2;
      const length = 15 + random() * 70;
      x += (Math.cos(heading) * length) / KX;
      y += (Math.sin(heading) * length) / KY;
      coordinates.push([x, y]);
    }
    // Some USRNs repeat (a street in pieces), and a few streets are MultiLineStrings.
    const usrn = 24_100_000 + Math.floor(random() * streetCount * 0.9);
    streets.push(
      n % 25 === 0
        ? { usrn, geometry: { type: 'MultiLineString', coordinates: [coordinates, coordinates.map(([cx, cy]) => [(cx as number) + 200 / KX, cy as number])] } }
        : { usrn, geometry: { type: 'LineString', coordinates } },
    );
  }
  const properties: Synthetic['properties'] = { uprns: [], lons: [], lats: [] };
  for (let i = 0; i < propertyCount; i++) {
    properties.uprns.push(100_000_000_000 + Math.floor(random() * 900_000_000_000));
    if (i > 0 && random() < 0.1) {
      properties.lons.push(properties.lons[i - 1] as number);
      properties.lats.push(properties.lats[i - 1] as number);
      continue;
    }
    const street = streets[Math.floor(random() * streets.length)] as StreetShape;
    const [x, y] = (street.geometry.type === 'LineString' ? street.geometry.coordinates : (street.geometry.coordinates[0] as number[][]))[0] as [number, number];
    properties.lons.push(x + ((random() - 0.5) * 80) / KX);
    properties.lats.push(y + ((random() - 0.5) * 80) / KY);
  }
  return { streets, properties };
}

describe('GeographyIndex', () => {
  let wards: WardShape[] = [];
  let data: Synthetic;
  let index: GeographyIndex;
  let streets: StreetIndex;
  let properties: PropertyIndex;
  beforeAll(() => {
    wards = loadTrafford();
    data = synthetic(seededRandom(8), 300, 3_000);
    streets = StreetIndex.build(data.streets);
    properties = PropertyIndex.build(data.properties.uprns, data.properties.lons, data.properties.lats);
    index = new GeographyIndex({ wards: WardIndex.build(wards), streets, properties });
  });

  it('joins within 50 m of a street and 100 m of a property by default', () => {
    expect(DEFAULT_JOIN_DISTANCES).toEqual({ streetMaxDistanceM: 50, propertyMaxDistanceM: 100 });
  });

  it('finds the same streets and properties as the naive scans on 20,000 random points', { timeout: 60_000 }, () => {
    const random = seededRandom(20_000);
    const pad = 0.002;
    let found = 0;
    for (let n = 0; n < 20_000; n++) {
      const lon = AREA.west - pad + random() * (AREA.east - AREA.west + 2 * pad);
      const lat = AREA.south - pad + random() * (AREA.north - AREA.south + 2 * pad);
      // Mostly the default limits; sometimes none, a tiny one or a large one.
      const street = [50, 50, 50, 0, 5, 500][n % 6] as number;
      const property = [100, 100, 100, 0, 10, 400][n % 6] as number;
      expect(streets.nearest(lon, lat, street), `${lon}, ${lat}, ${street} m`).toEqual(naiveNearestStreet(data.streets, lon, lat, street));
      const expected = naiveNearestProperty(data.properties, lon, lat, property);
      expect(properties.nearest(lon, lat, property), `${lon}, ${lat}, ${property} m`).toEqual(expected);
      if (expected) found++;
    }
    expect(found).toBeGreaterThan(5_000);
  });

  it('finds a property at its own position, and the smallest UPRN there', () => {
    const { uprns, lons, lats } = data.properties;
    for (let i = 0; i < uprns.length; i += 7) {
      const expected = naiveNearestProperty(data.properties, lons[i] as number, lats[i] as number, 0);
      expect(expected?.distanceM).toBe(0);
      expect(properties.nearest(lons[i] as number, lats[i] as number, 0)).toEqual(expected);
    }
  });

  it('resolves like the naive scans over Trafford', { timeout: 60_000 }, () => {
    const random = seededRandom(3);
    for (let n = 0; n < 2_000; n++) {
      const lon = AREA.west + random() * (AREA.east - AREA.west);
      const lat = AREA.south + random() * (AREA.north - AREA.south);
      expect(index.resolve(lon, lat), `${lon}, ${lat}`).toEqual(naiveResolve({ wards, ...data }, lon, lat));
    }
  });

  it('resolves a place far outside the area to nothing', () => {
    expect(index.resolve(-0.1276, 51.5072)).toEqual({ wardCode: null, usrn: null, streetDistanceM: null, uprn: null, uprnDistanceM: null });
  });

  it('resolves with the distances it was given', () => {
    const [lon, lat] = [(data.properties.lons[0] as number) + 30 / KX, data.properties.lats[0] as number];
    const near = new GeographyIndex({ wards: WardIndex.build(wards), streets, properties }, { streetMaxDistanceM: 0, propertyMaxDistanceM: 0 });
    expect(near.resolve(lon, lat)).toMatchObject({ usrn: null, uprn: null });
    expect(near.resolve(lon, lat).wardCode).toBe(index.resolve(lon, lat).wardCode);
  });

  it('refuses a negative or missing distance', () => {
    const parts = { wards: WardIndex.build([]), streets, properties };
    expect(() => new GeographyIndex(parts, { streetMaxDistanceM: -1, propertyMaxDistanceM: 100 })).toThrow(/streetMaxDistanceM/);
    expect(() => new GeographyIndex(parts, { streetMaxDistanceM: 50 } as never)).toThrow(/propertyMaxDistanceM/);
  });
});

describe('countUprnsPerStreet', () => {
  const LON = -2.3;
  const LAT = 53.4;
  const at = (east: number, north: number): [number, number] => [LON + east / metresPerDegreeLon(LAT), LAT + north / metresPerDegreeLat(LAT)];
  const street = (usrn: number, north: number): StreetShape => ({ usrn, geometry: { type: 'LineString', coordinates: [at(0, north), at(200, north)] } });
  const streets = StreetIndex.build([street(1, 0), street(2, 100)]);
  const place = (...entries: [number, number, number][]) => ({
    uprns: Object.freeze(entries.map(([uprn]) => uprn)),
    lons: Object.freeze(entries.map(([, e, n]) => at(e, n)[0])),
    lats: Object.freeze(entries.map(([, e, n]) => at(e, n)[1])),
  });
  const properties = place(
    [11, 50, 10], // no link, 10 m from street 1
    [12, 50, 90], // linked to streets 2 and 3
    [13, 60, 90], // linked to street 2 twice
    [14, 50, 400], // no link, far from every street
    [11, 50, 10], // listed again
    [15, 70, 95], // linked to street 1, though nearer street 2
  );
  const links = { uprns: Object.freeze([12, 12, 13, 13, 99, 15]), usrns: Object.freeze([2, 3, 2, 2, 1, 1]) };

  it('counts each UPRN once per distinct linked USRN, and an unlinked one for its nearest street', () => {
    expect(countUprnsPerStreet(properties, links, streets, 50)).toEqual(
      new Map([
        [1, 2], // 11 by nearness, 15 by link
        [2, 2], // 12 and 13 by link
        [3, 1], // 12 by link, though the index has no street 3
      ]),
    );
  });

  it('counts every UPRN by its nearest street when there are no links', () => {
    expect(countUprnsPerStreet(properties, null, streets, 50)).toEqual(
      new Map([
        [1, 1],
        [2, 3],
      ]),
    );
  });

  it('counts nothing for a UPRN beyond the distance', () => {
    expect(countUprnsPerStreet(place([11, 50, 30]), null, streets, 20)).toEqual(new Map());
  });

  it('refuses links of different lengths', () => {
    expect(() => countUprnsPerStreet(properties, { uprns: [1, 2], usrns: [1] }, streets, 50)).toThrow(/one USRN per UPRN/);
  });
});
