import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';

/** The geography the map draws under the devices: the synthetic demo borough or an imported area. */

export interface WardProperties {
  /** ONS ward code (E05…, W05…); the synthetic demo uses X05…, which ONS never issues. */
  code: string;
  name: string;
}

export interface StreetProperties {
  usrn: number;
  /** From the council's street gazetteer; null when no name was imported for this USRN. */
  name: string | null;
  /** OS Open USRN street type (e.g. "Designated Street Name"), null when unknown. */
  streetType: string | null;
  /** Main roads carry through traffic and are drawn wider; false when unknown (imported streets). */
  main: boolean;
  /** Properties (UPRNs) on this street: from the linked identifiers, else by nearest street. */
  uprnCount: number;
}

export interface AreaGeography {
  name: string;
  /** True for generated demo geography; the UI must say so. */
  synthetic: boolean;
  /** A sentence shown with the map (e.g. that the area is synthetic), or null. */
  notice: string | null;
  /** Attribution for the geography's sources (OGL statements for imported OS/ONS data). */
  attribution: string;
  /** [west, south, east, north], WGS84 degrees. */
  bounds: [number, number, number, number];
  wards: FeatureCollection<Polygon | MultiPolygon, WardProperties>;
  streets: FeatureCollection<LineString | MultiLineString, StreetProperties>;
}

/** Display name for a street that may have no imported name. */
export function streetLabel(street: { usrn: number; name: string | null }): string {
  return street.name ?? `Unnamed street (USRN ${street.usrn})`;
}

/** A ward as stored and indexed: WGS84 geometry. */
export interface WardRecord {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

/** A street as stored: OS Open USRN geometry (WGS84) and type; its name lives apart (StreetName). */
export interface StreetRecord {
  usrn: number;
  streetType: string | null;
  main: boolean;
  geometry: LineString | MultiLineString;
}

/** A street's name from the council's gazetteer. */
export interface StreetName {
  usrn: number;
  name: string;
  locality: string | null;
  town: string | null;
}

/** Properties as parallel arrays: 100,000 UPRNs as objects would cost ten times the memory. */
export interface PropertyPoints {
  uprns: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
}

/** What the geography is called and where it came from (one per database). */
export interface GeographyMeta {
  name: string;
  synthetic: boolean;
  notice: string | null;
  attribution: string;
  version: number;
}
