import type { LineString, MultiLineString, Position } from 'geojson';
import { IndexPlane, metresPerDegreeLat, metresPerDegreeLon, segmentDistanceM } from './localMetric.js';
import { PointGrid } from './pointGrid.js';

/**
 * The nearest street to a WGS84 point. Every segment of every street is cut into pieces at most
 * PIECE_M long, and each piece's midpoint goes into a static uniform grid (pointGrid.ts) on a
 * fixed plane of metres (localMetric.ts IndexPlane). Any point of a piece lies within half its
 * length of its midpoint, so the pieces with a point within R of the query are among those whose
 * midpoints lie within R plus the longest half-piece; each candidate is then measured exactly, with
 * the query's own scales. A first, short reach answers most queries near a street cheaply. The grid
 * measured faster than a kdbush (k-d tree) radius search over the pieces and a Flatbush (R-tree)
 * box search over whole segments on this workload (docs/adr/0009-grid-index-for-nearest-searches.md).
 * Ties on distance go to the smaller USRN.
 */

const PIECE_M = 20;
const FIRST_REACH_M = 15;
/** Grid cells are at least this wide, for the reasons given in propertyIndex.ts. */
const MIN_CELL_M = 40;

export interface StreetShape {
  usrn: number;
  geometry: LineString | MultiLineString;
}

export interface StreetMatch {
  usrn: number;
  distanceM: number;
}

export class StreetIndex {
  /** How many street shapes were indexed (a USRN given twice counts twice). */
  readonly size: number;

  private readonly grid: PointGrid;
  private readonly plane: IndexPlane;
  /** ax, ay, bx, by of each segment (degrees). */
  private readonly segments: Float64Array;
  private readonly segmentUsrn: Float64Array;
  /**
   * The segment each piece was cut from, in the grid's slot order: candidates are measured on
   * whole segments.
   */
  private readonly slotSegment: Uint32Array;
  /** The longest half-piece on the plane, in plane units. */
  private readonly halfPiece: number;

  private constructor(size: number, segments: Float64Array, segmentUsrn: Float64Array) {
    this.size = size;
    this.segments = segments;
    this.segmentUsrn = segmentUsrn;
    const count = segmentUsrn.length;
    const lats = new Float64Array(count * 2);
    for (let s = 0; s < count; s++) {
      lats[s * 2] = segments[s * 4 + 1] as number;
      lats[s * 2 + 1] = segments[s * 4 + 3] as number;
    }
    const plane = IndexPlane.around(lats);
    this.plane = plane;
    // Cut each segment into equal pieces no longer than PIECE_M on the plane.
    const parts = new Uint32Array(count);
    let total = 0;
    for (let s = 0; s < count; s++) {
      const o = s * 4;
      const length = Math.hypot(((segments[o + 2] as number) - (segments[o] as number)) * plane.kx, ((segments[o + 3] as number) - (segments[o + 1] as number)) * plane.ky);
      parts[s] = Math.max(1, Math.ceil(length / PIECE_M));
      total += parts[s] as number;
    }
    const pieces = new Float64Array(total * 4);
    const pieceSegment = new Uint32Array(total);
    let halfPiece = 0;
    let p = 0;
    for (let s = 0; s < count; s++) {
      const o = s * 4;
      const ax = segments[o] as number;
      const ay = segments[o + 1] as number;
      const dx = (segments[o + 2] as number) - ax;
      const dy = (segments[o + 3] as number) - ay;
      const n = parts[s] as number;
      for (let k = 0; k < n; k++) {
        // The last piece ends exactly on the segment's end, so the pieces cover it without gaps.
        const t0 = k / n;
        const t1 = k + 1 === n ? 1 : (k + 1) / n;
        pieces[p * 4] = ax + dx * t0;
        pieces[p * 4 + 1] = ay + dy * t0;
        pieces[p * 4 + 2] = k + 1 === n ? (segments[o + 2] as number) : ax + dx * t1;
        pieces[p * 4 + 3] = k + 1 === n ? (segments[o + 3] as number) : ay + dy * t1;
        pieceSegment[p] = s;
        p++;
      }
    }
    const midX = new Float64Array(total);
    const midY = new Float64Array(total);
    for (let q = 0; q < total; q++) {
      const ax = (pieces[q * 4] as number) * plane.kx;
      const ay = (pieces[q * 4 + 1] as number) * plane.ky;
      const bx = (pieces[q * 4 + 2] as number) * plane.kx;
      const by = (pieces[q * 4 + 3] as number) * plane.ky;
      midX[q] = (ax + bx) / 2;
      midY[q] = (ay + by) / 2;
      halfPiece = Math.max(halfPiece, Math.hypot(bx - ax, by - ay) / 2);
    }
    this.grid = PointGrid.build(midX, midY, MIN_CELL_M);
    this.slotSegment = new Uint32Array(total);
    for (let k = 0; k < total; k++) this.slotSegment[k] = pieceSegment[this.grid.ids[k] as number] as number;
    // Padded so that rounding in the midpoints can never leave a piece out.
    this.halfPiece = halfPiece * (1 + 1e-9) + 1e-9;
  }

  /** Indexes the streets' segments; the input is read, not kept. */
  static build(streets: readonly StreetShape[]): StreetIndex {
    const lines = streets.map((street) => linesOf(street.geometry));
    let count = 0;
    for (const street of lines) for (const line of street) count += segmentCount(line);
    const segments = new Float64Array(count * 4);
    const segmentUsrn = new Float64Array(count);
    let s = 0;
    streets.forEach((street, n) => {
      if (!Number.isFinite(street.usrn)) throw new RangeError(`A street has USRN ${street.usrn}`);
      for (const line of lines[n] as Position[][]) {
        for (let i = 0; i < segmentCount(line); i++) {
          const [ax, ay] = line[i] as Position;
          const [bx, by] = line[Math.min(i + 1, line.length - 1)] as Position;
          if (!Number.isFinite(ax) || !Number.isFinite(ay) || !Number.isFinite(bx) || !Number.isFinite(by)) {
            throw new RangeError(`Street ${street.usrn} has a position that is not a pair of finite numbers`);
          }
          segments[s * 4] = ax as number;
          segments[s * 4 + 1] = ay as number;
          segments[s * 4 + 2] = bx as number;
          segments[s * 4 + 3] = by as number;
          segmentUsrn[s++] = street.usrn;
        }
      }
    });
    return new StreetIndex(streets.length, segments, segmentUsrn);
  }

  /** Nearest street within maxDistanceM metres (distance to the nearest point of any segment), or null. */
  nearest(lon: number, lat: number, maxDistanceM: number): StreetMatch | null {
    return this.nearestScaled(lon, lat, metresPerDegreeLon(lat), metresPerDegreeLat(lat), maxDistanceM);
  }

  /** nearest(), given the scales at `lat` (localMetric.ts), for a caller that already has them. */
  nearestScaled(lon: number, lat: number, kx: number, ky: number, maxDistanceM: number): StreetMatch | null {
    if (this.grid.size === 0 || !(maxDistanceM >= 0) || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    const first = maxDistanceM <= FIRST_REACH_M ? null : this.best(lon, lat, kx, ky, FIRST_REACH_M);
    return first ?? this.best(lon, lat, kx, ky, maxDistanceM);
  }

  private best(lon: number, lat: number, kx: number, ky: number, reachM: number): StreetMatch | null {
    const grid = this.grid;
    const runs = grid.runs;
    const radius = this.plane.searchRadius(reachM, kx, ky) + this.halfPiece;
    const count = grid.search(lon * this.plane.kx, lat * this.plane.ky, radius);
    const segments = this.segments;
    const slotSegment = this.slotSegment;
    let bestM = Number.POSITIVE_INFINITY;
    let bestUsrn = Number.POSITIVE_INFINITY;
    for (let run = 0; run < count; run++) {
      const end = runs[2 * run + 1] as number;
      for (let k = runs[2 * run] as number; k < end; k++) {
        // Measured on the whole segment, so the distance is exactly what a scan of segments computes
        // (a segment met through several pieces is simply measured again).
        const s = slotSegment[k] as number;
        const o = s * 4;
        const d = segmentDistanceM(lon, lat, kx, ky, segments[o] as number, segments[o + 1] as number, segments[o + 2] as number, segments[o + 3] as number);
        if (d <= reachM) {
          const usrn = this.segmentUsrn[s] as number;
          if (d < bestM || (d === bestM && usrn < bestUsrn)) {
            bestM = d;
            bestUsrn = usrn;
          }
        }
      }
    }
    return bestM <= reachM ? { usrn: bestUsrn, distanceM: bestM } : null;
  }
}

/** The lines of a street's geometry: one for a LineString, each part of a MultiLineString. */
export function linesOf(geometry: LineString | MultiLineString): Position[][] {
  return geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * Segments of a line: position i to i + 1; a one-position line is a point, taken as one
 * zero-length segment (from position 0 to itself).
 */
export function segmentCount(line: readonly Position[]): number {
  return line.length === 1 ? 1 : Math.max(line.length - 1, 0);
}
