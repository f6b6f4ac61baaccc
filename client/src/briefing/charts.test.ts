import { describe, expect, it } from 'vitest';
import { chartFigureHtml, decimalsForUnit, formatValue, noChartHtml, valueFrame } from './chartFigure.js';
import { byHour, hourSvg, hourTableHtml } from './hourChart.js';
import { dailySeries, dateTicks, trendSvg, trendTableHtml } from './trendChart.js';
import { briefing } from './testBuilders.js';

const charts = briefing().charts;
const trend = charts.trend!;
const pattern = charts.dailyPattern!;
const size = { width: 600, height: 280, id: 'trend-chart-svg', figureId: 'trend-chart' };

function days(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
}

describe('dateTicks', () => {
  it('labels days back from the last in a short period', () => {
    const ticks = dateTicks(days('2026-01-30', 30), 540);
    expect(ticks.at(-1)).toEqual({ index: 29, label: '28 Feb', year: null });
    expect(ticks.length).toBeLessThanOrEqual(9);
    expect(dateTicks(days('2026-02-22', 7), 540)).toHaveLength(7);
  });

  it('labels the first of each month in a long period, with the year where it starts or changes', () => {
    const ticks = dateTicks(days('2025-03-01', 365), 540);
    expect(ticks[0]).toEqual({ index: 0, label: 'Mar', year: '2025' });
    expect(ticks.find((tick) => tick.label === 'Jan')?.year).toBe('2026');
    expect(ticks.find((tick) => tick.label === 'Apr')?.year).toBeNull();
    expect(dateTicks(days('2025-03-01', 365), 200).length).toBeLessThan(12);
  });
});

describe('dailySeries', () => {
  it('fills the days the server left out with no data, in date order', () => {
    expect(dailySeries([{ date: '2026-02-01', value: 30 }, { date: '2026-01-30', value: null }, { date: 'soon', value: 1 }])).toEqual([
      { date: '2026-01-30', value: null },
      { date: '2026-01-31', value: null },
      { date: '2026-02-01', value: 30 },
    ]);
    expect(dailySeries([])).toEqual([]);
  });
});

describe('trendSvg', () => {
  const svg = trendSvg(trend, size);

  it('is a picture named by the caption and described by the summary', () => {
    expect(svg).toMatch(/^<svg id="trend-chart-svg" [^>]*role="img" aria-labelledby="trend-chart-caption" aria-describedby="trend-chart-summary"/);
  });

  it('leaves a gap for a day without data, draws a lone day as a dot, and every day has a dot with its value', () => {
    const path = /<path d="([^"]+)" fill="none" stroke="#1d70b8"/.exec(svg)?.[1] ?? '';
    expect(path.match(/M/g)).toHaveLength(1);
    expect(path.match(/L/g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('<title>3 February 2026: 25.5 µg/m³</title>');
  });

  it('draws the reference dashed, named with its value, and keeps it on the axis', () => {
    expect(svg).toContain('stroke-dasharray="7 5"');
    expect(svg).toContain('>UK annual objective (40 µg/m³)</text>');
    expect(svg).toContain('>40</text>');
    expect(trendSvg({ ...trend, reference: null }, size)).not.toContain('stroke-dasharray');
  });

  it('tables every day, with “No data” for gaps', () => {
    const table = trendTableHtml(trend, 'trend-chart');
    expect(table).toContain('<caption class="govuk-table__caption govuk-table__caption--s" id="trend-chart-table-caption">Daily average NO₂, 30 January to 28 February 2026</caption>');
    expect(table).toContain('<th scope="row" class="govuk-table__header">30 January 2026</th><td class="govuk-table__cell govuk-table__cell--numeric">No data</td>');
    expect(table).toContain('>25.5</td>');
  });
});

describe('hourSvg', () => {
  const svg = hourSvg(pattern, { ...size, id: 'pattern-chart-svg', figureId: 'pattern-chart' });

  it('draws a bar an hour with data, labelled every three hours', () => {
    expect(svg.match(/<rect /g)).toHaveLength(23);
    expect(svg).toContain('<title>08:00 to 09:00: 28.0 µg/m³</title>');
    for (const label of ['00', '03', '06', '09', '12', '15', '18', '21']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toContain('>01</text>');
    expect(svg).toContain('Hour of the day (UK time)');
  });

  it('puts the hours in order and tables them', () => {
    expect(byHour({ ...pattern, hours: [{ hour: 23, value: 1 }, { hour: 0, value: 2 }, { hour: 24, value: 9 }] })).toEqual([2, ...Array.from({ length: 22 }, () => null), 1]);
    const table = hourTableHtml(pattern, 'pattern-chart');
    expect(table).toContain('<th scope="row" class="govuk-table__header">04:00 to 05:00</th><td class="govuk-table__cell govuk-table__cell--numeric">No data</td>');
    expect(table).toContain('<th scope="row" class="govuk-table__header">23:00 to 00:00</th>');
  });
});

describe('valueFrame', () => {
  it('scales from zero onto the plot and draws the unit, a grid line and a label at each tick', () => {
    const frame = valueFrame([12, 37], 'a<b', size);
    expect(frame.axis.ticks).toEqual([0, 10, 20, 30, 40]);
    expect(frame.y(0)).toBe(frame.box.bottom);
    expect(frame.y(40)).toBe(frame.box.top);
    expect(frame.svg).toMatch(/^<text x="4" y="16" font-size="14" fill="#0b0c0c">a&#60;b<\/text>/);
    expect(frame.svg.match(/<line /g)).toHaveLength(5);
    expect(frame.svg).toContain('text-anchor="end" fill="#0b0c0c">40</text>');
  });

  it('leaves more room round the plot for larger text', () => {
    const small = valueFrame([1], '%', size).box;
    const large = valueFrame([1], '%', { ...size, fontSize: 20 }).box;
    expect(large.left).toBeGreaterThan(small.left);
    expect(large.bottom).toBeLessThan(small.bottom);
  });
});

describe('chartFigureHtml', () => {
  it('captions the figure, shows the summary and hides the table behind details', () => {
    const html = chartFigureHtml({ id: 'trend-chart', title: 'A & B', screenSvg: '<svg a/>', printSvg: '<svg b/>', summary: 'It rose.', table: '<table/>' });
    expect(html).toContain('<figcaption class="app-figure__caption" id="trend-chart-caption">A &#38; B</figcaption>');
    expect(html).toContain('<div class="app-chart app-print-only" aria-hidden="true"><svg b/></div>');
    expect(html).toContain('<p class="govuk-body-s app-figure__summary" id="trend-chart-summary">It rose.</p>');
    expect(html).toContain('<details class="govuk-details app-screen-only" id="trend-chart-details">');
    expect(noChartHtml('trend-chart', 'Daily values')).toBe('<p class="govuk-body app-no-chart" id="trend-chart-empty">Daily values: no data to draw.</p>');
  });

  it('rounds flows to whole numbers and the rest to one decimal', () => {
    expect(decimalsForUnit('vehicles per hour')).toBe(0);
    expect(formatValue(61.6, '% of free-flow speed')).toBe('62% of free-flow speed');
    expect(formatValue(1234.56, 'µg/m³')).toBe('1,234.6 µg/m³');
  });
});
