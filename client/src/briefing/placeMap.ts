import { niceStep } from '../chartGeometry.js';
import { markerPath } from '../compare/trendChart.js';
import { ringPath, simplify, type Frame, type Point } from '../compare/mapGeometry.js';
import { escapeHtml } from '../shared/html.js';
import { formatNumber } from '../shared/format.js';
import type { Position } from '../shared/geometry.js';
import type { Bounds, Briefing, Device, DeviceKind, PlaceShape } from './briefingResponse.js';

/**
 * The small map: the ward's outline (filled light) or the street's line (drawn thick) fitted to the
 * briefing's bounds, the devices as numbered markers (a circle for air quality, a square for
 * traffic, so neither colour nor shape alone tells them apart), and a scale bar. It is a picture
 * with a text alternative; the devices are also in the table under it.
 */

export interface PlaceFrame extends Frame {
  /** Drawing units per metre on the ground. */
  unitsPerMetre: number;
}

const METRES_PER_DEGREE_LAT = 111_320;
/** When the bounds are a point (a one-point street), this much round it, in degrees. */
const MIN_SPAN = 0.002;

export const DEVICE_STYLE: Readonly<Record<DeviceKind, { shape: 'circle' | 'square'; colour: string; name: string; plural: string; key: string; measures: string }>> = {
  air_quality: { shape: 'circle', colour: '#0072B2', name: 'Air-quality monitor', plural: 'air-quality monitors', key: 'Air-quality monitor (circle)', measures: 'Air quality (circle)' },
  traffic: { shape: 'square', colour: '#D55E00', name: 'Traffic counter', plural: 'traffic counters', key: 'Traffic counter (square)', measures: 'Traffic (square)' },
};

const TEXT = '#0b0c0c';
const AREA_FILL = '#d2e2f1';
const AREA_STROKE = '#0b0c0c';
const LINE_COLOUR = '#0b0c0c';
const BACKGROUND = '#f8f8f8';
const MARKER_RADIUS = 9;

/** A box `width` wide that fits `bounds` (and any device outside them), at most `maxHeight` tall. */
export function boundsFrame(bounds: Bounds, positions: readonly Position[], width: number, maxHeight: number, minHeight = 180, padding = 24): PlaceFrame {
  let [west, south, east, north] = bounds;
  for (const [lon, lat] of positions) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  if (!(east - west >= MIN_SPAN)) [west, east] = [(west + east) / 2 - MIN_SPAN / 2, (west + east) / 2 + MIN_SPAN / 2];
  if (!(north - south >= MIN_SPAN)) [south, north] = [(south + north) / 2 - MIN_SPAN / 2, (south + north) / 2 + MIN_SPAN / 2];
  const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = (east - west) * k;
  const spanY = north - south;
  const scale = Math.min((width - 2 * padding) / spanX, (maxHeight - 2 * padding) / spanY);
  const height = Math.ceil(Math.max(minHeight, spanY * scale + 2 * padding));
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  return {
    width,
    height,
    unitsPerMetre: scale / METRES_PER_DEGREE_LAT,
    project: ([lon, lat]) => [offsetX + (lon - west) * k * scale, offsetY + (north - lat) * scale],
  };
}

/** A round length for the scale bar, at most a quarter of the map's width: 50 m, 200 m, 1 km. */
export function scaleBarMetres(frame: PlaceFrame): number {
  const most = frame.width / 4 / frame.unitsPerMetre;
  const step = niceStep(most, 1);
  return step <= most ? step : step / 2;
}

export function formatDistance(metres: number): string {
  return metres >= 1000 ? `${formatNumber(metres / 1000, metres % 1000 === 0 ? 0 : 1)} km` : `${formatNumber(Math.round(metres), 0)} m`;
}

/** The farthest of the nearest devices, or null when the place has its own. */
export function farthestDevice(briefing: Pick<Briefing, 'devices' | 'nearest'>): number | null {
  if (!briefing.nearest) return null;
  const distances = briefing.devices.map((device) => device.distanceM).filter((distance) => distance !== null);
  return distances.length > 0 ? Math.max(...distances) : null;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function linePath(line: readonly Position[], frame: Frame): string {
  const points = simplify(
    line.map((position) => frame.project(position)),
    0.4,
  );
  if (points.length < 2) {
    const only = points[0];
    return only ? `M${round(only[0])} ${round(only[1])}h0.1` : '';
  }
  return `M${points.map(([x, y]) => `${round(x)} ${round(y)}`).join('L')}`;
}

function placePath(shape: PlaceShape, frame: Frame): string {
  switch (shape.type) {
    case 'area':
      return `<path d="${shape.polygons.flatMap((polygon) => polygon.map((ring) => ringPath(ring, frame, 0.4))).join('')}" fill="${AREA_FILL}" fill-rule="evenodd" stroke="${AREA_STROKE}" stroke-width="2" stroke-linejoin="round"/>`;
    case 'line':
      return `<path d="${shape.lines.map((line) => linePath(line, frame)).join('')}" fill="none" stroke="${LINE_COLOUR}" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/>`;
    case 'none':
      return '';
  }
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Where each marker's number goes: right of it, else left, above or below, whichever first clears
 * the markers and the numbers already placed (the right when none does).
 */
export function placeLabels(points: readonly Point[], labels: readonly string[], size: { width: number; height: number }, radius = 8): { x: number; y: number; anchor: 'start' | 'end' | 'middle' }[] {
  const taken: Box[] = points.map(([x, y]) => ({ x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius }));
  return points.map(([x, y], i) => {
    const width = (labels[i] ?? '').length * 11 + 4;
    const height = 18;
    const options = [
      { box: { x: x + radius + 2, y: y - height / 2, width, height }, at: { x: x + radius + 3, y: y + 6, anchor: 'start' as const } },
      { box: { x: x - radius - 2 - width, y: y - height / 2, width, height }, at: { x: x - radius - 3, y: y + 6, anchor: 'end' as const } },
      { box: { x: x - width / 2, y: y - radius - 2 - height, width, height }, at: { x, y: y - radius - 5, anchor: 'middle' as const } },
      { box: { x: x - width / 2, y: y + radius + 2, width, height }, at: { x, y: y + radius + 17, anchor: 'middle' as const } },
    ];
    const inside = (box: Box) => box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
    const free = options.find((option) => inside(option.box) && !taken.some((box) => overlaps(box, option.box))) ?? options.find((option) => inside(option.box)) ?? options[0];
    const chosen = free as (typeof options)[number];
    taken.push(chosen.box);
    return { x: round(chosen.at.x), y: round(chosen.at.y), anchor: chosen.at.anchor };
  });
}

/** The map's text alternative: what is drawn, in a sentence or two. */
export function mapDescription(briefing: Pick<Briefing, 'place' | 'devices' | 'nearest' | 'map'>): string {
  const shape = briefing.map.place.type === 'area' ? 'its boundary, shaded' : briefing.map.place.type === 'line' ? 'the street as a thick line' : 'no outline';
  const kinds = (['air_quality', 'traffic'] as const)
    .map((kind) => ({ kind, n: briefing.devices.filter((device) => device.kind === kind).length }))
    .filter(({ n }) => n > 0)
    .map(({ kind, n }) => `${n} ${n === 1 ? DEVICE_STYLE[kind].name.toLowerCase() : DEVICE_STYLE[kind].plural} (${DEVICE_STYLE[kind].shape === 'circle' ? 'circles' : 'squares'})`);
  const devices = kinds.length > 0 ? `, with ${kinds.join(' and ')}, numbered as in the table below` : ', with no devices';
  const nearest = briefing.nearest && briefing.devices.length > 0 ? ` They are the nearest devices: the ${briefing.place.kind} has none of its own.` : '';
  return `Map of ${briefing.place.name}: ${shape}${devices}.${nearest}`;
}

export interface PlaceMapOptions {
  width: number;
  maxHeight: number;
  id: string;
}

export function placeMapSvg(briefing: Pick<Briefing, 'place' | 'devices' | 'nearest' | 'map'>, options: PlaceMapOptions): string {
  const frame = boundsFrame(
    briefing.map.bounds,
    briefing.devices.map((device): Position => [device.lon, device.lat]),
    options.width,
    options.maxHeight,
  );
  const points = briefing.devices.map((device) => frame.project([device.lon, device.lat]));
  const numbers = briefing.devices.map((_, i) => String(i + 1));
  const labels = placeLabels(points, numbers, frame, MARKER_RADIUS);
  const markers = briefing.devices.map((device, i) => {
    const [x, y] = points[i] as Point;
    const style = DEVICE_STYLE[device.kind];
    const label = labels[i] as (typeof labels)[number];
    const title = `${i + 1}: ${device.name}, ${style.name.toLowerCase()}${device.distanceM !== null ? `, ${formatDistance(device.distanceM)} away` : ''}`;
    return (
      `<g class="app-map-device" data-kind="${device.kind}"><title>${escapeHtml(title)}</title>` +
      `<path d="${markerPath(style.shape, x, y, MARKER_RADIUS)}" fill="${style.colour}" stroke="#ffffff" stroke-width="2"/>` +
      `<text x="${label.x}" y="${label.y}" text-anchor="${label.anchor}" font-size="18" font-weight="700" fill="${TEXT}" stroke="#ffffff" stroke-width="4" paint-order="stroke">${i + 1}</text></g>`
    );
  });
  const metres = scaleBarMetres(frame);
  const barLength = round(metres * frame.unitsPerMetre);
  const barY = frame.height - 14;
  const scale =
    `<g class="app-map-scale"><path d="M12 ${barY - 6}V${barY}H${round(12 + barLength)}V${barY - 6}" fill="none" stroke="${TEXT}" stroke-width="2"/>` +
    `<text x="${round(18 + barLength)}" y="${barY}" font-size="15" fill="${TEXT}" stroke="${BACKGROUND}" stroke-width="3" paint-order="stroke">${formatDistance(metres)}</text></g>`;
  return (
    `<svg id="${options.id}" class="app-place-map__svg" xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}" viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-label="${escapeHtml(mapDescription(briefing))}" font-family="inherit">` +
    `<rect width="${frame.width}" height="${frame.height}" fill="${BACKGROUND}"/>` +
    placePath(briefing.map.place, frame) +
    markers.join('') +
    scale +
    `</svg>`
  );
}

/** A sample of a marker or of the place, for the key. */
function keySample(content: string): string {
  return `<svg class="app-map-key__sample" xmlns="http://www.w3.org/2000/svg" width="28" height="20" viewBox="0 0 28 20" aria-hidden="true" focusable="false">${content}</svg>`;
}

/** The key to the map: what the outline is and each kind of device shown. */
export function mapKeyHtml(briefing: Pick<Briefing, 'place' | 'devices' | 'map'>): string {
  const items: string[] = [];
  const where = briefing.place.kind === 'ward' ? 'The ward' : 'The street';
  if (briefing.map.place.type === 'area') items.push(`${keySample(`<rect x="2" y="2" width="24" height="16" fill="${AREA_FILL}" stroke="${AREA_STROKE}" stroke-width="2"/>`)}<span>${where}</span>`);
  if (briefing.map.place.type === 'line') items.push(`${keySample(`<path d="M3 10H25" stroke="${LINE_COLOUR}" stroke-width="7" stroke-linecap="round"/>`)}<span>${where}</span>`);
  for (const kind of ['air_quality', 'traffic'] as const) {
    if (!briefing.devices.some((device) => device.kind === kind)) continue;
    const style = DEVICE_STYLE[kind];
    items.push(`${keySample(`<path d="${markerPath(style.shape, 14, 10, 7)}" fill="${style.colour}" stroke="#ffffff" stroke-width="2"/>`)}<span>${style.key}</span>`);
  }
  return `<ul class="app-map-key" id="place-map-key" aria-label="Key to the map">${items.map((item) => `<li class="app-map-key__item">${item}</li>`).join('')}</ul>`;
}

/** The sentence under the map when the devices are not the place's own. */
export function nearestNote(briefing: Pick<Briefing, 'place' | 'devices' | 'nearest'>): string {
  const farthest = farthestDevice(briefing);
  if (!briefing.nearest || briefing.devices.length === 0) return '';
  const place = briefing.place.kind === 'ward' ? 'This ward' : 'This street';
  const distance = farthest === null ? '' : `, up to ${formatDistance(farthest)} away`;
  return `<p class="govuk-inset-text app-nearest" id="nearest-note">${place} has no devices of its own. The briefing uses the nearest devices${distance}.</p>`;
}

function captureText(capture: number | null): string {
  return capture === null ? 'Not known' : `${formatNumber(capture, 0)}%`;
}

/** The devices the briefing uses, numbered and marked as on the map. */
export function deviceTableHtml(briefing: Pick<Briefing, 'devices' | 'nearest'>): string {
  if (briefing.devices.length === 0) return `<p class="govuk-body" id="device-table-empty">There are no devices in or near this place, so there is nothing to measure.</p>`;
  const distance = briefing.nearest;
  const head = ['Device', 'Measures', 'Data capture', ...(distance ? ['Distance'] : [])]
    .map((label, i) => `<th scope="col" class="govuk-table__header${i >= 2 ? ' govuk-table__header--numeric' : ''}">${label}</th>`)
    .join('');
  const rows = briefing.devices.map((device: Device, i) => {
    const style = DEVICE_STYLE[device.kind];
    const cells = [
      `<th scope="row" class="govuk-table__header"><span class="app-device">${keySample(`<path d="${markerPath(style.shape, 14, 10, 7)}" fill="${style.colour}" stroke="#ffffff" stroke-width="2"/>`)}<span>${i + 1}. ${escapeHtml(device.name)}</span></span></th>`,
      `<td class="govuk-table__cell">${style.measures}</td>`,
      `<td class="govuk-table__cell govuk-table__cell--numeric">${captureText(device.capture)}</td>`,
      ...(distance ? [`<td class="govuk-table__cell govuk-table__cell--numeric">${device.distanceM === null ? 'Inside' : formatDistance(device.distanceM)}</td>`] : []),
    ];
    return `<tr class="govuk-table__row">${cells.join('')}</tr>`;
  });
  return (
    `<table class="govuk-table app-table app-device-table" id="device-table">` +
    `<caption class="govuk-table__caption govuk-table__caption--s">Devices used in this briefing, numbered as on the map <span class="app-caption-note">Data capture is the share of the expected readings that arrived.</span></caption>` +
    `<thead class="govuk-table__head"><tr class="govuk-table__row">${head}</tr></thead><tbody class="govuk-table__body">${rows.join('')}</tbody></table>`
  );
}
