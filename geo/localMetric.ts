/**
 * Metres from WGS84 degrees for short distances: a local equirectangular plane at the query's
 * latitude, scaled by the WGS84 ellipsoid's radii of curvature there (meridional M for latitude,
 * prime vertical N·cos φ for longitude). The scale is exact at the query point; the only error is
 * the change of the longitude scale with latitude along the way, at worst 0.005 % at 1 km and
 * 0.03 % at 5 km anywhere in Great Britain (largest in Shetland), measured against Vincenty's
 * geodesic in geo/localMetric.test.ts. Cheaper than projecting to British National Grid, whose own
 * scale error reaches 0.04 % at the central meridian and more at the edges. The same functions
 * serve the indexes and the naive scans, so both compute bit-identical distances.
 */

const A = 6_378_137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const RADIANS = Math.PI / 180;

/** Metres per degree of latitude at latitude `lat` (degrees). */
export function metresPerDegreeLat(lat: number): number {
  const s = Math.sin(lat * RADIANS);
  const w = 1 - E2 * s * s;
  return ((A * (1 - E2)) / (w * Math.sqrt(w))) * RADIANS;
}

/** Metres per degree of longitude at latitude `lat` (degrees). */
export function metresPerDegreeLon(lat: number): number {
  const phi = lat * RADIANS;
  const s = Math.sin(phi);
  return (A / Math.sqrt(1 - E2 * s * s)) * Math.cos(phi) * RADIANS;
}

/**
 * Distance in metres from (lon, lat) to the point (x, y), given the scales at `lat`
 * (`kx` = metresPerDegreeLon(lat), `ky` = metresPerDegreeLat(lat), passed in so a caller
 * measuring many candidates computes them once).
 */
export function pointDistanceM(lon: number, lat: number, kx: number, ky: number, x: number, y: number): number {
  const dx = (x - lon) * kx;
  const dy = (y - lat) * ky;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Distance in metres from (lon, lat) to the nearest point of the segment (ax, ay)–(bx, by). */
export function segmentDistanceM(
  lon: number,
  lat: number,
  kx: number,
  ky: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const ux = (bx - ax) * kx;
  const uy = (by - ay) * ky;
  const wx = (lon - ax) * kx;
  const wy = (lat - ay) * ky;
  const length2 = ux * ux + uy * uy;
  let t = length2 > 0 ? (wx * ux + wy * uy) / length2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const dx = wx - t * ux;
  const dy = wy - t * uy;
  return Math.sqrt(dx * dx + dy * dy);
}

/** Distance in metres from (lon, lat) to the nearest point of some lines (a street's). */
export function linesDistanceM(lon: number, lat: number, lines: readonly (readonly (readonly number[])[])[]): number {
  const kx = metresPerDegreeLon(lat);
  const ky = metresPerDegreeLat(lat);
  let best = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    if (line.length === 1) best = Math.min(best, pointDistanceM(lon, lat, kx, ky, line[0]?.[0] as number, line[0]?.[1] as number));
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1] as readonly number[];
      const b = line[i] as readonly number[];
      best = Math.min(best, segmentDistanceM(lon, lat, kx, ky, a[0] as number, a[1] as number, b[0] as number, b[1] as number));
    }
  }
  return best;
}

/**
 * `distanceM` metres as degrees at scale `k` (metres per degree), padded a little so that a search
 * box built from it can never leave out, through rounding, a point within `distanceM`.
 */
export function paddedDegrees(distanceM: number, k: number): number {
  return (distanceM / k) * (1 + 1e-9) + 1e-12;
}

/**
 * A fixed plane for a spatial index: x = lon · kx₀, y = lat · ky₀, with the scales at a reference
 * latitude (the data's middle). Measured distances always use the query's own scales (above); the
 * plane only chooses candidates, so `searchRadius` widens a radius by however much the plane's
 * scales exceed the query's, which makes the candidates a superset of the true answers anywhere.
 */
export class IndexPlane {
  readonly kx: number;
  readonly ky: number;

  constructor(referenceLat: number) {
    this.kx = metresPerDegreeLon(referenceLat);
    this.ky = metresPerDegreeLat(referenceLat);
  }

  /** The middle latitude of a set of latitudes (0 for none). */
  static around(lats: ArrayLike<number>): IndexPlane {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < lats.length; i++) {
      min = Math.min(min, lats[i] as number);
      max = Math.max(max, lats[i] as number);
    }
    return new IndexPlane(lats.length === 0 ? 0 : (min + max) / 2);
  }

  /** Plane units to search so that every point within `distanceM` of a query at `lat` is found. */
  searchRadius(distanceM: number, kx: number, ky: number): number {
    return distanceM * Math.max(1, this.kx / kx, this.ky / ky) * (1 + 1e-9) + 1e-9;
  }
}
