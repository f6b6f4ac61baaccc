import type { MultiPolygon, Polygon, Position } from 'geojson';

/**
 * Where to put a ward's name: the pole of inaccessibility, the point inside the ward farthest from
 * its boundary (the polylabel algorithm, Garcia-Castellanos & Lombardo 2007, as in mapbox/polylabel).
 * A centroid can fall outside a concave ward or between the parts of a MultiPolygon; this point is
 * always inside, with the most room around it for text. Obstacles (the devices, the coloured
 * streets) count as edges too, so the name keeps clear of what is drawn over it where there is room.
 */

type Point = [number, number];
type Ring = Point[];

/** What a label should keep clear of, in the same plane as the rings. */
export interface Obstacles {
  points: readonly Point[];
  lines: readonly (readonly Point[])[];
}

const NO_OBSTACLES: Obstacles = { points: [], lines: [] };

/** A square cell of the search grid: centre, half-size, signed distance to the outline, best possible. */
interface Cell {
  x: number;
  y: number;
  h: number;
  d: number;
  max: number;
}

/** Signed distance from a point to a polygon's outline: positive inside, negative outside (or in a hole). */
export function signedDistance(x: number, y: number, rings: readonly Ring[]): number {
  let inside = false;
  let minSquared = Number.POSITIVE_INFINITY;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[i] as Point;
      const [bx, by] = ring[j] as Point;
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      minSquared = Math.min(minSquared, segmentDistanceSquared(x, y, ax, ay, bx, by));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(minSquared);
}

function segmentDistanceSquared(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let x = ax;
  let y = ay;
  const dx = bx - ax;
  const dy = by - ay;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = bx;
      y = by;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  return (px - x) ** 2 + (py - y) ** 2;
}

/**
 * Room around a point: its distance to the outline, or to the nearest obstacle if that is nearer
 * (outside the ward, the negative distance to the outline). This is the minimum of the signed
 * distance and the obstacle distances, so it still changes by at most the distance moved, which
 * the search's bound on each cell relies on.
 */
function room(x: number, y: number, rings: readonly Ring[], obstacles: Obstacles): number {
  const d = signedDistance(x, y, rings);
  if (d <= 0) return d;
  let squared = d * d;
  for (const [px, py] of obstacles.points) squared = Math.min(squared, (x - px) ** 2 + (y - py) ** 2);
  for (const line of obstacles.lines) {
    for (let i = 1; i < line.length; i++) {
      const [ax, ay] = line[i - 1] as Point;
      const [bx, by] = line[i] as Point;
      squared = Math.min(squared, segmentDistanceSquared(x, y, ax, ay, bx, by));
    }
  }
  return Math.sqrt(squared);
}

function cell(x: number, y: number, h: number, rings: readonly Ring[], obstacles: Obstacles): Cell {
  const d = room(x, y, rings, obstacles);
  return { x, y, h, d, max: d + h * Math.SQRT2 };
}

/** The area-weighted centroid of the outer ring: a good first guess for a convex shape. */
function centroidCell(rings: readonly Ring[], obstacles: Obstacles): Cell {
  const outer = rings[0] ?? [];
  let area = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const [ax, ay] = outer[i] as Point;
    const [bx, by] = outer[j] as Point;
    const f = ax * by - bx * ay;
    x += (ax + bx) * f;
    y += (ay + by) * f;
    area += f * 3;
  }
  const first = outer[0] ?? [0, 0];
  return area === 0 ? cell(first[0], first[1], 0, rings, obstacles) : cell(x / area, y / area, 0, rings, obstacles);
}

/** A max-heap of cells by their best possible distance, so the most promising cell is split first. */
class CellQueue {
  private readonly items: Cell[] = [];

  push(item: Cell): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as Cell).max >= item.max) break;
      items[i] = items[parent] as Cell;
      i = parent;
    }
    items[i] = item;
  }

  pop(): Cell | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as Cell).max > (items[left] as Cell).max ? right : left;
      if ((items[child] as Cell).max <= last.max) break;
      items[i] = items[child] as Cell;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * The pole of inaccessibility of one polygon (outer ring then holes) in a plane, to within
 * `precision`. Returns the point and its distance to the outline or the nearest obstacle.
 */
export function poleOfInaccessibility(rings: readonly Ring[], precision: number, obstacles: Obstacles = NO_OBSTACLES): { point: Point; distance: number } {
  const outer = rings[0] ?? [];
  if (outer.length === 0) return { point: [0, 0], distance: 0 };
  const { minX, minY, maxX, maxY } = bbox(outer);
  const size = Math.min(maxX - minX, maxY - minY);
  if (size === 0) return { point: [minX, minY], distance: 0 };

  const queue = new CellQueue();
  const half = size / 2;
  for (let x = minX; x < maxX; x += size) {
    for (let y = minY; y < maxY; y += size) queue.push(cell(x + half, y + half, half, rings, obstacles));
  }
  let best = centroidCell(rings, obstacles);
  const middle = cell(minX + (maxX - minX) / 2, minY + (maxY - minY) / 2, 0, rings, obstacles);
  if (middle.d > best.d) best = middle;

  for (let next = queue.pop(); next; next = queue.pop()) {
    if (next.d > best.d) best = next;
    // No point in this cell can beat the best by more than the precision: do not split it.
    if (next.max - best.d <= precision) continue;
    const h = next.h / 2;
    queue.push(cell(next.x - h, next.y - h, h, rings, obstacles));
    queue.push(cell(next.x + h, next.y - h, h, rings, obstacles));
    queue.push(cell(next.x - h, next.y + h, h, rings, obstacles));
    queue.push(cell(next.x + h, next.y + h, h, rings, obstacles));
  }
  return { point: [best.x, best.y], distance: best.d };
}

/** Obstacles in WGS84: points (devices) and lines (streets). */
export interface LonLatObstacles {
  points: readonly Position[];
  lines: readonly (readonly Position[])[];
}

export interface LabelPlacement {
  /** [longitude, latitude]. */
  position: [number, number];
  /**
   * The room the label has, in metres: the half-height of the largest ellipse of the given aspect
   * (the radius of a circle for aspect 1) that fits there clear of the outline and the obstacles.
   */
  roomM: number;
}

/** Metres in a degree of latitude (the mean; close enough to size a label). */
const METRES_PER_DEGREE = 111_195;

/**
 * The label point of a ward in WGS84. Longitudes are scaled by cos(latitude) first so "farthest from
 * the boundary" is measured on the ground, not in degrees; a MultiPolygon's label goes in the part
 * with the most room. Obstacles outside a part never matter (the outline is nearer), so only those
 * near its bounding box are looked at.
 *
 * Text is wider than it is tall: with `aspect` (the label's width over its height) the ground is
 * squeezed east–west by that factor first, so the search finds the largest ellipse of the label's
 * shape rather than the largest circle, and a long name lies along a wide part of the ward.
 */
export function labelPoint(geometry: Polygon | MultiPolygon, obstacles: LonLatObstacles = { points: [], lines: [] }, aspect = 1): LabelPlacement {
  const polygons: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let south = Number.POSITIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  for (const polygon of polygons) {
    for (const [, lat] of polygon[0] ?? []) {
      south = Math.min(south, lat as number);
      north = Math.max(north, lat as number);
    }
  }
  if (!Number.isFinite(south)) return { position: [0, 0], roomM: 0 };
  const scale = Math.cos((((south + north) / 2) * Math.PI) / 180) / aspect;
  const project = ([lon, lat]: Position): Point => [(lon as number) * scale, lat as number];
  const points = obstacles.points.map(project);
  const lines = obstacles.lines.map((line) => line.map(project));

  let best: { point: Point; distance: number } | undefined;
  for (const polygon of polygons) {
    const rings: Ring[] = polygon.map((ring) => ring.map(project));
    const box = bbox(rings[0] ?? []);
    const near = (p: Point) => p[0] >= box.minX && p[0] <= box.maxX && p[1] >= box.minY && p[1] <= box.maxY;
    const nearLine = (line: readonly Point[]) => {
      const b = bbox(line);
      return b.maxX >= box.minX && b.minX <= box.maxX && b.maxY >= box.minY && b.minY <= box.maxY;
    };
    // A 250th of the part's height: finer than a label needs; Trafford's 21 full-resolution wards
    // (18,000 vertices) take about a fifth of a second.
    const precision = Math.max((box.maxY - box.minY) / 250, 1e-7);
    const pole = poleOfInaccessibility(rings, precision, { points: points.filter(near), lines: lines.filter(nearLine) });
    if (!best || pole.distance > best.distance) best = pole;
  }
  const { point, distance } = best as { point: Point; distance: number };
  return { position: [point[0] / scale, point[1]], roomM: Math.max(distance, 0) * METRES_PER_DEGREE };
}

function bbox(points: readonly Point[]): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}
