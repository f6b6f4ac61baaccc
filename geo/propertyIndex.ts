import { IndexPlane, metresPerDegreeLat, metresPerDegreeLon, pointDistanceM } from './localMetric.js';
import { PointGrid } from './pointGrid.js';

/**
 * The nearest property (UPRN) to a WGS84 point: the points in a static uniform grid (pointGrid.ts)
 * on a fixed plane of metres (localMetric.ts IndexPlane); a query measures, with its own latitude's
 * scales, the points near enough to be within FIRST_REACH_M and, only if none is that near, those
 * near enough to be within the full distance — in built-up areas most places have a property
 * within a few tens of metres. The grid measured faster than kdbush and Flatbush on this workload
 * (docs/adr/0009-grid-index-for-nearest-searches.md). Ties on distance — common, as the flats of a
 * block share one position — go to the smaller UPRN.
 */

const FIRST_REACH_M = 40;
/**
 * Grid cells are at least this wide (larger where the area is sparse: pointGrid.ts). Cells of
 * 20–30 m made resolve() slower than 40–65 m ones: a search then reads more rows of cells, and
 * the ward, street and property indexes compete for the cache.
 */
const MIN_CELL_M = 40;

export interface PropertyMatch {
  uprn: number;
  distanceM: number;
}

export class PropertyIndex {
  /** How many properties were indexed. */
  readonly size: number;

  private readonly grid: PointGrid;
  private readonly plane: IndexPlane;
  /** The properties in the grid's slot order, so a cell's are measured from consecutive memory. */
  private readonly uprns: Float64Array;
  private readonly lons: Float64Array;
  private readonly lats: Float64Array;

  private constructor(uprns: Float64Array, lons: Float64Array, lats: Float64Array) {
    const n = uprns.length;
    this.size = n;
    const plane = IndexPlane.around(lats);
    this.plane = plane;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = (lons[i] as number) * plane.kx;
      ys[i] = (lats[i] as number) * plane.ky;
    }
    this.grid = PointGrid.build(xs, ys, MIN_CELL_M);
    const ids = this.grid.ids;
    this.uprns = new Float64Array(n);
    this.lons = new Float64Array(n);
    this.lats = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = ids[k] as number;
      this.uprns[k] = uprns[i] as number;
      this.lons[k] = lons[i] as number;
      this.lats[k] = lats[i] as number;
    }
  }

  /** Indexes copies of the three parallel arrays (UPRNs are integers up to 12 digits). */
  static build(uprns: ArrayLike<number>, lons: ArrayLike<number>, lats: ArrayLike<number>): PropertyIndex {
    if (lons.length !== uprns.length || lats.length !== uprns.length) {
      throw new RangeError(`Properties need one lon and one lat per UPRN: ${uprns.length} UPRNs, ${lons.length} lons, ${lats.length} lats`);
    }
    const copies = [Float64Array.from(uprns), Float64Array.from(lons), Float64Array.from(lats)] as const;
    for (const values of copies) {
      const bad = values.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) throw new RangeError(`Property ${bad} (UPRN ${copies[0][bad]}) has a value that is not a finite number`);
    }
    return new PropertyIndex(...copies);
  }

  /** Nearest property within maxDistanceM metres, or null. */
  nearest(lon: number, lat: number, maxDistanceM: number): PropertyMatch | null {
    return this.nearestScaled(lon, lat, metresPerDegreeLon(lat), metresPerDegreeLat(lat), maxDistanceM);
  }

  /** nearest(), given the scales at `lat` (localMetric.ts), for a caller that already has them. */
  nearestScaled(lon: number, lat: number, kx: number, ky: number, maxDistanceM: number): PropertyMatch | null {
    if (this.size === 0 || !(maxDistanceM >= 0) || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    // Every point within FIRST_REACH_M is among the first candidates, so a best that near is the best overall.
    const first = maxDistanceM <= FIRST_REACH_M ? null : this.best(lon, lat, kx, ky, FIRST_REACH_M);
    return first ?? this.best(lon, lat, kx, ky, maxDistanceM);
  }

  private best(lon: number, lat: number, kx: number, ky: number, reachM: number): PropertyMatch | null {
    const grid = this.grid;
    const runs = grid.runs;
    const count = grid.search(lon * this.plane.kx, lat * this.plane.ky, this.plane.searchRadius(reachM, kx, ky));
    const lons = this.lons;
    const lats = this.lats;
    let bestM = Number.POSITIVE_INFINITY;
    let bestUprn = Number.POSITIVE_INFINITY;
    for (let run = 0; run < count; run++) {
      const end = runs[2 * run + 1] as number;
      for (let k = runs[2 * run] as number; k < end; k++) {
        const d = pointDistanceM(lon, lat, kx, ky, lons[k] as number, lats[k] as number);
        if (d <= reachM) {
          const uprn = this.uprns[k] as number;
          if (d < bestM || (d === bestM && uprn < bestUprn)) {
            bestM = d;
            bestUprn = uprn;
          }
        }
      }
    }
    return bestM <= reachM ? { uprn: bestUprn, distanceM: bestM } : null;
  }
}
