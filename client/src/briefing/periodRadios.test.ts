import { describe, expect, it } from 'vitest';
import { customLabel, periodRadiosHtml } from './periodRadios.js';

describe('periodRadiosHtml', () => {
  it('offers the three presets with the current one checked', () => {
    const html = periodRadiosHtml({ period: '7d', from: null, to: null });
    expect(html.match(/type="radio"/g)).toHaveLength(3);
    expect(html).toContain('id="period-7d" name="period" type="radio" value="7d" checked />');
    expect(html).toContain('<label class="govuk-label govuk-radios__label" for="period-365d">Last 365 days</label>');
  });

  it('adds the link’s own dates when it had them', () => {
    const html = periodRadiosHtml({ period: 'custom', from: '2026-01-01', to: '2026-01-31' });
    expect(html).toContain('value="custom" checked />');
    expect(html).toContain('1 January 2026 to 31 January 2026 (the dates in the link)');
    expect(customLabel('2026-13-45', null)).toBe('2026-13-45 to not given (the dates in the link)');
  });
});
