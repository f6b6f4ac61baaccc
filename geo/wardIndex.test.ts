import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { loadTraffordWards, readTraffordWards } from '../test/support/sharedData.js';
import { naiveWardAt } from './naiveJoins.js';
import { orientation, polygonsOf, WardIndex, type WardShape } from './wardIndex.js';

const loadTrafford = loadTraffordWards;

function loadFixture(): WardShape[] {
  const collection = JSON.parse(readFileSync(new URL('./fixtures/wards-edge-cases.geojson', import.meta.url), 'utf8')) as FeatureCollection<
    Polygon | MultiPolygon,
    { code: string; name: string }
  >;
  return collection.features.map((feature) => ({ ...feature.properties, geometry: feature.geometry }));
}

/** The fixture is drawn on a grid of 1/16° from (−2.5°, 53°), so every position is exact in binary. */
const grid = (x: number, y: number): [number, number] => [-2.5 + x / 16, 53 + y / 16];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Every position of every ring, with the wards whose rings hold it. */
function vertexOwners(wards: readonly WardShape[]): Map<string, { position: [number, number]; codes: Set<string> }> {
  const owners = new Map<string, { position: [number, number]; codes: Set<string> }>();
  for (const ward of wards) {
    for (const position of polygonsOf(ward.geometry).flat(2) as [number, number][]) {
      const key = position.join(',');
      const entry = owners.get(key) ?? { position, codes: new Set<string>() };
      entry.codes.add(ward.code);
      owners.set(key, entry);
    }
  }
  return owners;
}

/**
 * The exact sign of the orientation determinant, computed independently of wardIndex.ts: each
 * double times the smallest power of two that makes it an integer, brought to a common scale.
 */
function referenceOrientation(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  const parts = [ax, ay, bx, by, px, py].map((value) => {
    let shift = 0;
    while (!Number.isInteger(value * 2 ** shift)) shift++;
    return { integer: BigInt(value * 2 ** shift), shift };
  });
  const top = Math.max(...parts.map((part) => part.shift));
  const [x0, y0, x1, y1, x2, y2] = parts.map((part) => part.integer << BigInt(top - part.shift)) as bigint[];
  const det = ((x1 as bigint) - (x0 as bigint)) * ((y2 as bigint) - (y0 as bigint)) - ((y1 as bigint) - (y0 as bigint)) * ((x2 as bigint) - (x0 as bigint));
  return det > 0n ? 1 : det < 0n ? -1 : 0;
}

describe('orientation', () => {
  // Points rounded onto a line: in Trafford, across the Greenwich meridian (where differences of
  // longitudes round), and far from a line's first end (where all differences round).
  it.each<[string, number, number, number, number]>([
    ['in Trafford', -2.48, 0.23, 53.35, 0.13],
    ['across the Greenwich meridian', -0.5, 1, 51.4, 0.2],
    ['with one end near the origin', -0.0005, 0.001, -0.0005, 0.001],
  ])('is exact for points on and next to a line %s, where the plain formula is not', (_, west, width, south, height) => {
    const random = seededRandom(71);
    let plainWrong = 0;
    for (let n = 0; n < 10_000; n++) {
      const ax = west + random() * width;
      const ay = south + random() * height;
      const bx = west === -0.0005 ? random() - 0.5 : west + random() * width;
      const by = west === -0.0005 ? random() - 0.5 : south + random() * height;
      const t = n % 4 === 0 ? 0.5 : random() * 3 - 1;
      const px = ax + t * (bx - ax) + (n % 3) * Number.EPSILON * (n % 2 ? 1 : -1);
      const py = ay + t * (by - ay);
      const expected = referenceOrientation(ax, ay, bx, by, px, py);
      expect(orientation(ax, ay, bx, by, px, py), `${[ax, ay, bx, by, px, py]}`).toBe(expected);
      expect(orientation(ax, ay, bx, by, ax, ay)).toBe(0);
      if (Math.sign((bx - ax) * (py - ay) - (by - ay) * (px - ax)) !== expected) plainWrong++;
    }
    // The cases are hard enough that the floating-point formula gets some wrong.
    expect(plainWrong).toBeGreaterThan(0);
  });

  it('is the sign of the determinant well away from the line', () => {
    expect(orientation(0, 0, 1, 0, 0.5, 1)).toBe(1);
    expect(orientation(0, 0, 1, 0, 0.5, -1)).toBe(-1);
    expect(orientation(0, 0, 1, 0, 2, 0)).toBe(0);
  });
});

const implementations: [string, (wards: readonly WardShape[]) => (lon: number, lat: number) => string | null][] = [
  [
    'WardIndex',
    (wards) => {
      const index = WardIndex.build(wards);
      return (lon, lat) => index.wardAt(lon, lat)?.code ?? null;
    },
  ],
  ['the naive scan', (wards) => (lon, lat) => naiveWardAt(wards, lon, lat)?.code ?? null],
];

describe.each(implementations)('%s on hand-built wards (geo/fixtures/wards-edge-cases.geojson)', (_, make) => {
  const wardAt = make(loadFixture());
  const HOLED = 'E05000003';
  const FILLER = 'E05000004';
  const EAST = 'E05000001';
  const PARTS = 'E05000002';
  const TRIANGLE = 'E05000005';
  const PEAKED = 'E05000006';

  it.each<[string, number, number, string | null]>([
    ['inside a ward with a hole, outside the hole', 0.5, 0.5, HOLED],
    ['strictly inside the hole: the ward filling it', 2, 2, FILLER],
    ["on the hole's ring, shared with the ward filling it: the first code", 1, 2, HOLED],
    ["a vertex of the hole's ring", 3, 3, HOLED],
    ['an outer vertex', 0, 0, HOLED],
    ['on a vertical edge shared with a ward whose code sorts first', 4, 2, EAST],
    ['on a horizontal edge shared with a ward whose code sorts first', 2, 4, PARTS],
    ['a vertex shared by three wards', 4, 4, EAST],
    ['a vertex shared by two wards, on the bounding box', 4, 0, EAST],
    ['the first part of a multipolygon', 1, 5, PARTS],
    ['the second part of a multipolygon', 7, 7, PARTS],
    ["on the second part's horizontal edge", 7, 6, PARTS],
    ['between the two parts', 5, 7, null],
    ['between the two parts, level with a horizontal edge of each', 5, 6, null],
    ['on a diagonal edge', 10, 2, TRIANGLE],
    ['on a diagonal edge, elsewhere', 11, 1, TRIANGLE],
    ['a vertex at the end of a diagonal edge', 12, 0, TRIANGLE],
    ['on an edge shared by a square and a triangle', 8, 2, EAST],
    ['level with a peak vertex, west of the ward (the ray passes through the peak)', 13, 2, null],
    ['level with a peak vertex, inside the ward', 15, 2, PEAKED],
    ['level with a peak vertex, inside, east of it', 17, 2, PEAKED],
    ['the peak vertex itself', 16, 2, PEAKED],
    ['below the peak, outside the ward', 16, 1, null],
    ['on the line of a horizontal edge, west of the ward', 13, 4, null],
    ['on a horizontal top edge', 15, 4, PEAKED],
    ['on the east edge of the bounding box', 18, 2, PEAKED],
    ['the north-east corner of a ward, on the bounding box', 18, 4, PEAKED],
    ['on the north edge of the bounding box', 7, 8, PARTS],
    ['east of everything, level with vertices', 20, 0, null],
    ['outside every ward', -1, -1, null],
  ])('%s', (_, x, y, expected) => {
    expect(wardAt(...grid(x, y))).toBe(expected);
  });

  it('is exact just off a diagonal edge', () => {
    const [lon, lat] = grid(10, 2);
    expect(wardAt(lon + 1e-12, lat)).toBeNull();
    expect(wardAt(lon - 1e-12, lat)).toBe(TRIANGLE);
    expect(wardAt(lon, lat + 1e-12)).toBeNull();
    // The next doubles either side of a point exactly on the edge.
    expect(wardAt(lon, nextDown(lat))).toBe(TRIANGLE);
    expect(wardAt(nextUp(lon), lat)).toBeNull();
  });
});

function nextUp(value: number): number {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, value);
  bits.setBigInt64(0, bits.getBigInt64(0) + (value >= 0 ? 1n : -1n));
  return bits.getFloat64(0);
}

function nextDown(value: number): number {
  return -nextUp(-value);
}

describe('WardIndex', () => {
  it('keeps the shapes it was given and never modifies them', () => {
    const wards = deepFreeze(loadFixture());
    const before = JSON.stringify(wards);
    const index = WardIndex.build(wards);
    expect(index.size).toBe(6);
    expect(index.wardAt(...grid(2, 2))).toBe(wards[1]);
    expect(JSON.stringify(wards)).toBe(before);
  });

  it('answers null with no wards', () => {
    const index = WardIndex.build([]);
    expect(index.size).toBe(0);
    expect(index.wardAt(-2.3, 53.4)).toBeNull();
  });

  it('answers null for a position that is not a number', () => {
    const index = WardIndex.build(loadFixture());
    expect(index.wardAt(Number.NaN, 53.1)).toBeNull();
    expect(index.wardAt(-2.4, Number.NaN)).toBeNull();
  });

  it('refuses a ward with a position that is not a pair of finite numbers', () => {
    const ward: WardShape = { code: 'X', name: 'X', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, Number.NaN], [1, 1], [0, 0]]] } };
    expect(() => WardIndex.build([ward])).toThrow(/finite/);
  });

  it('closes a ring that does not repeat its first position', () => {
    const ward: WardShape = { code: 'X', name: 'X', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } };
    const index = WardIndex.build([ward]);
    expect(index.wardAt(0.5, 0.5)?.code).toBe('X');
    expect(index.wardAt(0, 0.5)?.code).toBe('X');
    expect(naiveWardAt([ward], 0, 0.5)?.code).toBe('X');
  });
});

type Box = [number, number, number, number];

function boundsOf(positions: [number, number][]): Box {
  return [
    Math.min(...positions.map(([x]) => x)),
    Math.min(...positions.map(([, y]) => y)),
    Math.max(...positions.map(([x]) => x)),
    Math.max(...positions.map(([, y]) => y)),
  ];
}

describe("WardIndex on Trafford's wards at full resolution", () => {
  let wards: WardShape[] = [];
  let index: WardIndex;
  let box: Box;
  /**
   * The naive scan over the wards whose bounding boxes hold the point: the same answer (no other
   * ward can hold it), several times sooner, which keeps this file quick.
   */
  let naiveCode: (lon: number, lat: number) => string | undefined;
  beforeAll(() => {
    wards = loadTrafford();
    index = WardIndex.build(wards);
    box = boundsOf(wards.flatMap((ward) => polygonsOf(ward.geometry).flat(2)) as [number, number][]);
    const boxes = wards.map((ward) => boundsOf(polygonsOf(ward.geometry).flat(2) as [number, number][]));
    naiveCode = (lon, lat) => {
      const near = wards.filter((_, w) => {
        const [west, south, east, north] = boxes[w] as Box;
        return west <= lon && lon <= east && south <= lat && lat <= north;
      });
      return naiveWardAt(near, lon, lat)?.code;
    };
  });

  it('holds all 21 wards', () => {
    expect(index.size).toBe(21);
  });

  it('puts each ward’s own label point in that ward', () => {
    const collection = readTraffordWards();
    for (const feature of collection.features) {
      expect(index.wardAt(Number(feature.properties.lon), Number(feature.properties.lat))?.code).toBe(feature.properties.area_code);
    }
  });

  it('agrees with the naive scan on 20,000 random points in the bounding box', { timeout: 60_000 }, () => {
    const random = seededRandom(2023);
    let inside = 0;
    for (let n = 0; n < 20_000; n++) {
      const lon = box[0] + random() * (box[2] - box[0]);
      const lat = box[1] + random() * (box[3] - box[1]);
      const expected = naiveCode(lon, lat);
      expect(index.wardAt(lon, lat)?.code, `${lon}, ${lat}`).toBe(expected);
      if (expected) inside++;
    }
    expect(inside).toBeGreaterThan(5_000); // the box is not mostly empty
  });

  it('agrees with the naive scan on vertices, and gives a shared vertex to the first code', { timeout: 60_000 }, () => {
    const owners = [...vertexOwners(wards).values()];
    const shared = owners.filter((owner) => owner.codes.size > 1);
    expect(shared.length).toBeGreaterThan(100);
    const random = seededRandom(5);
    const sample = [...shared.filter((_, n) => n % 4 === 0), ...owners.filter(() => random() < 0.05)];
    for (const { position, codes } of sample) {
      const code = index.wardAt(...position)?.code;
      expect(code, position.join(', ')).toBe(naiveCode(...position));
      expect(code !== undefined && [...codes].every((other) => code <= other), position.join(', ')).toBe(true);
    }
  });

  it('agrees with the naive scan on and next to edges', { timeout: 60_000 }, () => {
    const random = seededRandom(11);
    const rings = wards.flatMap((ward) => polygonsOf(ward.geometry).flat(1));
    for (let n = 0; n < 3_000; n++) {
      const ring = rings[Math.floor(random() * rings.length)] as Position[];
      const i = Math.floor(random() * (ring.length - 1));
      const [ax, ay] = ring[i] as [number, number];
      const [bx, by] = ring[i + 1] as [number, number];
      const t = random();
      const offset = [0, 0, 1e-13, -1e-13, 1e-9, -1e-9][n % 6] as number;
      const lon = ax + t * (bx - ax) + offset;
      const lat = ay + t * (by - ay) - offset;
      expect(index.wardAt(lon, lat)?.code, `${lon}, ${lat}`).toBe(naiveCode(lon, lat));
    }
  });

  it('puts a point far outside Trafford in no ward', () => {
    expect(index.wardAt(-0.1276, 51.5072)).toBeNull(); // London
    expect(index.wardAt(-2.3, 53.3)).toBeNull(); // just south of the bounding box
  });
});
