import { escapeHtml } from '../shared/html.js';
import { formatNumber } from '../shared/format.js';
import type { PatternChart } from './briefingResponse.js';
import { TEXT, chartIds, decimalsForUnit, formatValue, round, svgOpen, valueFrame, type ChartSize } from './chartFigure.js';

/**
 * The period's values by hour of the day (UK time) as 24 bars, labelled every three hours. An hour
 * without data has no bar, and the table under the chart says "No data".
 */

const BAR = '#1d70b8';

/** "08" for 8. */
export function hourLabel(hour: number): string {
  return String(hour).padStart(2, '0');
}

/** The 24 hours in order, whatever order (or gaps) they came in. */
export function byHour(chart: PatternChart): (number | null)[] {
  const values: (number | null)[] = Array.from({ length: 24 }, () => null);
  for (const { hour, value } of chart.hours) if (Number.isInteger(hour) && hour >= 0 && hour < 24) values[hour] = value;
  return values;
}

export function hourSvg(chart: PatternChart, size: ChartSize): string {
  const values = byHour(chart);
  const { font, box, axis, y, svg: frame } = valueFrame(values.filter((value) => value !== null), chart.unit, size);
  const band = (box.right - box.left) / 24;
  const parts = [frame];

  values.forEach((value, hour) => {
    if (value === null) return;
    const top = y(Math.max(value, axis.domain[0]));
    const base = y(Math.max(0, axis.domain[0]));
    const title = `${hourLabel(hour)}:00 to ${hourLabel((hour + 1) % 24)}:00: ${formatValue(value, chart.unit)}`;
    parts.push(
      `<rect x="${round(box.left + hour * band + band * 0.15)}" y="${round(Math.min(top, base))}" width="${round(band * 0.7)}" height="${round(Math.abs(base - top))}" fill="${BAR}"><title>${escapeHtml(title)}</title></rect>`,
    );
  });
  parts.push(`<line x1="${box.left}" x2="${box.right}" y1="${box.bottom}" y2="${box.bottom}" stroke="${TEXT}" stroke-width="1"/>`);
  for (let hour = 0; hour < 24; hour += 3) {
    const at = round(box.left + (hour + 0.5) * band);
    parts.push(`<line x1="${at}" x2="${at}" y1="${box.bottom}" y2="${box.bottom + 5}" stroke="${TEXT}"/>`);
    parts.push(`<text x="${at}" y="${round(box.bottom + font * 1.35)}" font-size="${font - 1}" text-anchor="middle" fill="${TEXT}">${hourLabel(hour)}</text>`);
  }
  parts.push(`<text x="${round((box.left + box.right) / 2)}" y="${round(box.bottom + font * 2.6)}" font-size="${font - 1}" text-anchor="middle" fill="${TEXT}">Hour of the day (UK time)</text>`);

  return svgOpen(size.id, size.figureId, size.width, size.height, 'app-chart__svg') + parts.join('') + `</svg>`;
}

/** The chart's figures: a row an hour. */
export function hourTableHtml(chart: PatternChart, figureId: string): string {
  const ids = chartIds(figureId);
  const decimals = decimalsForUnit(chart.unit);
  const rows = byHour(chart).map(
    (value, hour) =>
      `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${hourLabel(hour)}:00 to ${hourLabel((hour + 1) % 24)}:00</th>` +
      `<td class="govuk-table__cell govuk-table__cell--numeric">${value === null ? 'No data' : formatNumber(value, decimals)}</td></tr>`,
  );
  return (
    `<table class="govuk-table app-table" id="${ids.table}"><caption class="govuk-table__caption govuk-table__caption--s" id="${ids.table}-caption">${escapeHtml(chart.title)}</caption>` +
    `<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Hour (UK time)</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">${escapeHtml(chart.unit)}</th></tr></thead>` +
    `<tbody class="govuk-table__body">${rows.join('')}</tbody></table>`
  );
}
