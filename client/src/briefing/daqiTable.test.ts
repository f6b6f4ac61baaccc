import { describe, expect, it } from 'vitest';
import { DAQI_COLOURS } from '../../../core/daqi.js';
import { bandSwatch, daqiTableHtml } from './daqiTable.js';

describe('daqiTableHtml', () => {
  const html = daqiTableHtml({ Low: 25, Moderate: 2, High: 1, 'Very High': 0 });

  it('writes every band by name, its index points and its days, with a caption and header scopes', () => {
    expect(html).toContain('<caption class="govuk-table__caption govuk-table__caption--s">Days in each band of the Daily Air Quality Index (DAQI), 28 days with data</caption>');
    expect(html).toMatch(/<th scope="row"[^>]*><svg[^>]*aria-hidden="true"[^>]*>.*<\/svg><span>Moderate<\/span><\/th><td class="govuk-table__cell">4 to 6<\/td><td class="govuk-table__cell govuk-table__cell--numeric">2<\/td>/);
    expect(html).toContain('<span>Very High</span></th><td class="govuk-table__cell">10</td>');
    expect(html.match(/scope="col"/g)).toHaveLength(3);
  });

  it('colours each band with its official index colours', () => {
    expect(bandSwatch(7, 9)).toContain(`fill="${DAQI_COLOURS[6]}"`);
    expect(bandSwatch(7, 9)).toContain(`fill="${DAQI_COLOURS[8]}"`);
    expect(bandSwatch(10, 10).match(/<rect/g)).toHaveLength(1);
  });
});
