import { describe, expect, it } from 'vitest';
import { caveatsHtml, daqiHome, sectionsWithDaqiHtml, documentTitle, formatMadeAt, glossaryHtml, headlineHtml, metaHtml, placeCaption, sectionHtml, sectionId, sectionsHtml, sourcesHtml, titleHtml } from './briefingHtml.js';
import { briefing } from './testBuilders.js';

const ward = briefing();
const street = briefing({ place: { kind: 'street', id: '12345678', name: 'High Street', ward: { code: 'E05015239', name: 'Altrincham' }, uprnCount: 1 } });

describe('the title', () => {
  it('names the place with its kind as a caption', () => {
    expect(placeCaption(ward.place)).toBe('Ward');
    expect(placeCaption(street.place)).toBe('Street in Altrincham');
    expect(placeCaption({ ...street.place, ward: null })).toBe('Street');
    expect(titleHtml({ ...street.place, name: 'A & B Road' })).toContain('<h1 class="govuk-heading-xl app-briefing-title" id="briefing-title" tabindex="-1">Briefing: A &#38; B Road</h1>');
    expect(documentTitle(ward)).toBe('Briefing: Altrincham, 30 January to 28 February 2026 – Smartplace');
  });
});

describe('metaHtml', () => {
  it('says the period, the comparison, the addresses and when, explaining UPRN', () => {
    const html = metaHtml(ward);
    expect(html).toContain('<dt>Period</dt><dd>30 January to 28 February 2026 (30 days)</dd>');
    expect(html).toContain('<dt>Compared with</dt><dd>30 January to 28 February 2025</dd>');
    expect(html).toContain('<dd>5,321 in this ward. Each address has a Unique Property Reference Number (UPRN).</dd>');
    expect(html).toContain('<dt>Made on</dt><dd>1 March 2026 at 12:00</dd>');
    expect(metaHtml(street)).toContain('<dd>1 on this street.');
  });

  it('leaves out what is not known', () => {
    const html = metaHtml({ ...ward, previousPeriod: null, place: { ...ward.place, uprnCount: null } });
    expect(html).not.toContain('Compared with');
    expect(html).not.toContain('Addresses');
  });

  it('writes the time in UK time (summer time too)', () => {
    expect(formatMadeAt('2026-07-01T12:00:00.000Z')).toBe('1 July 2026 at 13:00');
    expect(formatMadeAt('soon')).toBe('soon');
  });
});

describe('sections', () => {
  it('lists each fact with its detail under the value', () => {
    const html = sectionHtml(ward.sections[0]!);
    expect(html).toContain('<section class="app-section app-briefing-section" id="section-air" aria-labelledby="section-air-heading"><h2 class="govuk-heading-m" id="section-air-heading">Air quality</h2>');
    expect(html).toContain('<dt class="govuk-summary-list__key">Average nitrogen dioxide (NO₂)</dt><dd class="govuk-summary-list__value"><p class="govuk-body app-fact__value">30.0 µg/m³</p><p class="govuk-body-s app-fact__detail">Below the UK annual objective of 40 µg/m³.</p></dd>');
    expect(sectionHtml(ward.sections[1]!)).not.toContain('app-fact__detail');
  });

  it('says when a section has nothing, adds extras where asked, and keeps ids clean', () => {
    expect(sectionHtml({ id: 'x', heading: 'X', facts: [] })).toContain('Nothing to report for this period.');
    expect(sectionsHtml(ward.sections, { daqi: '<table id="t"></table>' })).toMatch(/Days with data.*<\/dl><table id="t"><\/table><\/section>$/);
    expect(sectionId('Air "quality"')).toBe('section-air-quality');
    expect(sectionId('!!')).toBe('section-part');
  });

  it('puts the DAQI table in the DAQI section, else the air section, else one of its own', () => {
    expect(daqiHome(ward.sections)).toBe('daqi');
    expect(daqiHome(ward.sections.slice(0, 1))).toBe('air');
    expect(daqiHome([])).toBeNull();
    expect(sectionsWithDaqiHtml(ward.sections.slice(0, 1), '<table/>')).toMatch(/id="section-air".*<table\/><\/section>$/);
    const own = sectionsWithDaqiHtml([{ id: 'traffic', heading: 'Traffic', facts: [] }], '<table/>');
    expect(own).toMatch(/<h2 class="govuk-heading-m" id="section-daqi-heading">Daily Air Quality Index \(DAQI\)<\/h2><table\/><\/section>$/);
    expect(sectionsWithDaqiHtml(ward.sections, '')).toBe(sectionsHtml(ward.sections));
  });
});

describe('the rest', () => {
  it('writes the headline, caveats, glossary and sources, escaped', () => {
    expect(headlineHtml('A < B')).toContain('<p class="app-headline__text" id="briefing-headline">A &#60; B</p>');
    expect(caveatsHtml(['One', 'Two'])).toBe('<ul class="govuk-list govuk-list--bullet" id="briefing-caveats"><li>One</li><li>Two</li></ul>');
    expect(caveatsHtml([])).toBe('');
    expect(glossaryHtml(ward.glossary)).toContain('<dt>DAQI</dt><dd>The Daily Air Quality Index');
    expect(sourcesHtml(['S'], 'L')).toBe('<ul class="govuk-list govuk-list--bullet" id="briefing-sources"><li>S</li></ul><p class="govuk-body-s" id="briefing-licence">L</p>');
    expect(sourcesHtml([], null)).toBe('');
  });
});
