import type { WardShape } from './areaWards.js';
import { NO_DATA_FILL, NO_DATA_HATCH, classColour, classIndex, safeColour } from './classes.js';
import type { CompareResponse, WardResult } from './compareResponse.js';
import { formatMetric, withUnit } from './format.js';
import { escapeHtml } from '../shared/html.js';
import { fitFrame, wardPath } from './mapGeometry.js';

/**
 * The choropleth as markup, a pure function of the ward shapes and the server's answer: the same
 * drawing goes on the page and, at a larger size with its legend, into the PNG. A ward is filled from
 * the server's classes, hatched when it has no data, and given a cased outline when selected.
 */

export const BORDER = '#505a5f';
/** Selected wards: a thick dark line with a white core, visible on the palest and the darkest fill. */
export const SELECTED_OUTER = '#0b0c0c';
export const SELECTED_INNER = '#ffffff';

export interface MapShape {
  code: string;
  name: string;
  d: string;
}

export interface MapModel {
  width: number;
  height: number;
  shapes: MapShape[];
}

/** Projected, simplified paths; worth keeping while the area and the size stay the same. */
export function mapModel(wards: readonly WardShape[], width: number, maxHeight: number): MapModel {
  const frame = fitFrame(wards, width, maxHeight);
  const shapes = wards.map((ward) => ({ code: ward.code, name: ward.name, d: wardPath(ward, frame) })).filter((shape) => shape.d !== '');
  return { width: frame.width, height: frame.height, shapes };
}

/** "Altrincham: 31.2 µg/m³, rank 1 of 21", the ward's tooltip and the words for its colour. */
export function wardTitle(name: string, ward: WardResult | undefined, response: CompareResponse): string {
  if (!ward || ward.mean === null) return `${name}: no data`;
  const ranked = response.wards.filter((item) => item.rank !== null).length;
  const rank = ward.rank === null ? '' : `, rank ${ward.rank} of ${ranked}`;
  const selected = ward.selected && !response.all ? ' (selected)' : '';
  return `${name}: ${withUnit(formatMetric(ward.mean, response.metric), response.unit)}${rank}${selected}`;
}

function hatchPattern(id: string): string {
  return `<pattern id="${id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="${NO_DATA_FILL}"/><line x1="1.5" y1="0" x2="1.5" y2="6" stroke="${NO_DATA_HATCH}" stroke-width="1.5"/></pattern>`;
}

/**
 * The map's shapes, for an <svg> or a <g>: `idPrefix` keeps the hatch pattern's id unique when the
 * same drawing appears twice in one document.
 */
export function mapShapesMarkup(model: MapModel, response: CompareResponse, idPrefix: string): string {
  const byCode = new Map(response.wards.map((ward) => [ward.code, ward]));
  const hatch = `${idPrefix}-no-data`;
  const fills = model.shapes.map((shape) => {
    const ward = byCode.get(shape.code);
    const fill = classColour(ward?.mean ?? null, response.breaks.classes) ?? `url(#${hatch})`;
    return `<path d="${shape.d}" fill="${fill}" data-code="${escapeHtml(shape.code)}"><title>${escapeHtml(wardTitle(shape.name, ward, response))}</title></path>`;
  });
  // Outlines go on top of every fill, so a neighbour never covers half of one.
  const outlines = response.all
    ? []
    : model.shapes
        .filter((shape) => byCode.get(shape.code)?.selected === true)
        .map(
          (shape) =>
            `<path d="${shape.d}" fill="none" stroke="${SELECTED_OUTER}" stroke-width="5" stroke-linejoin="round"/><path d="${shape.d}" fill="none" stroke="${SELECTED_INNER}" stroke-width="1.5" stroke-linejoin="round"/>`,
        );
  return (
    `<defs>${hatchPattern(hatch)}</defs>` +
    `<g fill-rule="evenodd" stroke="${BORDER}" stroke-width="0.75" stroke-linejoin="round">${fills.join('')}</g>` +
    `<g pointer-events="none">${outlines.join('')}</g>`
  );
}

/**
 * The map for the page. It is an image with a name and a description that points to the ranking
 * table, which holds the same figures: the table is the map's text alternative.
 */
export function mapSvg(model: MapModel, response: CompareResponse, ids: { title: string; description: string }, title: string): string {
  return (
    `<svg id="compare-map-svg" class="app-map__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${model.width} ${model.height}" role="img" aria-labelledby="${ids.title}" aria-describedby="${ids.description}">` +
    `<title id="${ids.title}">${escapeHtml(title)}</title>` +
    mapShapesMarkup(model, response, 'map') +
    `</svg>`
  );
}

export interface LegendEntry {
  kind: 'class' | 'no-data' | 'selected';
  label: string;
  colour: string | null;
  /** Wards drawn with this entry. */
  count: number;
}

/** Every class lowest first, then "No data" and, when wards were picked, the outline. */
export function legendEntries(response: CompareResponse): LegendEntry[] {
  const counts = response.breaks.classes.map(() => 0);
  let noData = 0;
  for (const ward of response.wards) {
    const index = classIndex(ward.mean, response.breaks.classes);
    if (index === null) noData++;
    else counts[index] = (counts[index] ?? 0) + 1;
  }
  const entries: LegendEntry[] = response.breaks.classes.map((item, i) => ({ kind: 'class', label: item.label, colour: safeColour(item.colour), count: counts[i] ?? 0 }));
  entries.push({ kind: 'no-data', label: 'No data', colour: null, count: noData });
  if (!response.all) entries.push({ kind: 'selected', label: 'Selected ward (thick outline)', colour: null, count: response.wards.filter((ward) => ward.selected).length });
  return entries;
}

export function wardCount(count: number): string {
  return `${count} ${count === 1 ? 'ward' : 'wards'}`;
}

/** A legend swatch as a small SVG, which prints (CSS backgrounds do not). */
export function swatchSvg(entry: LegendEntry, idPrefix: string): string {
  const open = '<svg class="app-legend__swatch" xmlns="http://www.w3.org/2000/svg" width="32" height="24" viewBox="0 0 32 24" aria-hidden="true" focusable="false">';
  switch (entry.kind) {
    case 'class':
      return `${open}<rect x="0.5" y="0.5" width="31" height="23" fill="${entry.colour ?? NO_DATA_FILL}" stroke="${BORDER}"/></svg>`;
    case 'no-data':
      return `${open}<defs>${hatchPattern(`${idPrefix}-hatch`)}</defs><rect x="0.5" y="0.5" width="31" height="23" fill="url(#${idPrefix}-hatch)" stroke="${BORDER}"/></svg>`;
    case 'selected':
      return `${open}<rect x="3" y="3" width="26" height="18" fill="#ffffff" stroke="${SELECTED_OUTER}" stroke-width="5"/><rect x="3" y="3" width="26" height="18" fill="none" stroke="${SELECTED_INNER}" stroke-width="1.5"/></svg>`;
  }
}

/** The legend under the map: every class with its label and how many wards are in it. */
export function legendHtml(response: CompareResponse): string {
  const items = legendEntries(response).map(
    (entry, i) => `<li class="app-legend__item">${swatchSvg(entry, `legend-${i}`)}<span>${escapeHtml(entry.label)} <span class="app-legend__count">(${wardCount(entry.count)})</span></span></li>`,
  );
  return (
    `<h3 class="govuk-heading-s" id="map-legend-heading">Key: ward mean ${escapeHtml(legendUnit(response))}</h3>` +
    `<ul class="app-legend" id="map-legend-list" aria-labelledby="map-legend-heading">${items.join('')}</ul>` +
    `<p class="govuk-body-s" id="map-explanation">${escapeHtml(response.breaks.explanation)}</p>`
  );
}

function legendUnit(response: CompareResponse): string {
  return response.unit === 'index' ? '(index)' : `(${response.unit})`;
}
