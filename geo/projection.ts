import type { Geometry, Position } from 'geojson';
import proj4 from 'proj4';

/**
 * British National Grid (EPSG:27700, OSGB36 / Airy 1830) ↔ WGS84, through proj4 with the published
 * seven-parameter Helmert transformation. Accuracy: a few metres (3.5 m measured at OS's Caister
 * water tower test point; OS quote up to ~5 m for this method across Great Britain) — ample for
 * wards, nearest streets and nearest properties, not for surveying. OSTN15 (centimetres) would need
 * OS's 15 MB grid file; see docs/geography.md.
 */

const BNG =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs +type=crs';

const converter = proj4(BNG, 'WGS84');

/** Easting/northing in metres → [longitude, latitude] in WGS84 degrees. */
export function bngToWgs84(easting: number, northing: number): [number, number] {
  const [lon, lat] = converter.forward([easting, northing]) as [number, number];
  return [lon, lat];
}

/** [longitude, latitude] in WGS84 degrees → easting/northing in metres. */
export function wgs84ToBng(lon: number, lat: number): [number, number] {
  const [x, y] = converter.inverse([lon, lat]) as [number, number];
  return [x, y];
}

/** Rounds degrees to 7 decimal places (~1 cm), the precision we store and serve. */
export function roundDegrees(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** A new geometry with every position mapped; the input is not mutated. */
export function mapPositions<G extends Geometry>(geometry: G, map: (position: Position) => Position): G {
  const ring = (positions: Position[]) => positions.map(map);
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: map(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: ring(geometry.coordinates) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map(ring) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(ring)) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map((part) => mapPositions(part, map)) };
  }
}

/** A British National Grid geometry in WGS84, rounded to ~1 cm. */
export function geometryBngToWgs84<G extends Geometry>(geometry: G): G {
  return mapPositions(geometry, ([x, y]) => {
    const [lon, lat] = bngToWgs84(x as number, y as number);
    return [roundDegrees(lon), roundDegrees(lat)];
  });
}
