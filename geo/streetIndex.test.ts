import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { metresPerDegreeLat, metresPerDegreeLon } from './localMetric.js';
import { naiveNearestStreet } from './naiveJoins.js';
import { StreetIndex, type StreetShape } from './streetIndex.js';

/** Positions in metres east and north of a point in Trafford. */
const LON = -2.3;
const LAT = 53.4;
const KX = metresPerDegreeLon(LAT);
const KY = metresPerDegreeLat(LAT);
const at = (east: number, north: number): [number, number] => [LON + east / KX, LAT + north / KY];
const line = (usrn: number, ...points: [number, number][]): StreetShape => ({ usrn, geometry: { type: 'LineString', coordinates: points.map(([e, n]) => at(e, n)) } });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const implementations: [string, (streets: readonly StreetShape[]) => (lon: number, lat: number, maxM: number) => { usrn: number; distanceM: number } | null][] = [
  [
    'StreetIndex',
    (streets) => {
      const index = StreetIndex.build(streets);
      return (lon, lat, maxM) => index.nearest(lon, lat, maxM);
    },
  ],
  ['the naive scan', (streets) => (lon, lat, maxM) => naiveNearestStreet(streets, lon, lat, maxM)],
];

describe.each(implementations)('nearest street by %s', (_, make) => {
  it('measures to the nearest point of a segment, not to its vertices', () => {
    const nearest = make([line(11, [-100, 0], [100, 0])]);
    expect(nearest(...at(30, 40), 100)?.usrn).toBe(11);
    expect(nearest(...at(30, 40), 100)?.distanceM).toBeCloseTo(40, 2);
  });

  it('measures to the nearer end beyond a segment', () => {
    const nearest = make([line(11, [-100, 0], [100, 0])]);
    expect(nearest(...at(130, -40), 100)?.distanceM).toBeCloseTo(50, 2);
  });

  it('includes a street exactly at the limit and excludes it just beyond', () => {
    const nearest = make([line(11, [-100, 0], [100, 0])]);
    const distance = nearest(...at(30, 40), 1_000)?.distanceM as number;
    expect(nearest(...at(30, 40), distance)).toEqual({ usrn: 11, distanceM: distance });
    expect(nearest(...at(30, 40), distance * (1 - 1e-12))).toBeNull();
    expect(nearest(...at(30, 40), 39)).toBeNull();
  });

  it('does not take the bounding box for the distance', () => {
    // The query is inside the diagonal's bounding box but 566 m from the line itself.
    const nearest = make([line(1, [0, 0], [1_000, 1_000]), line(2, [900, 160], [950, 160])]);
    expect(nearest(...at(900, 100), 50)).toBeNull();
    expect(nearest(...at(900, 100), 100)?.usrn).toBe(2);
    expect(nearest(...at(900, 100), 1_000)?.usrn).toBe(2);
  });

  it('breaks a tie on distance by the smaller USRN, in any input order', () => {
    // Streets 2^-12° either side of the query: exactly the same distance.
    const west = { usrn: 900, geometry: { type: 'LineString' as const, coordinates: [[-2.25 - 2 ** -12, 53.375], [-2.25 - 2 ** -12, 53.5]] } };
    const east = { usrn: 700, geometry: { type: 'LineString' as const, coordinates: [[-2.25 + 2 ** -12, 53.375], [-2.25 + 2 ** -12, 53.5]] } };
    expect(make([west, east])(-2.25, 53.4375, 100)?.usrn).toBe(700);
    expect(make([east, west])(-2.25, 53.4375, 100)?.usrn).toBe(700);
    const same = line(5, [0, -50], [0, 50]);
    expect(make([{ ...same, usrn: 8 }, same])(...at(10, 0), 100)?.usrn).toBe(5);
  });

  it('takes the nearest part of a MultiLineString', () => {
    const multi: StreetShape = {
      usrn: 31,
      geometry: { type: 'MultiLineString', coordinates: [[at(0, 0), at(10, 0)], [at(500, 0), at(510, 0)]] },
    };
    const nearest = make([multi, line(32, [300, 30], [310, 30])]);
    expect(nearest(...at(505, 20), 50)).toMatchObject({ usrn: 31 });
    expect(nearest(...at(505, 20), 50)?.distanceM).toBeCloseTo(20, 2);
  });

  it('treats a one-position line as a point', () => {
    const nearest = make([line(41, [0, 0])]);
    expect(nearest(...at(30, 40), 100)?.distanceM).toBeCloseTo(50, 2);
    expect(nearest(...at(0, 0), 0)).toEqual({ usrn: 41, distanceM: 0 });
  });

  it('answers null when nothing is near, for a negative limit, and with no streets', () => {
    expect(make([line(11, [0, 0], [10, 0])])(...at(0, 500), 100)).toBeNull();
    expect(make([line(11, [0, 0], [10, 0])])(...at(0, 0), -1)).toBeNull();
    expect(make([])(...at(0, 0), 100)).toBeNull();
  });
});

describe('StreetIndex', () => {
  it('counts streets, reads its input without modifying it', () => {
    const streets = deepFreeze([line(1, [0, 0], [10, 0]), line(2, [0, 20], [10, 20], [20, 30])]);
    const before = JSON.stringify(streets);
    const index = StreetIndex.build(streets);
    expect(index.size).toBe(2);
    expect(index.nearest(...at(5, 12), 50)?.usrn).toBe(2);
    expect(JSON.stringify(streets)).toBe(before);
  });

  it('refuses a position that is not a pair of finite numbers', () => {
    const bad: StreetShape = { usrn: 1, geometry: { type: 'LineString', coordinates: [[0, 0], [Number.NaN, 1] as Position] } };
    expect(() => StreetIndex.build([bad])).toThrow(/finite/);
  });

  it('answers null for a position that is not a number', () => {
    expect(StreetIndex.build([line(1, [0, 0], [10, 0])]).nearest(Number.NaN, LAT, 100)).toBeNull();
  });
});
