import { describe, expect, it } from 'vitest';
import { MAX_TREND_WARDS, SERIES_STYLES, labelEvery, markerPath, trendMonths, trendSeries, trendSvg, trendTableHtml, valueRuns } from './trendChart.js';
import { compareResponse, wardResult } from './testBuilders.js';

const OPTIONS = { width: 640, height: 320, label: 'NO₂', unit: 'µg/m³', metric: 'no2' as const, titleId: 't', descriptionId: 'd' };

describe('trendSeries', () => {
  it('takes the selected wards in the order picked, each with its own colour and shape', () => {
    const response = compareResponse();
    const series = trendSeries({ ...response, selected: ['E05000820', 'E05000819'] });
    expect(series.map((item) => item.name)).toEqual(['Bowdon', 'Altrincham']);
    expect(new Set(SERIES_STYLES.map((style) => style.colour)).size).toBe(SERIES_STYLES.length);
    expect(new Set(SERIES_STYLES.map((style) => style.shape)).size).toBe(SERIES_STYLES.length);
  });

  it('is empty when more wards are selected than a chart can show', () => {
    const wards = Array.from({ length: MAX_TREND_WARDS + 1 }, (_, i) => wardResult({ code: `W${i}`, name: `Ward ${i}` }));
    expect(trendSeries(compareResponse({ wards }))).toEqual([]);
    expect(trendSeries(compareResponse({ wards: wards.slice(0, MAX_TREND_WARDS) }))).toHaveLength(MAX_TREND_WARDS);
  });
});

describe('valueRuns', () => {
  it('splits at months without data', () => {
    expect(valueRuns([1, 2, null, 4, null, null, 7, 8])).toEqual([
      { start: 0, values: [1, 2] },
      { start: 3, values: [4] },
      { start: 6, values: [7, 8] },
    ]);
    expect(valueRuns([null, null])).toEqual([]);
  });
});

describe('the chart', () => {
  const series = trendSeries(compareResponse());

  it('lists the months in order', () => {
    expect(trendMonths(series)).toEqual(['2026-09', '2026-10', '2026-11']);
  });

  it('leaves a gap for a month without data: markers for the months with data, no line across', () => {
    const svg = trendSvg(series, OPTIONS);
    const group = svg.split('<g data-code="E05000819">')[1]?.split('</g>')[0] ?? '';
    expect(group.match(/<title>/g)).toHaveLength(2);
    // Two single months either side of the gap: no stretch of line at all.
    expect(group).not.toContain('stroke-width="2.5"');
    expect(group).toContain('<title>Altrincham, September 2026: 28.4 µg/m³</title>');
  });

  it('draws a line through consecutive months', () => {
    const joined = trendSeries(compareResponse({ wards: [wardResult({ monthly: [{ month: '2026-01', mean: 1, days: 31 }, { month: '2026-02', mean: 2, days: 28 }] })] }));
    expect(trendSvg(joined, OPTIONS)).toMatch(/<path d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+" fill="none" stroke="#0072B2"/);
  });

  it('is an image with a title and a description, and labels the unit', () => {
    const svg = trendSvg(series, OPTIONS);
    expect(svg).toContain('role="img" aria-labelledby="t" aria-describedby="d"');
    expect(svg).toContain('<title id="t">NO₂: monthly mean for 2 wards from September 2026 to November 2026</title>');
    expect(svg).toContain('Monthly mean (µg/m³)');
  });

  it('thins the month labels when they would crowd', () => {
    expect(labelEvery(600, 12)).toBe(1);
    expect(labelEvery(300, 12)).toBe(2);
    expect(labelEvery(200, 12)).toBe(3);
  });

  it('draws every marker shape as a closed path', () => {
    for (const style of SERIES_STYLES) expect(markerPath(style.shape, 10, 10, 5)).toMatch(/^M.*Z$/);
  });

  it('has its data as a table, with no data written out', () => {
    const html = trendTableHtml(series, compareResponse());
    expect(html).toContain('<th scope="col" class="govuk-table__header govuk-table__header--numeric">Altrincham (µg/m³)</th>');
    expect(html).toContain('<th scope="row" class="govuk-table__header">October 2026</th><td class="govuk-table__cell govuk-table__cell--numeric">No data</td>');
  });
});
