import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { PointGrid } from './pointGrid.js';

/** The items a search visits, in slot order. */
function visited(grid: PointGrid, x: number, y: number, radius: number): number[] {
  const ids: number[] = [];
  const count = grid.search(x, y, radius);
  for (let run = 0; run < count; run++) {
    for (let k = grid.runs[2 * run] as number; k < (grid.runs[2 * run + 1] as number); k++) ids.push(grid.ids[k] as number);
  }
  return ids;
}

function within(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number, y: number, radius: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Math.hypot((xs[i] as number) - x, (ys[i] as number) - y) <= radius) ids.push(i);
  return ids;
}

/** Plane coordinates of the size met in Great Britain (x ≈ −160,000, y ≈ 5,900,000 in Trafford). */
const X0 = -160_000;
const Y0 = 5_900_000;

describe('PointGrid', () => {
  it('visits every point within the radius, each once, and only points near the square, on random data', () => {
    const random = seededRandom(9);
    const n = 5_000;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Clusters, like the flats of a block and the houses of a street, and some shared positions.
      if (i % 10 === 9) {
        xs[i] = xs[i - 1] as number;
        ys[i] = ys[i - 1] as number;
      } else {
        const cluster = Math.floor(random() * 50);
        xs[i] = X0 + (cluster % 10) * 500 + random() * 120;
        ys[i] = Y0 + Math.floor(cluster / 10) * 700 + random() * 80;
      }
    }
    const grid = PointGrid.build(xs, ys, 20);
    expect(grid.size).toBe(n);
    expect([...grid.ids].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (let q = 0; q < 2_000; q++) {
      // Queries over and around the extent, some far outside it; radii from 0 to 300 m.
      const x = X0 - 1_000 + random() * 7_000;
      const y = Y0 - 1_000 + random() * 5_500;
      const radius = q % 20 === 0 ? 0 : random() * 300;
      const found = visited(grid, x, y, radius);
      expect(new Set(found).size).toBe(found.length);
      const seen = new Set(found);
      for (const i of within(xs, ys, x, y, radius)) expect(seen.has(i)).toBe(true);
      for (const i of found) {
        expect(Math.abs((xs[i] as number) - x)).toBeLessThanOrEqual(radius + grid.cellSize);
        expect(Math.abs((ys[i] as number) - y)).toBeLessThanOrEqual(radius + grid.cellSize);
      }
    }
  });

  it('finds a point exactly at the radius, on cell edges and at the extent’s corners', () => {
    const xs = [X0, X0 + 100, X0 + 100, X0];
    const ys = [Y0, Y0, Y0 + 60, Y0 + 60];
    const grid = PointGrid.build(xs, ys, 20);
    for (let i = 0; i < xs.length; i++) {
      expect(visited(grid, xs[i] as number, ys[i] as number, 0)).toContain(i);
      // From just beyond the extent, at exactly the distance to the corner.
      const dx = (xs[i] as number) === X0 ? -7 : 7;
      expect(visited(grid, (xs[i] as number) + dx, ys[i] as number, 7)).toContain(i);
    }
    expect(visited(grid, X0 + 50, Y0 + 30, Math.hypot(50, 30)).sort()).toEqual([0, 1, 2, 3]);
  });

  it('clamps a square that overlaps the grid only in part, and visits nothing when it misses the grid', () => {
    const grid = PointGrid.build([X0, X0 + 1_000], [Y0, Y0 + 1_000], 20);
    expect(visited(grid, X0 - 50, Y0 - 50, 100)).toEqual([0]);
    expect(visited(grid, X0 + 1_050, Y0 + 1_050, 100)).toEqual([1]);
    expect(visited(grid, X0 - 500, Y0 + 500, 100)).toEqual([]);
    expect(visited(grid, X0 + 500, Y0 + 1_500, 100)).toEqual([]);
    expect(visited(grid, 0, 0, 100)).toEqual([]);
    expect(visited(grid, X0, Y0, Number.POSITIVE_INFINITY).sort()).toEqual([0, 1]);
    expect(visited(grid, Number.NaN, Y0, 100)).toEqual([]);
    expect(visited(grid, X0, Y0, Number.NaN)).toEqual([]);
    expect(visited(grid, Number.POSITIVE_INFINITY, Y0, 100)).toEqual([]);
  });

  it('answers nothing when empty', () => {
    const grid = PointGrid.build([], [], 20);
    expect(grid.size).toBe(0);
    expect(visited(grid, 0, 0, 100)).toEqual([]);
    expect(visited(grid, 0, 0, Number.POSITIVE_INFINITY)).toEqual([]);
  });

  it('holds a single point in a single cell', () => {
    const grid = PointGrid.build([X0], [Y0], 20);
    expect(grid.columns * grid.rows).toBe(1);
    expect(visited(grid, X0, Y0, 0)).toEqual([0]);
    expect(visited(grid, X0 + 3, Y0 - 4, 5)).toEqual([0]);
    expect(visited(grid, X0 + 100, Y0, 5)).toEqual([]);
  });

  it('keeps cells at least the smallest size and their number within four per point, however sparse or thin the area', () => {
    const random = seededRandom(3);
    // Highland: about 26,000 km² with 150,000 UPRNs.
    const n = 150_000;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = X0 + random() * 160_000;
      ys[i] = Y0 + random() * 160_000;
    }
    const highland = PointGrid.build(xs, ys, 20);
    expect(highland.columns * highland.rows).toBeLessThanOrEqual(4 * n);
    expect(highland.cellSize).toBeGreaterThanOrEqual(20);
    // Two points 40,000 km apart, in a line, and a dense block: never more than four cells a point.
    const thin = PointGrid.build([0, 40_000_000], [0, 0], 20);
    expect(thin.columns * thin.rows).toBeLessThanOrEqual(8);
    expect(visited(thin, 40_000_000, 0, 1)).toEqual([1]);
    const dense = PointGrid.build(Array.from({ length: 100 }, (_, i) => i % 10), Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)), 20);
    expect(dense.cellSize).toBeGreaterThanOrEqual(20);
    expect(dense.columns * dense.rows).toBe(1);
  });

  it('refuses points that are not finite, arrays of different lengths and a cell that is not a positive size', () => {
    expect(() => PointGrid.build([0, Number.NaN], [0, 0], 20)).toThrow(/finite/);
    expect(() => PointGrid.build([0, 1], [0], 20)).toThrow(/one y per x/);
    expect(() => PointGrid.build([0], [0], 0)).toThrow(/positive/);
    expect(() => PointGrid.build([0], [0], Number.POSITIVE_INFINITY)).toThrow(/positive/);
  });
});
