import { linearScale, valueAxis } from '../chartGeometry.js';
import type { CompareResponse, MonthMean } from './compareResponse.js';
import { decimalsFor, formatMetric, formatMonth, formatNumber, shortMonth, unitHeading, withUnit } from './format.js';
import { escapeHtml } from '../shared/html.js';

/**
 * The selected wards' monthly means as one line chart. Each ward has an Okabe–Ito colour and its own
 * marker shape, so colour is never the only way to tell the lines apart; a month without data is a
 * gap, never a line across it. The colours too pale to reach 3:1 against white get a dark casing.
 */

export const MAX_TREND_WARDS = 8;

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'plus' | 'cross' | 'pentagon';

export interface SeriesStyle {
  colour: string;
  shape: MarkerShape;
  /** Drawn over a dark line, because the colour alone is under 3:1 against white. */
  cased: boolean;
}

/** Okabe–Ito, the colours with at least 3:1 against white first. */
export const SERIES_STYLES: readonly SeriesStyle[] = [
  { colour: '#0072B2', shape: 'circle', cased: false },
  { colour: '#D55E00', shape: 'square', cased: false },
  { colour: '#009E73', shape: 'triangle', cased: false },
  { colour: '#CC79A7', shape: 'diamond', cased: false },
  { colour: '#000000', shape: 'triangle-down', cased: false },
  { colour: '#E69F00', shape: 'plus', cased: true },
  { colour: '#56B4E9', shape: 'cross', cased: true },
  { colour: '#F0E442', shape: 'pentagon', cased: true },
];

const CASING = '#0b0c0c';
const TEXT = '#0b0c0c';
const GRID = '#b1b4b6';

export interface TrendSeries extends SeriesStyle {
  code: string;
  name: string;
  monthly: MonthMean[];
}

/** The selected wards in the order they were picked, with their styles; empty when there are too many. */
export function trendSeries(response: CompareResponse): TrendSeries[] {
  const byCode = new Map(response.wards.map((ward) => [ward.code, ward]));
  const wards = response.selected.map((code) => byCode.get(code)).filter((ward) => ward !== undefined);
  if (wards.length > MAX_TREND_WARDS) return [];
  return wards.map((ward, i) => ({ ...(SERIES_STYLES[i] as SeriesStyle), code: ward.code, name: ward.name, monthly: ward.monthly ?? [] }));
}

/** Every month any series has, in order. */
export function trendMonths(series: readonly TrendSeries[]): string[] {
  return [...new Set(series.flatMap((item) => item.monthly.map((point) => point.month)))].sort();
}

/** Runs of consecutive months with a value: each becomes one stretch of line. */
export function valueRuns(values: readonly (number | null)[]): { start: number; values: number[] }[] {
  const runs: { start: number; values: number[] }[] = [];
  values.forEach((value, i) => {
    if (value === null) return;
    const last = runs.at(-1);
    if (last && last.start + last.values.length === i) last.values.push(value);
    else runs.push({ start: i, values: [value] });
  });
  return runs;
}

function polygon(points: readonly [number, number][]): string {
  return `M${points.map(([x, y]) => `${round(x)} ${round(y)}`).join('L')}Z`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function regular(x: number, y: number, r: number, sides: number, rotation: number): [number, number][] {
  return Array.from({ length: sides }, (_, i) => {
    const angle = rotation + (i * 2 * Math.PI) / sides;
    return [x + r * Math.sin(angle), y - r * Math.cos(angle)] as [number, number];
  });
}

/** A marker of about radius `r` centred on (x, y), as path data. */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  switch (shape) {
    case 'circle':
      return `M${round(x - r)} ${round(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;
    case 'square': {
      const h = r * 0.85;
      return polygon([
        [x - h, y - h],
        [x + h, y - h],
        [x + h, y + h],
        [x - h, y + h],
      ]);
    }
    case 'triangle':
      return polygon(regular(x, y + r * 0.2, r * 1.2, 3, 0));
    case 'triangle-down':
      return polygon(regular(x, y - r * 0.2, r * 1.2, 3, Math.PI));
    case 'diamond':
      return polygon(regular(x, y, r * 1.2, 4, 0));
    case 'pentagon':
      return polygon(regular(x, y, r * 1.05, 5, 0));
    case 'plus':
    case 'cross': {
      const a = r * 0.38;
      const b = r * 1.1;
      const arm: [number, number][] = [
        [-a, -b],
        [a, -b],
        [a, -a],
        [b, -a],
        [b, a],
        [a, a],
        [a, b],
        [-a, b],
        [-a, a],
        [-b, a],
        [-b, -a],
        [-a, -a],
      ];
      const turn = shape === 'cross' ? Math.PI / 4 : 0;
      const cos = Math.cos(turn);
      const sin = Math.sin(turn);
      return polygon(arm.map(([dx, dy]) => [x + dx * cos - dy * sin, y + dx * sin + dy * cos]));
    }
  }
}

/** Which months get a label: every one when there is room, else every second or third. */
export function labelEvery(plotWidth: number, months: number): number {
  const perMonth = plotWidth / Math.max(months, 1);
  return perMonth >= 40 ? 1 : perMonth >= 20 ? 2 : 3;
}

export interface TrendOptions {
  width: number;
  height: number;
  label: string;
  unit: string;
  metric: CompareResponse['metric'];
  titleId: string;
  descriptionId: string;
}

export function trendSvg(series: readonly TrendSeries[], options: TrendOptions): string {
  const months = trendMonths(series);
  const box = { left: 52, right: options.width - 16, top: 34, bottom: options.height - 44 };
  const values = series.flatMap((item) => item.monthly.map((point) => point.mean)).filter((value) => value !== null);
  const axis = valueAxis(values);
  const y = linearScale(axis.domain, [box.bottom, box.top]);
  const band = (box.right - box.left) / Math.max(months.length, 1);
  const x = (i: number) => box.left + (i + 0.5) * band;
  const decimals = Math.max(0, ...axis.ticks.map((tick) => (String(tick).split('.')[1] ?? '').length));
  const parts: string[] = [];

  parts.push(`<text x="${box.left - 44}" y="16" font-size="14" fill="${TEXT}">Monthly mean ${escapeHtml(unitHeading(options.unit))}</text>`);
  for (const tick of axis.ticks) {
    const at = round(y(tick));
    parts.push(`<line x1="${box.left}" x2="${box.right}" y1="${at}" y2="${at}" stroke="${GRID}" stroke-width="1"/>`);
    parts.push(`<text x="${box.left - 6}" y="${at + 5}" font-size="14" text-anchor="end" fill="${TEXT}">${formatNumber(tick, decimals)}</text>`);
  }
  parts.push(`<line x1="${box.left}" x2="${box.right}" y1="${box.bottom}" y2="${box.bottom}" stroke="${TEXT}" stroke-width="1"/>`);
  const every = labelEvery(box.right - box.left, months.length);
  let labelledYear = '';
  months.forEach((month, i) => {
    // Count from the last month, so the latest always has its label.
    if ((months.length - 1 - i) % every !== 0) return;
    // The year under the first label and wherever it changes.
    const showYear = month.slice(0, 4) !== labelledYear;
    labelledYear = month.slice(0, 4);
    parts.push(`<line x1="${round(x(i))}" x2="${round(x(i))}" y1="${box.bottom}" y2="${box.bottom + 5}" stroke="${TEXT}"/>`);
    parts.push(`<text x="${round(x(i))}" y="${box.bottom + 20}" font-size="13" text-anchor="middle" fill="${TEXT}">${shortMonth(month)}</text>`);
    if (showYear) parts.push(`<text x="${round(x(i))}" y="${box.bottom + 36}" font-size="13" text-anchor="middle" fill="${TEXT}">${month.slice(0, 4)}</text>`);
  });

  for (const item of series) {
    const byMonth = new Map(item.monthly.map((point) => [point.month, point.mean]));
    const monthValues = months.map((month) => byMonth.get(month) ?? null);
    const lines = valueRuns(monthValues)
      .filter((run) => run.values.length > 1)
      .map((run) => `M${run.values.map((value, j) => `${round(x(run.start + j))} ${round(y(value))}`).join('L')}`)
      .join('');
    const markers = monthValues.map((value, i) => {
      if (value === null) return '';
      const title = `${item.name}, ${formatMonth(months[i] as string)}: ${withUnit(formatMetric(value, options.metric), options.unit)}`;
      return `<path d="${markerPath(item.shape, x(i), y(value), 5)}" fill="${item.colour}" stroke="${item.cased ? CASING : '#ffffff'}" stroke-width="1.25"><title>${escapeHtml(title)}</title></path>`;
    });
    const casing = item.cased && lines ? `<path d="${lines}" fill="none" stroke="${CASING}" stroke-width="4.5" stroke-linejoin="round" stroke-linecap="round"/>` : '';
    const line = lines ? `<path d="${lines}" fill="none" stroke="${item.colour}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>` : '';
    parts.push(`<g data-code="${escapeHtml(item.code)}">${casing}${line}${markers.join('')}</g>`);
  }

  const first = months[0];
  const last = months.at(-1);
  const span = first && last ? ` from ${formatMonth(first)} to ${formatMonth(last)}` : '';
  const title = `${options.label}: monthly mean for ${series.length} ${series.length === 1 ? 'ward' : 'wards'}${span}`;
  const description = 'Each ward is a line with its own colour and marker shape; a month without data is a gap. The table under the chart gives the same figures.';
  return (
    `<svg id="trend-chart-svg" class="app-trend__svg" xmlns="http://www.w3.org/2000/svg" width="${options.width}" height="${options.height}" viewBox="0 0 ${options.width} ${options.height}" role="img" aria-labelledby="${options.titleId}" aria-describedby="${options.descriptionId}" font-family="inherit">` +
    `<title id="${options.titleId}">${escapeHtml(title)}</title><desc id="${options.descriptionId}">${escapeHtml(description)}</desc>` +
    parts.join('') +
    `</svg>`
  );
}

/** A sample of the ward's line and marker, for the legend. */
export function seriesSample(style: SeriesStyle): string {
  const casing = style.cased ? `<path d="M2 10H38" stroke="${CASING}" stroke-width="4.5" stroke-linecap="round"/>` : '';
  return (
    `<svg class="app-trend-legend__sample" xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20" aria-hidden="true" focusable="false">` +
    `${casing}<path d="M2 10H38" stroke="${style.colour}" stroke-width="2.5" stroke-linecap="round"/>` +
    `<path d="${markerPath(style.shape, 20, 10, 6)}" fill="${style.colour}" stroke="${style.cased ? CASING : '#ffffff'}" stroke-width="1.25"/></svg>`
  );
}

export function trendLegendHtml(series: readonly TrendSeries[]): string {
  const items = series.map((item) => `<li class="app-trend-legend__item">${seriesSample(item)}<span>${escapeHtml(item.name)}</span></li>`);
  return `<ul class="app-trend-legend" id="trend-legend" aria-label="Key to the lines">${items.join('')}</ul>`;
}

/** The chart's figures as a table: a row a month, a column a ward. */
export function trendTableHtml(series: readonly TrendSeries[], response: Pick<CompareResponse, 'label' | 'unit' | 'metric'>): string {
  const months = trendMonths(series);
  const unit = escapeHtml(unitHeading(response.unit));
  const head = series.map((item) => `<th scope="col" class="govuk-table__header govuk-table__header--numeric">${escapeHtml(item.name)} ${unit}</th>`).join('');
  const rows = months.map((month) => {
    const cells = series.map((item) => {
      const value = item.monthly.find((point) => point.month === month)?.mean ?? null;
      return `<td class="govuk-table__cell govuk-table__cell--numeric">${value === null ? 'No data' : formatNumber(value, decimalsFor(response.metric))}</td>`;
    });
    return `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${formatMonth(month)}</th>${cells.join('')}</tr>`;
  });
  return (
    `<table class="govuk-table app-table" id="trend-table"><caption class="govuk-table__caption govuk-table__caption--s">${escapeHtml(response.label)}: monthly mean of each selected ward ${unit}</caption>` +
    `<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Month</th>${head}</tr></thead>` +
    `<tbody class="govuk-table__body">${rows.join('')}</tbody></table>`
  );
}
