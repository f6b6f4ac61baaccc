import type { StyleSpecification } from 'maplibre-gl';
import type { AreaGeography } from '../../core/area.js';

/** Streets with no sensor on them: a quiet grey the coloured streets stand out from. */
export const PLAIN_STREET = '#c9c9c2';

/**
 * The offline basemap: our own wards and streets drawn by MapLibre, with no tiles, fonts or sprites
 * fetched from anywhere. GeoJSON sources take Polygon and MultiPolygon, LineString and
 * MultiLineString alike, and nothing here reads a street's name, so unnamed streets draw the same.
 * Ward boundaries and names, and the streets' colours, are deck.gl layers (layers.ts) drawn over
 * this or over an external style URL when one is configured; deck.gl renders its own font atlas, so
 * the style needs no glyphs either. The area's attribution is the map's custom attribution
 * (main.ts), so it shows over an external style too.
 */
export function offlineStyle(area: AreaGeography | null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    name: 'Smartplace offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef0eb' } }],
  };
  if (!area) return style;
  style.sources = {
    wards: { type: 'geojson', data: area.wards },
    streets: { type: 'geojson', data: area.streets },
  };
  style.layers.push(
    { id: 'ward-fill', type: 'fill', source: 'wards', paint: { 'fill-color': '#f8f8f4', 'fill-opacity': 1 } },
    { id: 'streets-local', type: 'line', source: 'streets', filter: ['!', ['get', 'main']], paint: { 'line-color': PLAIN_STREET, 'line-width': 2.5 } },
    { id: 'streets-main-casing', type: 'line', source: 'streets', filter: ['get', 'main'], paint: { 'line-color': '#b4b0a3', 'line-width': 6 } },
    { id: 'streets-main', type: 'line', source: 'streets', filter: ['get', 'main'], paint: { 'line-color': '#ffffff', 'line-width': 4 } },
  );
  return style;
}
