import { describe, expect, it } from 'vitest';
import { comparisonsHtml, excludesZero, intervalDomain } from './comparisons.js';
import { comparison, compareResponse } from './testBuilders.js';

describe('comparisons', () => {
  it('shares a round scale, symmetric about zero, that holds every interval', () => {
    expect(intervalDomain([comparison({ low: 3, high: 9.2 }), comparison({ low: -12, high: -1, difference: -6 })])).toEqual([-15, 15]);
    expect(intervalDomain([comparison({ supported: false, difference: null, low: null, high: null })])).toEqual([-1, 1]);
  });

  it('knows when the interval leaves out zero', () => {
    expect(excludesZero({ low: 3, high: 9 })).toBe(true);
    expect(excludesZero({ low: -1, high: 9 })).toBe(false);
  });

  it('shows each sentence in inset text, with a picture only when supported', () => {
    const html = comparisonsHtml(
      compareResponse({
        comparisons: [comparison(), comparison({ b: 'E05000821', supported: false, difference: null, low: null, high: null, sentence: 'Altrincham and Broadheath cannot be compared <here>.' })],
      }),
    );
    expect(html.match(/class="govuk-inset-text app-comparison"/g)).toHaveLength(2);
    expect(html.match(/<svg class="app-interval"/g)).toHaveLength(1);
    expect(html).toContain('aria-label="Altrincham minus Bowdon: +6.1 µg/m³, 95% interval 3.0 to 9.2; the interval does not include zero."');
    expect(html).toContain('cannot be compared &#60;here&#62;.');
  });

  it('is empty without comparisons', () => {
    expect(comparisonsHtml(compareResponse({ comparisons: [] }))).toBe('');
  });
});
