import { metresPerDegreeLat, metresPerDegreeLon } from './localMetric.js';
import type { PropertyIndex } from './propertyIndex.js';
import type { StreetIndex } from './streetIndex.js';
import type { WardIndex } from './wardIndex.js';

/**
 * A location joined to the area's geography: its ward, nearest street (USRN) and nearest
 * property (UPRN), each null when there is none (outside every ward, or nothing within range).
 */

export interface LocationJoin {
  wardCode: string | null;
  usrn: number | null;
  streetDistanceM: number | null;
  uprn: number | null;
  uprnDistanceM: number | null;
}

/** How far a location may be from a street or a property and still be joined to it; inclusive. */
export interface JoinDistances {
  streetMaxDistanceM: number;
  propertyMaxDistanceM: number;
}

export const DEFAULT_JOIN_DISTANCES: JoinDistances = Object.freeze({ streetMaxDistanceM: 50, propertyMaxDistanceM: 100 });

export class GeographyIndex {
  private readonly wards: WardIndex;
  private readonly streets: StreetIndex;
  private readonly properties: PropertyIndex;
  private readonly streetMaxDistanceM: number;
  private readonly propertyMaxDistanceM: number;

  constructor(parts: { wards: WardIndex; streets: StreetIndex; properties: PropertyIndex }, distances: JoinDistances = DEFAULT_JOIN_DISTANCES) {
    for (const name of ['streetMaxDistanceM', 'propertyMaxDistanceM'] as const) {
      const value = distances[name];
      if (!(value >= 0)) throw new RangeError(`${name} must be a number of metres ≥ 0, not ${String(value)}`);
    }
    this.wards = parts.wards;
    this.streets = parts.streets;
    this.properties = parts.properties;
    this.streetMaxDistanceM = distances.streetMaxDistanceM;
    this.propertyMaxDistanceM = distances.propertyMaxDistanceM;
  }

  resolve(lon: number, lat: number): LocationJoin {
    // One pair of scales serves both searches (localMetric.ts).
    const kx = metresPerDegreeLon(lat);
    const ky = metresPerDegreeLat(lat);
    const street = this.streets.nearestScaled(lon, lat, kx, ky, this.streetMaxDistanceM);
    const property = this.properties.nearestScaled(lon, lat, kx, ky, this.propertyMaxDistanceM);
    return {
      wardCode: this.wards.wardAt(lon, lat)?.code ?? null,
      usrn: street?.usrn ?? null,
      streetDistanceM: street?.distanceM ?? null,
      uprn: property?.uprn ?? null,
      uprnDistanceM: property?.distanceM ?? null,
    };
  }
}

/**
 * UPRNs per USRN: each UPRN counts once for every distinct USRN it is linked to in the OS Open
 * Linked Identifiers; a UPRN with no link counts for its nearest street within maxDistanceM (if any).
 *
 * Only the UPRNs in `properties` count, each once however often it is listed (its first position
 * is used). Links are kept whether or not the street index holds the linked USRN, so the map may
 * name streets outside the index; the caller picks the ones it draws. Inputs are not modified.
 */
export function countUprnsPerStreet(
  properties: { uprns: ArrayLike<number>; lons: ArrayLike<number>; lats: ArrayLike<number> },
  links: { uprns: ArrayLike<number>; usrns: ArrayLike<number> } | null,
  streets: StreetIndex,
  maxDistanceM: number,
): Map<number, number> {
  const listed = new Set<number>();
  for (let i = 0; i < properties.uprns.length; i++) listed.add(properties.uprns[i] as number);
  const linked = new Map<number, Set<number>>();
  if (links) {
    if (links.usrns.length !== links.uprns.length) {
      throw new RangeError(`Links need one USRN per UPRN: ${links.uprns.length} UPRNs, ${links.usrns.length} USRNs`);
    }
    for (let i = 0; i < links.uprns.length; i++) {
      const uprn = links.uprns[i] as number;
      if (!listed.has(uprn)) continue;
      let usrns = linked.get(uprn);
      if (!usrns) linked.set(uprn, (usrns = new Set()));
      usrns.add(links.usrns[i] as number);
    }
  }

  const counts = new Map<number, number>();
  const add = (usrn: number) => counts.set(usrn, (counts.get(usrn) ?? 0) + 1);
  const counted = new Set<number>();
  for (let i = 0; i < properties.uprns.length; i++) {
    const uprn = properties.uprns[i] as number;
    if (counted.has(uprn)) continue;
    counted.add(uprn);
    const usrns = linked.get(uprn);
    if (usrns) {
      for (const usrn of usrns) add(usrn);
      continue;
    }
    const nearest = streets.nearest(properties.lons[i] as number, properties.lats[i] as number, maxDistanceM);
    if (nearest) add(nearest.usrn);
  }
  return counts;
}
