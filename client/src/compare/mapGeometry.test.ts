import { describe, expect, it } from 'vitest';
import type { WardShape } from './areaWards.js';
import { fitFrame, ringPath, simplify, wardPath, type Point } from './mapGeometry.js';

function ward(code: string, rings: [number, number][][]): WardShape {
  return { code, name: code, polygons: [rings] };
}

// One degree of longitude is about 0.6 of a degree of latitude at 53°N.
const WIDE = ward('A', [
  [
    [-2.4, 53.4],
    [-2.2, 53.4],
    [-2.2, 53.5],
    [-2.4, 53.5],
    [-2.4, 53.4],
  ],
]);

describe('fitFrame', () => {
  it('fills the width and scales longitude by the cosine of the latitude', () => {
    const frame = fitFrame([WIDE], 400, 1000, 0);
    expect(frame.width).toBe(400);
    const ratio = (0.2 * Math.cos((53.45 * Math.PI) / 180)) / 0.1;
    expect(frame.height).toBe(Math.ceil(400 / ratio));
    expect(frame.project([-2.4, 53.5])).toEqual([0, 0]);
    const [x, y] = frame.project([-2.2, 53.4]);
    expect(x).toBeCloseTo(400);
    expect(y).toBeCloseTo(400 / ratio);
  });

  it('keeps within the height limit and centres across', () => {
    const frame = fitFrame([WIDE], 400, 100, 0);
    expect(frame.height).toBe(100);
    const [left] = frame.project([-2.4, 53.5]);
    const [right] = frame.project([-2.2, 53.5]);
    expect(left).toBeGreaterThan(0);
    expect(left + right).toBeCloseTo(400);
  });
});

describe('simplify', () => {
  it('drops points that stay within the tolerance and keeps corners', () => {
    const line: Point[] = [
      [0, 0],
      [1, 0.1],
      [2, -0.1],
      [3, 0],
      [3, 3],
    ];
    expect(simplify(line, 0.5)).toEqual([
      [0, 0],
      [3, 0],
      [3, 3],
    ]);
    expect(simplify(line, 0.05)).toHaveLength(5);
  });
});

describe('paths', () => {
  it('draws a closed ring with one-decimal coordinates', () => {
    const frame = fitFrame([WIDE], 400, 1000, 0);
    const path = wardPath(WIDE, frame);
    // The last point repeats the first in GeoJSON; the path closes with Z instead.
    expect(path).toBe('M0 335.8L400 335.8L400 0L0 0Z');
  });

  it('leaves out a ring too small to see', () => {
    const frame = fitFrame([WIDE], 400, 1000, 0);
    const speck: [number, number][] = [
      [-2.3, 53.45],
      [-2.30001, 53.45],
      [-2.30001, 53.45001],
      [-2.3, 53.45],
    ];
    expect(ringPath(speck, frame, 0.4)).toBe('');
  });

  it('draws holes and every polygon of a MultiPolygon in one path', () => {
    const frame = fitFrame([WIDE], 400, 1000, 0);
    const holed: WardShape = {
      code: 'H',
      name: 'H',
      polygons: [
        WIDE.polygons[0] as [number, number][][],
        [
          [
            [-2.35, 53.42],
            [-2.25, 53.42],
            [-2.25, 53.48],
            [-2.35, 53.48],
            [-2.35, 53.42],
          ],
        ],
      ],
    };
    expect(wardPath(holed, frame).match(/M/g)).toHaveLength(2);
  });
});
