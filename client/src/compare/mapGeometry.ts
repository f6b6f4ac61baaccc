import type { Position, Ring, WardShape } from './areaWards.js';

/**
 * Ward polygons as SVG paths. Longitude is scaled by the cosine of the middle latitude (over a
 * borough this is Web Mercator to within a hair), the area is fitted into the box, and each ring is
 * simplified to the drawing's resolution: the full-resolution boundaries have a point every few
 * metres, hundreds to a pixel, and would make a map of megabytes.
 */

export type Point = [number, number];

export interface Frame {
  width: number;
  height: number;
  project(position: Position): Point;
}

/** The box the wards fill: `width` wide, as tall as their shape needs, at most `maxHeight`. */
export function fitFrame(wards: readonly WardShape[], width: number, maxHeight: number, padding = 8): Frame {
  let west = Infinity;
  let east = -Infinity;
  let south = Infinity;
  let north = -Infinity;
  for (const ward of wards) {
    for (const polygon of ward.polygons) {
      for (const [lon, lat] of polygon[0] ?? []) {
        west = Math.min(west, lon);
        east = Math.max(east, lon);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
    }
  }
  if (!(east > west) || !(north > south)) {
    const height = Math.round(width * 0.6);
    return { width, height, project: () => [width / 2, height / 2] };
  }
  const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = (east - west) * k;
  const spanY = north - south;
  const scale = Math.min((width - 2 * padding) / spanX, (maxHeight - 2 * padding) / spanY);
  const height = Math.ceil(spanY * scale + 2 * padding);
  const offsetX = (width - spanX * scale) / 2;
  return {
    width,
    height,
    project: ([lon, lat]) => [offsetX + (lon - west) * k * scale, padding + (north - lat) * scale],
  };
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Douglas–Peucker: the points that keep the line within `tolerance` of where it was. */
export function simplify(points: readonly Point[], tolerance: number): Point[] {
  if (points.length <= 2) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number];
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const distance = distanceToSegment(points[i] as Point, points[first] as Point, points[last] as Point);
      if (distance > worstDistance) {
        worst = i;
        worstDistance = distance;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** One ring as "M…L…Z", or '' when it shrinks below a visible triangle at this scale. */
export function ringPath(ring: Ring, frame: Frame, tolerance: number): string {
  const simplified = simplify(
    ring.map((position) => frame.project(position)),
    tolerance,
  );
  const points: Point[] = [];
  for (const [x, y] of simplified) {
    const point: Point = [round(x), round(y)];
    const previous = points.at(-1);
    if (!previous || previous[0] !== point[0] || previous[1] !== point[1]) points.push(point);
  }
  const first = points[0];
  const last = points.at(-1);
  if (first && last && points.length > 1 && first[0] === last[0] && first[1] === last[1]) points.pop();
  if (points.length < 3) return '';
  return `M${points.map(([x, y]) => `${x} ${y}`).join('L')}Z`;
}

/** Every ring of the ward as one path (drawn with fill-rule evenodd, so holes stay holes). */
export function wardPath(ward: WardShape, frame: Frame, tolerance = 0.4): string {
  return ward.polygons
    .flatMap((polygon) => polygon.map((ring) => ringPath(ring, frame, tolerance)))
    .filter((part) => part !== '')
    .join('');
}
