import { describe, expect, it } from 'vitest';
import { metresPerDegreeLat, metresPerDegreeLon } from './localMetric.js';
import { naiveNearestProperty } from './naiveJoins.js';
import { PropertyIndex } from './propertyIndex.js';

/** Positions in metres east and north of a point in Trafford. */
const LON = -2.3;
const LAT = 53.4;
const at = (east: number, north: number): [number, number] => [LON + east / metresPerDegreeLon(LAT), LAT + north / metresPerDegreeLat(LAT)];

type Nearest = (lon: number, lat: number, maxM: number) => { uprn: number; distanceM: number } | null;

function properties(...entries: [number, number, number][]) {
  return { uprns: entries.map(([uprn]) => uprn), lons: entries.map(([, e, n]) => at(e, n)[0]), lats: entries.map(([, e, n]) => at(e, n)[1]) };
}

const implementations: [string, (data: ReturnType<typeof properties>) => Nearest][] = [
  [
    'PropertyIndex',
    ({ uprns, lons, lats }) => {
      const index = PropertyIndex.build(uprns, lons, lats);
      return (lon, lat, maxM) => index.nearest(lon, lat, maxM);
    },
  ],
  ['the naive scan', (data) => (lon, lat, maxM) => naiveNearestProperty(data, lon, lat, maxM)],
];

describe.each(implementations)('nearest property by %s', (_, make) => {
  it('finds the nearest within the limit, with its distance', () => {
    const nearest = make(properties([100_000_000_001, 30, 40], [100_000_000_002, 60, 80]));
    expect(nearest(...at(0, 0), 100)?.uprn).toBe(100_000_000_001);
    expect(nearest(...at(0, 0), 100)?.distanceM).toBeCloseTo(50, 2);
  });

  it('prefers a nearer property outside a small search box to a farther one in its corner', () => {
    // 49.5 m away diagonally, 45 m away straight north.
    const nearest = make(properties([1, 35, 35], [2, 0, 45], [3, 0, -90]));
    expect(nearest(...at(0, 0), 100)?.uprn).toBe(2);
    expect(nearest(...at(0, 0), 100)?.distanceM).toBeCloseTo(45, 2);
    expect(make(properties([1, 30, 0], [2, 0, 45]))(...at(0, 0), 100)?.uprn).toBe(1);
  });

  it('gives flats sharing one position to the smallest UPRN, whatever the order', () => {
    const nearest = make(properties([906_700_000_005, 10, 0], [906_700_000_003, 10, 0], [906_700_000_009, 10, 0], [906_700_000_001, 40, 0]));
    expect(nearest(...at(0, 0), 100)?.uprn).toBe(906_700_000_003);
  });

  it('breaks a tie between positions at exactly the same distance by the smaller UPRN', () => {
    const data = { uprns: [200, 100, 300], lons: [-2.25 - 2 ** -14, -2.25 + 2 ** -14, -2.25], lats: [53.4375, 53.4375, 53.5] };
    expect(make(data)(-2.25, 53.4375, 100)?.uprn).toBe(100);
    expect(make({ uprns: [100, 200], lons: [-2.25 + 2 ** -14, -2.25 - 2 ** -14], lats: [53.4375, 53.4375] })(-2.25, 53.4375, 100)?.uprn).toBe(100);
  });

  it('includes a property exactly at the limit and excludes it just beyond', () => {
    const nearest = make(properties([7, 30, 40]));
    const distance = nearest(...at(0, 0), 1_000)?.distanceM as number;
    expect(nearest(...at(0, 0), distance)).toEqual({ uprn: 7, distanceM: distance });
    expect(nearest(...at(0, 0), distance * (1 - 1e-12))).toBeNull();
    expect(nearest(...at(30, 40), 0)).toEqual({ uprn: 7, distanceM: 0 });
  });

  it('keeps 12-digit UPRNs exact', () => {
    expect(make(properties([999_999_999_999, 0, 0]))(...at(1, 1), 10)?.uprn).toBe(999_999_999_999);
  });

  it('answers null when nothing is near, for a negative limit, and with no properties', () => {
    expect(make(properties([1, 0, 0]))(...at(0, 200), 100)).toBeNull();
    expect(make(properties([1, 0, 0]))(...at(0, 0), -1)).toBeNull();
    expect(make(properties())(...at(0, 0), 100)).toBeNull();
  });
});

describe('PropertyIndex', () => {
  it('copies its input: later changes to the arrays do not reach it, and it changes nothing', () => {
    const uprns = Object.freeze([1, 2]);
    const lons = new Float64Array([at(0, 0)[0], at(100, 0)[0]]);
    const lats = Object.freeze([at(0, 0)[1], at(100, 0)[1]]);
    const index = PropertyIndex.build(uprns, lons, lats);
    lons[0] = at(500, 0)[0];
    expect(index.size).toBe(2);
    expect(index.nearest(...at(10, 0), 50)?.uprn).toBe(1);
    expect(lons[1]).toBe(at(100, 0)[0]);
  });

  it('refuses arrays of different lengths and values that are not finite numbers', () => {
    expect(() => PropertyIndex.build([1, 2], [0, 0], [0])).toThrow(/one lon and one lat/);
    expect(() => PropertyIndex.build([1], [Number.NaN], [53])).toThrow(/finite/);
  });

  it('answers null for a position that is not a number', () => {
    const { uprns, lons, lats } = properties([1, 0, 0]);
    expect(PropertyIndex.build(uprns, lons, lats).nearest(LON, Number.NaN, 100)).toBeNull();
  });
});
