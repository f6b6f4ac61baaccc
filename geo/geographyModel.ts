import type { Feature, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { AreaGeography, GeographyMeta, PropertyPoints, StreetProperties, StreetRecord, WardProperties, WardRecord } from '../core/area.js';
import type { DeviceLocation } from '../core/device.js';
import { GeographyIndex, type JoinDistances, type LocationJoin } from './geographyIndex.js';
import { PropertyIndex } from './propertyIndex.js';
import { StreetIndex } from './streetIndex.js';
import { WardIndex } from './wardIndex.js';

/**
 * The loaded geography as the running product uses it: what the map draws (AreaGeography) and the
 * spatial indexes that join a point to its ward, street and property. Pure: built from values that
 * the caller read from the database.
 */

export type NamedStreet = StreetRecord & Pick<StreetProperties, 'name' | 'uprnCount'>;

export interface GeographyData {
  meta: GeographyMeta;
  wards: readonly WardRecord[];
  streets: readonly NamedStreet[];
  properties: PropertyPoints;
}

export interface Geography {
  version: number;
  area: AreaGeography;
  index: GeographyIndex;
  streets: StreetIndex;
  /** Ward and street names added to a join: what a device's panel shows. */
  describe(join: LocationJoin): DeviceLocation;
  locate(lon: number, lat: number): DeviceLocation;
}

type Box = [number, number, number, number];

function extend(box: Box, positions: Iterable<number[]>): void {
  for (const [lon, lat] of positions) {
    box[0] = Math.min(box[0], lon as number);
    box[1] = Math.min(box[1], lat as number);
    box[2] = Math.max(box[2], lon as number);
    box[3] = Math.max(box[3], lat as number);
  }
}

/** [west, south, east, north] of a polygon's or multipolygon's outer rings (holes lie inside them). */
export function polygonBounds(geometry: Polygon | MultiPolygon): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) extend(box, polygon[0] ?? []);
  return box;
}

/** [west, south, east, north] of the wards, else of the streets; null when there is neither. */
export function geographyBounds(wards: readonly WardRecord[], streets: readonly StreetRecord[]): Box | null {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ward of wards) {
    const [west, south, east, north] = polygonBounds(ward.geometry);
    extend(box, [
      [west, south],
      [east, north],
    ]);
  }
  if (wards.length === 0) {
    for (const street of streets) {
      const lines = street.geometry.type === 'LineString' ? [street.geometry.coordinates] : street.geometry.coordinates;
      for (const line of lines) extend(box, line);
    }
  }
  return Number.isFinite(box[0]) ? box : null;
}

export function buildGeography(data: GeographyData, distances?: JoinDistances): Geography {
  const wardNames = new Map(data.wards.map((ward) => [ward.code, ward.name]));
  const streetNames = new Map(data.streets.map((street) => [street.usrn, street.name]));
  const streets = StreetIndex.build(data.streets);
  const index = new GeographyIndex(
    {
      wards: WardIndex.build(data.wards),
      streets,
      properties: PropertyIndex.build(data.properties.uprns, data.properties.lons, data.properties.lats),
    },
    distances,
  );
  const wardFeatures: Feature<Polygon | MultiPolygon, WardProperties>[] = data.wards.map((ward) => ({
    type: 'Feature',
    properties: { code: ward.code, name: ward.name },
    geometry: ward.geometry,
  }));
  const streetFeatures: Feature<LineString | MultiLineString, StreetProperties>[] = data.streets.map((street) => ({
    type: 'Feature',
    properties: { usrn: street.usrn, name: street.name, streetType: street.streetType, main: street.main, uprnCount: street.uprnCount },
    geometry: street.geometry,
  }));
  const area: AreaGeography = {
    name: data.meta.name,
    synthetic: data.meta.synthetic,
    notice: data.meta.notice,
    attribution: data.meta.attribution,
    bounds: geographyBounds(data.wards, data.streets) ?? [-8.7, 49.8, 1.8, 60.9],
    wards: { type: 'FeatureCollection', features: wardFeatures },
    streets: { type: 'FeatureCollection', features: streetFeatures },
  };
  const describe = (join: LocationJoin): DeviceLocation => ({
    wardCode: join.wardCode,
    wardName: join.wardCode === null ? null : (wardNames.get(join.wardCode) ?? null),
    usrn: join.usrn,
    streetName: join.usrn === null ? null : (streetNames.get(join.usrn) ?? null),
    streetDistanceM: join.streetDistanceM === null ? null : roundMetres(join.streetDistanceM),
    uprn: join.uprn,
    uprnDistanceM: join.uprnDistanceM === null ? null : roundMetres(join.uprnDistanceM),
  });
  return { version: data.meta.version, area, index, streets, describe, locate: (lon, lat) => describe(index.resolve(lon, lat)) };
}

/** Distances are stored and shown to 0.1 m: the projection is good to a few metres, not better. */
function roundMetres(value: number): number {
  return Math.round(value * 10) / 10;
}
