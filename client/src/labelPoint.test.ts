import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { labelPoint, poleOfInaccessibility, signedDistance } from './labelPoint.js';

type Point = [number, number];

function polygon(...rings: Position[][]): Polygon {
  return { type: 'Polygon', coordinates: rings };
}

/** Whether a point is inside a polygon (outer ring minus holes), by the same even-odd rule. */
function inside(point: Position, rings: Position[][]): boolean {
  return signedDistance(point[0] as number, point[1] as number, rings as Point[][]) > 0;
}

// A "U" opening to the north: its centroid (0.5, 0.44) is in the empty notch, outside the shape.
const U_SHAPE: Position[] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0.7, 1],
  [0.7, 0.3],
  [0.3, 0.3],
  [0.3, 1],
  [0, 1],
  [0, 0],
];

describe('signedDistance', () => {
  it('is positive inside, negative outside and in a hole, and measures to the nearest edge', () => {
    const square: Point[] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [0, 0],
    ];
    const hole: Point[] = [
      [1.5, 1.5],
      [2.5, 1.5],
      [2.5, 2.5],
      [1.5, 2.5],
      [1.5, 1.5],
    ];
    expect(signedDistance(1, 2, [square])).toBeCloseTo(1);
    expect(signedDistance(6, 2, [square])).toBeCloseTo(-2);
    expect(signedDistance(2, 2, [square, hole])).toBeCloseTo(-0.5);
    expect(signedDistance(1, 2, [square, hole])).toBeCloseTo(0.5);
  });
});

describe('poleOfInaccessibility', () => {
  it('finds the centre of a rectangle', () => {
    const { point, distance } = poleOfInaccessibility(
      [
        [
          [0, 0],
          [10, 0],
          [10, 4],
          [0, 4],
          [0, 0],
        ],
      ],
      0.001,
    );
    expect(point[1]).toBeCloseTo(2, 2);
    expect(point[0]).toBeGreaterThan(2);
    expect(point[0]).toBeLessThan(8);
    expect(distance).toBeCloseTo(2, 2);
  });
});

describe('labelPoint', () => {
  it('puts the label inside a concave ward whose centroid is outside it', () => {
    const point = labelPoint(polygon(U_SHAPE)).position;
    expect(inside([0.5, 0.44], [U_SHAPE])).toBe(false); // the centroid really is outside
    expect(inside(point, [U_SHAPE])).toBe(true);
    // The most room is where an arm meets the base (a circle of radius about 0.18), not in an arm (0.15).
    expect(point[1]).toBeGreaterThan(0.1);
    expect(point[1]).toBeLessThan(0.2);
  });

  it('keeps the label out of a hole', () => {
    const outer: Position[] = [
      [0, 0],
      [3, 0],
      [3, 3],
      [0, 3],
      [0, 0],
    ];
    const hole: Position[] = [
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 2],
      [1, 1],
    ];
    const point = labelPoint(polygon(outer, hole)).position;
    expect(inside(point, [outer, hole])).toBe(true);
  });

  it('puts a MultiPolygon’s label in the part with the most room, not between the parts', () => {
    const island: Position[] = [
      [0, 0],
      [0.2, 0],
      [0.2, 0.2],
      [0, 0.2],
      [0, 0],
    ];
    const mainland: Position[] = [
      [2, 0],
      [4, 0],
      [4, 2],
      [2, 2],
      [2, 0],
    ];
    const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: [[island], [mainland]] };
    const point = labelPoint(geometry).position;
    expect(point[0]).toBeCloseTo(3, 1);
    expect(point[1]).toBeCloseTo(1, 1);
  });

  it('measures room on the ground: at 60° N a degree of longitude is half a degree of latitude', () => {
    // 0.2° × 0.1° at 60° N is about 11 km × 11 km on the ground, so the pole is its middle.
    const square: Position[] = [
      [0, 60],
      [0.2, 60],
      [0.2, 60.1],
      [0, 60.1],
      [0, 60],
    ];
    const { position, roomM } = labelPoint(polygon(square));
    expect(position[0]).toBeCloseTo(0.1, 2);
    expect(position[1]).toBeCloseTo(60.05, 2);
    // Half of 0.1° of latitude is about 5.56 km.
    expect(roomM).toBeGreaterThan(5400);
    expect(roomM).toBeLessThan(5600);
  });
});

describe('labelPoint with obstacles', () => {
  const square: Position[] = [
    [0, 0],
    [4, 0],
    [4, 4],
    [0, 4],
    [0, 0],
  ];

  it('keeps the label clear of a street through the middle and a device on it', () => {
    // A road along y = 2 splits the square in two 4 × 2 halves: the label goes in the middle of one.
    const [, y] = labelPoint(polygon(square), { points: [], lines: [[[-1, 2], [5, 2]]] }).position;
    expect(Math.abs(y - 2)).toBeCloseTo(1, 2);
    // A device at the centre pushes the label off it, as far as the outline allows.
    const point = labelPoint(polygon(square), { points: [[2, 2]], lines: [] }).position;
    expect(Math.hypot((point[0] as number) - 2, (point[1] as number) - 2)).toBeGreaterThan(1);
    expect(inside(point, [square])).toBe(true);
  });

  it('ignores obstacles outside the ward', () => {
    const point = labelPoint(polygon(square), { points: [[10, 10], [-3, 2]], lines: [[[6, -1], [6, 5]]] }).position;
    expect(point[0]).toBeCloseTo(2, 2);
    expect(point[1]).toBeCloseTo(2, 2);
  });
});

describe('labelPoint for a wide label', () => {
  // An L: a bar 1 wide and 3 tall on the left, and a foot 0.8 tall running 4 to the right.
  const ell: Position[] = [
    [0, 0],
    [5, 0],
    [5, 0.8],
    [1, 0.8],
    [1, 3],
    [0, 3],
    [0, 0],
  ];

  it('puts a round label in the corner, where the largest circle is', () => {
    const [x] = labelPoint(polygon(ell)).position;
    expect(x).toBeLessThan(1);
  });

  it('lays a label four times wider than tall along the foot, where the widest ellipse is', () => {
    const { position, roomM } = labelPoint(polygon(ell), undefined, 4);
    expect(position[0]).toBeGreaterThan(1.5);
    expect(position[1]).toBeCloseTo(0.4, 1);
    // The foot is 0.8 tall, so the ellipse's half-height is at most 0.4 (in degrees, here).
    expect(roomM / 111_195).toBeLessThanOrEqual(0.4 + 1e-6);
  });
});
