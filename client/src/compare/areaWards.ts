import { array, boolean, object, oneOf, optional, string } from '../shared/decode.js';
import { position, type Position, type Ring } from '../shared/geometry.js';

/**
 * The ward polygons of `GET /api/v1/area` (with the area's name, notice and attribution; its streets
 * are not used). A Polygon and a
 * MultiPolygon both become a list of polygons (each a list of rings of [lon, lat]), so the map has
 * one shape to draw.
 */

export type { Position, Ring };

export interface WardShape {
  code: string;
  name: string;
  /** Polygons, each an outer ring then its holes; WGS84 lon/lat. */
  polygons: Ring[][];
}

const ring = array(position);
const polygon = array(ring);

const feature = object({
  properties: object({ code: string, name: string }),
  geometry: object({ type: oneOf(['Polygon', 'MultiPolygon']), coordinates: (value: unknown) => value }),
});

const area = object({
  name: string,
  attribution: optional(string),
  notice: optional(string),
  synthetic: optional(boolean),
  wards: object({ features: array(feature) }),
});

export interface AreaWards {
  name: string;
  /** For the exported picture: the boundaries are ONS/OS data under the OGL. */
  attribution: string | null;
  /** A sentence about the area (that it is synthetic), or null. */
  notice: string | null;
  synthetic: boolean;
  wards: WardShape[];
}

export function parseAreaWards(json: unknown): AreaWards {
  const decoded = area(json, '');
  const wards = decoded.wards.features.map((item, i): WardShape => {
    const path = `wards.features[${i}].geometry.coordinates`;
    const { type, coordinates } = item.geometry;
    const polygons = type === 'Polygon' ? [polygon(coordinates, path)] : array(polygon)(coordinates, path);
    return { code: item.properties.code, name: item.properties.name, polygons };
  });
  return { name: decoded.name, attribution: decoded.attribution, notice: decoded.notice, synthetic: decoded.synthetic === true, wards };
}

/** Wards in alphabetical order, as a list of checkboxes wants them. */
export function wardsByName<T extends { name: string }>(wards: readonly T[]): T[] {
  return [...wards].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}
