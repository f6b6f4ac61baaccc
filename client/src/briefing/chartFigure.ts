import { linearScale, valueAxis, type Box } from '../chartGeometry.js';
import { escapeHtml } from '../shared/html.js';
import { formatNumber } from '../shared/format.js';

/**
 * A chart as a figure: its title as the caption, the picture (one drawn for the screen's width and
 * one for the printed page, shown only in print), the server's one-sentence summary visible under it
 * as the text alternative, and the figures in a table behind a details toggle.
 */

export interface ChartParts {
  /** The figure's id; the caption, summary and table ids derive from it. */
  id: string;
  title: string;
  screenSvg: string;
  printSvg: string;
  summary: string;
  table: string;
}

export interface ChartSize {
  width: number;
  height: number;
  id: string;
  figureId: string;
  /** Text size in drawing units: larger in the printed copy, which is drawn small. */
  fontSize?: number;
}

/** The charts' text and axis lines, and their grid lines. */
export const TEXT = '#0b0c0c';
const GRID = '#b1b4b6';

export function chartIds(id: string): { caption: string; summary: string; svg: string; printSvg: string; table: string; details: string } {
  return { caption: `${id}-caption`, summary: `${id}-summary`, svg: `${id}-svg`, printSvg: `${id}-svg-print`, table: `${id}-table`, details: `${id}-details` };
}

export function chartFigureHtml(parts: ChartParts): string {
  const ids = chartIds(parts.id);
  return (
    `<figure class="app-figure" id="${parts.id}">` +
    `<figcaption class="app-figure__caption" id="${ids.caption}">${escapeHtml(parts.title)}</figcaption>` +
    `<div class="app-chart app-screen-only" id="${parts.id}-screen">${parts.screenSvg}</div>` +
    `<div class="app-chart app-print-only" aria-hidden="true">${parts.printSvg}</div>` +
    `<p class="govuk-body-s app-figure__summary" id="${ids.summary}">${escapeHtml(parts.summary)}</p>` +
    `<details class="govuk-details app-screen-only" id="${ids.details}"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Show the chart’s data as a table</span></summary>` +
    `<div class="govuk-details__text"><div class="app-table-scroll" tabindex="0" role="region" aria-labelledby="${ids.table}-caption">${parts.table}</div></div></details>` +
    `</figure>`
  );
}

/** What stands in for a chart the server had nothing for. */
export function noChartHtml(id: string, what: string): string {
  return `<p class="govuk-body app-no-chart" id="${id}-empty">${escapeHtml(what)}: no data to draw.</p>`;
}

/** Flows and percentages are whole numbers; concentrations and the index have one decimal. */
export function decimalsForUnit(unit: string): number {
  return /vehicle|%/.test(unit) ? 0 : 1;
}

export function formatValue(value: number, unit: string): string {
  const text = formatNumber(value, decimalsForUnit(unit));
  return unit.startsWith('%') ? `${text}${unit}` : `${text} ${unit}`;
}

/** The SVG's opening tag: a picture named by the figure's caption and described by its summary. */
export function svgOpen(id: string, figureId: string, width: number, height: number, className: string): string {
  const ids = chartIds(figureId);
  return `<svg id="${id}" class="${className}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${ids.caption}" aria-describedby="${ids.summary}" font-family="inherit">`;
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The step's decimals, so ticks read 0, 0.5, 1 rather than 0, 0.5, 1.0 or 0, 1, 1. */
export function tickDecimals(ticks: readonly number[]): number {
  return Math.max(0, ...ticks.map((tick) => (String(tick).split('.')[1] ?? '').length));
}

/** A chart's value axis, from zero, and the plot it frames. */
export interface ValueFrame {
  /** Text size in drawing units. */
  font: number;
  /** The plot: room left for the value labels, above for the unit and below for the other axis. */
  box: Box;
  axis: { domain: [number, number]; ticks: number[] };
  /** A value's height in the picture. */
  y: (value: number) => number;
  /** The unit at the top left, and a grid line across the plot with its label at each tick. */
  svg: string;
}

/** The margins grow with the text, so the printed copy (drawn small, with large text) keeps its labels. */
function plotBox(size: ChartSize, font: number): Box {
  return { left: Math.round(font * 3.6), right: size.width - Math.round(font * 1.8), top: Math.round(font * 2.2), bottom: size.height - Math.round(font * 2.9) };
}

export function valueFrame(values: readonly number[], unit: string, size: ChartSize): ValueFrame {
  const font = size.fontSize ?? 14;
  const box = plotBox(size, font);
  const axis = valueAxis(values);
  const y = linearScale(axis.domain, [box.bottom, box.top]);
  const decimals = tickDecimals(axis.ticks);
  const parts = [`<text x="4" y="${font + 2}" font-size="${font}" fill="${TEXT}">${escapeHtml(unit)}</text>`];
  for (const tick of axis.ticks) {
    const at = round(y(tick));
    parts.push(`<line x1="${box.left}" x2="${box.right}" y1="${at}" y2="${at}" stroke="${GRID}" stroke-width="1"/>`);
    parts.push(`<text x="${box.left - 6}" y="${round(at + font * 0.35)}" font-size="${font}" text-anchor="end" fill="${TEXT}">${formatNumber(tick, decimals)}</text>`);
  }
  return { font, box, axis, y, svg: parts.join('') };
}
