import type { Position } from 'geojson';
import { DEFAULT_JOIN_DISTANCES, type JoinDistances, type LocationJoin } from './geographyIndex.js';
import { metresPerDegreeLat, metresPerDegreeLon, pointDistanceM, segmentDistanceM } from './localMetric.js';
import { linesOf, segmentCount, type StreetShape } from './streetIndex.js';
import { orientation, polygonsOf, type WardShape } from './wardIndex.js';

/**
 * The obvious linear scans, with the same rules as the indexes: the oracle their tests compare
 * against and the baseline of bench/joins.ts. Every query visits every ring of every ward, every
 * segment of every street, every property. They share with the indexes only the exact orientation
 * sign and the distance formula, so that both sides compute bit-identical numbers.
 */

export interface NaiveProperties {
  uprns: ArrayLike<number>;
  lons: ArrayLike<number>;
  lats: ArrayLike<number>;
}

/** Ray casting over every ring: the first ward by code (then input order) whose closed region holds the point. */
export function naiveWardAt(wards: readonly WardShape[], lon: number, lat: number): WardShape | null {
  let best: WardShape | null = null;
  for (const ward of wards) {
    if (wardContains(ward, lon, lat) && (best === null || ward.code < best.code)) best = ward;
  }
  return best;
}

/** Inside, or on the boundary of, any polygon of the ward. */
function wardContains(ward: WardShape, x: number, y: number): boolean {
  for (const polygon of polygonsOf(ward.geometry)) {
    let inside = false;
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[j] as Position;
        const b = ring[i] as Position;
        const ax = a[0] as number;
        const ay = a[1] as number;
        const bx = b[0] as number;
        const by = b[1] as number;
        const inBox = (ay < by ? ay <= y && y <= by : by <= y && y <= ay) && (ax < bx ? ax <= x && x <= bx : bx <= x && x <= ax);
        if (inBox && orientation(ax, ay, bx, by, x, y) === 0) return true;
        // The edge crosses the eastward ray when its ends lie on either side of the ray's line (a
        // vertex on the line counts as below it) and the point is on the west side of the edge.
        if (ay > y !== by > y) {
          const side = orientation(ax, ay, bx, by, x, y);
          if (by > ay ? side > 0 : side < 0) inside = !inside;
        }
      }
    }
    if (inside) return true;
  }
  return false;
}

/** Every segment of every street: the nearest within maxDistanceM, ties to the smaller USRN. */
export function naiveNearestStreet(
  streets: readonly StreetShape[],
  lon: number,
  lat: number,
  maxDistanceM: number,
): { usrn: number; distanceM: number } | null {
  const kx = metresPerDegreeLon(lat);
  const ky = metresPerDegreeLat(lat);
  let best: { usrn: number; distanceM: number } | null = null;
  for (const street of streets) {
    for (const line of linesOf(street.geometry)) {
      for (let i = 0; i < segmentCount(line); i++) {
        const [ax, ay] = line[i] as Position;
        const [bx, by] = line[Math.min(i + 1, line.length - 1)] as Position;
        const d = segmentDistanceM(lon, lat, kx, ky, ax as number, ay as number, bx as number, by as number);
        if (d <= maxDistanceM && (best === null || d < best.distanceM || (d === best.distanceM && street.usrn < best.usrn))) {
          best = { usrn: street.usrn, distanceM: d };
        }
      }
    }
  }
  return best;
}

/** Every property: the nearest within maxDistanceM, ties to the smaller UPRN. */
export function naiveNearestProperty(
  properties: NaiveProperties,
  lon: number,
  lat: number,
  maxDistanceM: number,
): { uprn: number; distanceM: number } | null {
  const kx = metresPerDegreeLon(lat);
  const ky = metresPerDegreeLat(lat);
  let best: { uprn: number; distanceM: number } | null = null;
  for (let i = 0; i < properties.uprns.length; i++) {
    const d = pointDistanceM(lon, lat, kx, ky, properties.lons[i] as number, properties.lats[i] as number);
    const uprn = properties.uprns[i] as number;
    if (d <= maxDistanceM && (best === null || d < best.distanceM || (d === best.distanceM && uprn < best.uprn))) {
      best = { uprn, distanceM: d };
    }
  }
  return best;
}

/** GeographyIndex.resolve by linear scans. */
export function naiveResolve(
  geography: { wards: readonly WardShape[]; streets: readonly StreetShape[]; properties: NaiveProperties },
  lon: number,
  lat: number,
  distances: JoinDistances = DEFAULT_JOIN_DISTANCES,
): LocationJoin {
  const street = naiveNearestStreet(geography.streets, lon, lat, distances.streetMaxDistanceM);
  const property = naiveNearestProperty(geography.properties, lon, lat, distances.propertyMaxDistanceM);
  return {
    wardCode: naiveWardAt(geography.wards, lon, lat)?.code ?? null,
    usrn: street?.usrn ?? null,
    streetDistanceM: street?.distanceM ?? null,
    uprn: property?.uprn ?? null,
    uprnDistanceM: property?.distanceM ?? null,
  };
}
