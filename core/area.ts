import type { FeatureCollection, LineString, Polygon } from 'geojson';

/** The geography the map draws under the devices: the demo borough, or (later) an imported area. */

export interface WardProperties {
  /** ONS ward code (E05…, W05…); the synthetic demo uses X05…, which ONS never issues. */
  code: string;
  name: string;
}

export interface StreetProperties {
  usrn: number;
  name: string;
  /** Main roads carry through traffic; local streets do not. */
  main: boolean;
}

export interface AreaGeography {
  name: string;
  /** True for generated demo geography; the UI must say so. */
  synthetic: boolean;
  /** A sentence shown with the map (e.g. that the area is synthetic), or null. */
  notice: string | null;
  /** Attribution for the geography's source. */
  attribution: string;
  /** [west, south, east, north], WGS84 degrees. */
  bounds: [number, number, number, number];
  wards: FeatureCollection<Polygon, WardProperties>;
  streets: FeatureCollection<LineString, StreetProperties>;
}
