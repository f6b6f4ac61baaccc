import { DAQI_COLOURS, type DaqiBand } from '../../../core/daqi.js';
import { escapeHtml } from '../shared/html.js';
import { formatNumber } from '../shared/format.js';
import type { DaqiDays } from './briefingResponse.js';

/**
 * How many days fell in each band of the Daily Air Quality Index, as a small table. Each band shows
 * the official colours of its index points (core/daqi.ts) beside its name and its points in words, so
 * the colour is never the only cue.
 */

const BANDS: readonly { band: DaqiBand; first: number; last: number }[] = [
  { band: 'Low', first: 1, last: 3 },
  { band: 'Moderate', first: 4, last: 6 },
  { band: 'High', first: 7, last: 9 },
  { band: 'Very High', first: 10, last: 10 },
];

const SWATCH = 12;

/** The band's colours, one square an index point, outlined so the pale greens show on white. */
export function bandSwatch(first: number, last: number): string {
  const squares = [];
  for (let index = first; index <= last; index++) {
    const x = (index - first) * SWATCH;
    squares.push(`<rect x="${x + 0.5}" y="0.5" width="${SWATCH - 1}" height="${SWATCH * 1.5 - 1}" fill="${DAQI_COLOURS[index - 1] ?? '#ffffff'}" stroke="#0b0c0c" stroke-width="1"/>`);
  }
  const width = SWATCH * 3;
  return `<svg class="app-daqi-swatch" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${SWATCH * 1.5}" viewBox="0 0 ${width} ${SWATCH * 1.5}" aria-hidden="true" focusable="false">${squares.join('')}</svg>`;
}

function points(first: number, last: number): string {
  return first === last ? String(first) : `${first} to ${last}`;
}

export function daqiTableHtml(days: DaqiDays, id = 'daqi-days-table'): string {
  const total = BANDS.reduce((sum, { band }) => sum + days[band], 0);
  const rows = BANDS.map(
    ({ band, first, last }) =>
      `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header app-daqi-band">${bandSwatch(first, last)}<span>${escapeHtml(band)}</span></th>` +
      `<td class="govuk-table__cell">${points(first, last)}</td>` +
      `<td class="govuk-table__cell govuk-table__cell--numeric">${formatNumber(days[band], 0)}</td></tr>`,
  );
  return (
    `<table class="govuk-table app-table app-daqi-table" id="${id}">` +
    `<caption class="govuk-table__caption govuk-table__caption--s">Days in each band of the Daily Air Quality Index (DAQI), ${formatNumber(total, 0)} ${total === 1 ? 'day' : 'days'} with data</caption>` +
    `<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Band</th><th scope="col" class="govuk-table__header">Index points</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Days</th></tr></thead>` +
    `<tbody class="govuk-table__body">${rows.join('')}</tbody></table>`
  );
}
