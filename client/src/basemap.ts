import type { StyleSpecification } from 'maplibre-gl';
import type { AreaGeography } from '../../core/area.js';

/**
 * The offline basemap: our own wards and streets drawn by MapLibre, with no tiles, fonts or sprites
 * fetched from anywhere. Labels are drawn by deck.gl (which renders its own font atlas), so the
 * style needs no glyphs either. An external style URL replaces this when configured.
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
    wards: { type: 'geojson', data: area.wards, attribution: area.attribution },
    streets: { type: 'geojson', data: area.streets },
  };
  style.layers.push(
    { id: 'ward-fill', type: 'fill', source: 'wards', paint: { 'fill-color': '#f8f8f4', 'fill-opacity': 1 } },
    { id: 'streets-local', type: 'line', source: 'streets', filter: ['!', ['get', 'main']], paint: { 'line-color': '#c9c9c2', 'line-width': 2.5 } },
    { id: 'streets-main-casing', type: 'line', source: 'streets', filter: ['get', 'main'], paint: { 'line-color': '#b4b0a3', 'line-width': 6 } },
    { id: 'streets-main', type: 'line', source: 'streets', filter: ['get', 'main'], paint: { 'line-color': '#ffffff', 'line-width': 4 } },
    { id: 'ward-outline', type: 'line', source: 'wards', paint: { 'line-color': '#5b5f97', 'line-width': 1.5 } },
  );
  return style;
}
