import { describe, expect, it } from 'vitest';
import { exceedanceNotesHtml, mapTitle, notesHtml, pngFileName, statusText } from './summary.js';
import { compareResponse, wardResult } from './testBuilders.js';

describe('the words around the figures', () => {
  it('says what is shown', () => {
    expect(statusText(compareResponse())).toBe('Showing NO₂ for 22 October to 20 November 2026 (30 days): 2 selected wards of 3.');
    expect(statusText(compareResponse({ all: true }))).toBe('Showing NO₂ for 22 October to 20 November 2026 (30 days): all 3 wards.');
    expect(statusText(compareResponse({ label: 'Traffic flow' }))).toMatch(/^Showing traffic flow for /);
  });

  it('says when no ward has data', () => {
    const empty = compareResponse({ wards: [wardResult({ mean: null, rank: null })] });
    expect(statusText(empty)).toBe("There is no NO₂ data for any ward for 22 October to 20 November 2026 (30 days). Try another period or measure. Only whole days are compared: today's readings count from tomorrow.");
  });

  it('names the map and its picture', () => {
    expect(mapTitle(compareResponse(), 'Trafford')).toBe('NO₂ by ward, Trafford');
    expect(pngFileName(compareResponse())).toBe('smartplace-no2-2026-10-22-to-2026-11-20.png');
  });

  it('lists the notes and the exceedance rules', () => {
    expect(notesHtml(['a < b'])).toBe('<ul class="govuk-list govuk-list--bullet" id="compare-notes"><li>a &#60; b</li></ul>');
    expect(exceedanceNotesHtml(compareResponse())).toContain('<dt>Hours over 200 µg/m³ (UK)</dt><dd>UK objective: no more than 18 hours a year, at the ward&#39;s worst device.</dd>');
    // PM2.5 has no short-term UK objective: only the WHO guideline is described.
    const pm25 = exceedanceNotesHtml(compareResponse({ exceedances: { uk: null, who: { label: 'Days with a daily mean over 15 µg/m³', note: 'WHO 2021 guideline' } } }));
    expect(pm25).not.toContain('(UK)');
    expect(pm25).toContain('<dt>Days with a daily mean over 15 µg/m³ (WHO)</dt>');
    expect(exceedanceNotesHtml(compareResponse({ exceedances: null }))).toBe('');
  });
});
