import { describe, expect, it } from 'vitest';
import { compareResponse, wardResult } from './testBuilders.js';
import { DEFAULT_SORT, nextSort, rankingDescription, rankingOrder, rankingTableHtml, sortWards, wardColumns, wardTableDescription, wardTableHtml } from './wardTables.js';

describe('sortWards', () => {
  const wards = [wardResult({ name: 'B', mean: 10 }), wardResult({ name: 'A', mean: null }), wardResult({ name: 'C', mean: 30 })];

  it('sorts either way with wards without a value last', () => {
    expect(sortWards(wards, { key: 'mean', direction: 'ascending' }).map((ward) => ward.name)).toEqual(['B', 'C', 'A']);
    expect(sortWards(wards, { key: 'mean', direction: 'descending' }).map((ward) => ward.name)).toEqual(['C', 'B', 'A']);
    expect(sortWards(wards, { key: 'name', direction: 'descending' }).map((ward) => ward.name)).toEqual(['C', 'B', 'A']);
  });

  it('sorts by DAQI days', () => {
    const daqi = [wardResult({ name: 'X', daqiDays: { Low: 1, Moderate: 5, High: 0, 'Very High': 0 } }), wardResult({ name: 'Y', daqiDays: { Low: 1, Moderate: 9, High: 0, 'Very High': 0 } })];
    expect(sortWards(daqi, { key: 'daqiModerate', direction: 'descending' }).map((ward) => ward.name)).toEqual(['Y', 'X']);
  });

  it('turns a column round on a second press and starts figures high', () => {
    expect(nextSort(DEFAULT_SORT, 'rank')).toEqual({ key: 'rank', direction: 'descending' });
    expect(nextSort(DEFAULT_SORT, 'mean')).toEqual({ key: 'mean', direction: 'descending' });
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ key: 'name', direction: 'ascending' });
  });
});

describe('the side-by-side table', () => {
  it('heads the exceedance columns with the server’s labels, and has units in headings', () => {
    const headings = wardColumns(compareResponse()).map((column) => column.heading);
    expect(headings).toContain('Hours over 200 µg/m³ (UK)');
    expect(headings).toContain('Days with a daily mean over 25 µg/m³ (WHO)');
    expect(headings).toContain('Mean (µg/m³)');
    expect(headings).toContain('DAQI Very High (days)');
    expect(headings).toContain('Change on a year earlier (%)');
  });

  it('has no exceedance or DAQI columns when the metric has none', () => {
    const traffic = compareResponse({
      metric: 'traffic_flow',
      unit: 'vehicles per hour',
      exceedances: null,
      wards: [wardResult({ daqiDays: null, ukExceedances: null, whoExceedances: null })],
    });
    const keys = wardColumns(traffic).map((column) => column.key);
    expect(keys).not.toContain('ukExceedances');
    expect(keys).not.toContain('daqiLow');
  });

  it('shows the selected wards only, with the sort on its heading and the change signed', () => {
    const html = wardTableHtml(compareResponse(), { key: 'mean', direction: 'descending' });
    expect(html).not.toContain('Broadheath');
    expect(html).toContain('aria-sort="descending"><button type="button" class="app-sort-button" data-sort="mean">Mean (µg/m³)</button>');
    expect(html.match(/aria-sort=/g)).toHaveLength(1);
    expect(html).toContain('>+2.2</td>');
    expect(html).toContain('>\u22121.4</td>');
    expect(html).toContain('<caption class="govuk-table__caption govuk-table__caption--m">NO₂ (µg/m³) in the selected wards</caption>');
    expect(wardTableDescription(compareResponse())).toContain('22 October 2025 to 20 November 2025');
    expect(html).toContain('<th scope="row" class="govuk-table__header">Altrincham</th>');
  });

  it('says when there is no data a year earlier', () => {
    const html = wardTableHtml(compareResponse({ all: true }), DEFAULT_SORT);
    expect(html).toContain('<td class="govuk-table__cell app-no-change" colspan="2">No data a year earlier</td>');
  });
});

describe('the ranking', () => {
  it('lists every ward by rank, wards without data last', () => {
    const html = rankingTableHtml(compareResponse());
    const order = [...html.matchAll(/data-code="([^"]+)"/g)].map((match) => match[1]);
    expect(order).toEqual(['E05000819', 'E05000820', 'E05000821']);
    expect(html).toContain('Not ranked');
    expect(html).toContain('No data');
    expect(rankingDescription(compareResponse())).toContain('highest mean first');
  });

  it('says that for congestion the lowest percentage is worst', () => {
    expect(rankingOrder({ higherIsWorse: false, unit: '% of free-flow speed' })).toBe('worst first: lowest % of free-flow speed (most congested) first');
  });
});
