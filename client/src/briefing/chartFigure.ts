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
