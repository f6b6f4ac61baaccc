import { valueRuns } from '../compare/trendChart.js';
import { escapeHtml } from '../shared/html.js';
import { formatDate, formatNumber } from '../shared/format.js';
import type { TrendChart } from './briefingResponse.js';
import { TEXT, chartIds, decimalsForUnit, formatValue, round, svgOpen, valueFrame, type ChartSize } from './chartFigure.js';

/**
 * The daily values over the period as a line: a day without data is a gap, never a line across it;
 * a day alone between gaps is a dot. A reference (the UK objective) is a dashed line with its name.
 */

const LINE = '#1d70b8';
const REFERENCE = '#d4351c';

const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short' });

function utc(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export interface DateTick {
  index: number;
  label: string;
  /** The year, under the label, where it starts or changes. */
  year: string | null;
}

/**
 * Which days get a label. Up to two months: a day every few, counted back from the last so the
 * latest day is labelled ("28 Feb"). Longer: the first of each month ("Mar"), every second or third
 * month when there is no room, with the year under the first label and each January.
 */
export function dateTicks(dates: readonly string[], plotWidth: number): DateTick[] {
  if (dates.length === 0) return [];
  if (dates.length <= 62) {
    const room = Math.max(1, Math.floor(plotWidth / 60));
    const every = Math.max(1, Math.ceil(dates.length / room));
    const ticks: DateTick[] = [];
    dates.forEach((date, index) => {
      if ((dates.length - 1 - index) % every === 0) ticks.push({ index, label: DAY_MONTH.format(utc(date)), year: null });
    });
    return ticks;
  }
  const firsts = dates.map((date, index) => ({ date, index })).filter(({ date }) => date.endsWith('-01'));
  const room = Math.max(1, Math.floor(plotWidth / 40));
  const every = Math.max(1, Math.ceil(firsts.length / room));
  let lastYear = '';
  return firsts
    .filter((_, i) => i % every === 0)
    .map(({ date, index }) => {
      const year = date.slice(0, 4);
      const showYear = year !== lastYear;
      lastYear = year;
      return { index, label: MONTH.format(utc(date)), year: showYear ? year : null };
    });
}

/**
 * One entry a day from the first date to the last, in order: a day the server left out is a day
 * without data (null), so a gap in the dates is a gap in the line and the x axis stays true to time.
 */
export function dailySeries(points: TrendChart['points']): TrendChart['points'] {
  const known = points.filter((point) => !Number.isNaN(utc(point.date)));
  if (known.length === 0) return [];
  const times = known.map((point) => utc(point.date));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const byDate = new Map(known.map((point) => [point.date, point.value]));
  const days = Math.min(Math.round((last - first) / 86_400_000) + 1, 3_660);
  return Array.from({ length: days }, (_, i) => {
    const date = new Date(first + i * 86_400_000).toISOString().slice(0, 10);
    return { date, value: byDate.get(date) ?? null };
  });
}

export function trendSvg(chart: TrendChart, size: ChartSize): string {
  const points = dailySeries(chart.points);
  const values = points.map((point) => point.value).filter((value) => value !== null);
  const { font, box, y, svg: frame } = valueFrame(chart.reference ? [...values, chart.reference.value] : values, chart.unit, size);
  const band = (box.right - box.left) / Math.max(points.length, 1);
  const x = (i: number) => box.left + (i + 0.5) * band;
  const parts = [frame];

  parts.push(`<line x1="${box.left}" x2="${box.right}" y1="${box.bottom}" y2="${box.bottom}" stroke="${TEXT}" stroke-width="1"/>`);
  for (const tick of dateTicks(
    points.map((point) => point.date),
    box.right - box.left,
  )) {
    const at = round(x(tick.index));
    parts.push(`<line x1="${at}" x2="${at}" y1="${box.bottom}" y2="${box.bottom + 5}" stroke="${TEXT}"/>`);
    parts.push(`<text x="${at}" y="${round(box.bottom + font * 1.35)}" font-size="${font - 1}" text-anchor="middle" fill="${TEXT}">${tick.label}</text>`);
    if (tick.year) parts.push(`<text x="${at}" y="${round(box.bottom + font * 2.5)}" font-size="${font - 1}" text-anchor="middle" fill="${TEXT}">${tick.year}</text>`);
  }

  // The reference is named in a key above the plot, where its name can never hide a day's value.
  if (chart.reference) {
    const at = round(y(chart.reference.value));
    // "40 µg/m³": a standard is a round number, written as one.
    const amount = Number.isInteger(chart.reference.value) ? `${formatNumber(chart.reference.value, 0)} ${chart.unit}` : formatValue(chart.reference.value, chart.unit);
    const label = `${chart.reference.label} (${amount})`;
    const keyY = font + 2;
    parts.push(`<line class="app-chart-reference" x1="${box.left}" x2="${box.right}" y1="${at}" y2="${at}" stroke="${REFERENCE}" stroke-width="2" stroke-dasharray="7 5"/>`);
    parts.push(`<line x1="${box.right - 30}" x2="${box.right}" y1="${round(keyY - font * 0.3)}" y2="${round(keyY - font * 0.3)}" stroke="${REFERENCE}" stroke-width="2" stroke-dasharray="7 5"/>`);
    parts.push(`<text x="${box.right - 36}" y="${keyY}" font-size="${font - 1}" text-anchor="end" fill="${TEXT}">${escapeHtml(label)}</text>`);
  }

  const pointValues = points.map((point) => point.value);
  const runs = valueRuns(pointValues);
  const line = runs
    .filter((run) => run.values.length > 1)
    .map((run) => `M${run.values.map((value, j) => `${round(x(run.start + j))} ${round(y(value))}`).join('L')}`)
    .join('');
  if (line) parts.push(`<path d="${line}" fill="none" stroke="${LINE}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`);
  // Dots where a line alone would not show the day: every day of a short period, a lone day in a long one.
  const dots = points.length <= 31 ? pointValues.map((value, i) => (value === null ? null : i)) : runs.filter((run) => run.values.length === 1).map((run) => run.start);
  for (const i of dots) {
    if (i === null) continue;
    const point = points[i];
    if (!point || point.value === null) continue;
    parts.push(
      `<circle cx="${round(x(i))}" cy="${round(y(point.value))}" r="3.5" fill="${LINE}" stroke="#ffffff" stroke-width="1"><title>${escapeHtml(`${formatDate(point.date)}: ${formatValue(point.value, chart.unit)}`)}</title></circle>`,
    );
  }

  return svgOpen(size.id, size.figureId, size.width, size.height, 'app-chart__svg') + parts.join('') + `</svg>`;
}

/** The chart's figures: a row a day. */
export function trendTableHtml(chart: TrendChart, figureId: string): string {
  const ids = chartIds(figureId);
  const decimals = decimalsForUnit(chart.unit);
  const rows = dailySeries(chart.points).map(
    (point) =>
      `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${formatDate(point.date)}</th>` +
      `<td class="govuk-table__cell govuk-table__cell--numeric">${point.value === null ? 'No data' : formatNumber(point.value, decimals)}</td></tr>`,
  );
  return (
    `<table class="govuk-table app-table" id="${ids.table}"><caption class="govuk-table__caption govuk-table__caption--s" id="${ids.table}-caption">${escapeHtml(chart.title)}</caption>` +
    `<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Day</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">${escapeHtml(chart.unit)}</th></tr></thead>` +
    `<tbody class="govuk-table__body">${rows.join('')}</tbody></table>`
  );
}
