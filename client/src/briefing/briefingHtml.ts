import { escapeHtml } from '../shared/html.js';
import { formatNumber } from '../shared/format.js';
import type { Briefing, Fact, Section } from './briefingResponse.js';

/**
 * The briefing's words as markup: its title, what it covers, the headline, each section as a GOV.UK
 * summary list, and the things to bear in mind, the glossary and the sources. Every sentence comes
 * from the server; these functions only escape and arrange it.
 */

const MADE_AT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "1 March 2026 at 12:00" (UK time), or the text as sent when it is not a time. */
export function formatMadeAt(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return MADE_AT.format(at).replace(', ', ' at ');
}

/** "Street in Altrincham" or "Ward": what kind of place, above the title. */
export function placeCaption(place: Briefing['place']): string {
  if (place.kind === 'ward') return 'Ward';
  return place.ward ? `Street in ${place.ward.name}` : 'Street';
}

export function documentTitle(briefing: Pick<Briefing, 'place' | 'period'>): string {
  return `Briefing: ${briefing.place.name}, ${briefing.period.label} – Smartplace`;
}

/** The place's name as the title of the page, with its kind as a caption above it. */
export function titleHtml(place: Briefing['place']): string {
  return (
    `<span class="govuk-caption-l" id="briefing-caption">${escapeHtml(placeCaption(place))}</span>` +
    `<h1 class="govuk-heading-xl app-briefing-title" id="briefing-title" tabindex="-1">Briefing: ${escapeHtml(place.name)}</h1>`
  );
}

function days(count: number): string {
  return `${formatNumber(count, 0)} ${count === 1 ? 'day' : 'days'}`;
}

/** What the briefing covers: the period, what it is compared with, the addresses and when it was made. */
export function metaHtml(briefing: Pick<Briefing, 'place' | 'period' | 'previousPeriod' | 'generatedAt'>): string {
  const rows: [string, string][] = [['Period', `${briefing.period.label} (${days(briefing.period.days)})`]];
  if (briefing.previousPeriod) rows.push(['Compared with', briefing.previousPeriod.label]);
  const count = briefing.place.uprnCount;
  if (count !== null) {
    const where = briefing.place.kind === 'ward' ? 'in this ward' : 'on this street';
    rows.push(['Addresses', `${formatNumber(count, 0)} ${where}. Each address has a Unique Property Reference Number (UPRN).`]);
  }
  rows.push(['Made on', formatMadeAt(briefing.generatedAt)]);
  const items = rows.map(([term, value]) => `<div class="app-meta__row"><dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd></div>`);
  return `<dl class="app-meta" id="briefing-meta">${items.join('')}</dl>`;
}

export function headlineHtml(headline: string): string {
  return (
    `<div class="app-headline" id="briefing-headline-box">` +
    `<h2 class="govuk-heading-s app-headline__title">In short</h2>` +
    `<p class="app-headline__text" id="briefing-headline">${escapeHtml(headline)}</p></div>`
  );
}

/** A server's section id as the start of an element id: letters, digits and hyphens only. */
export function sectionId(id: string): string {
  const clean = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `section-${clean || 'part'}`;
}

function factRow(fact: Fact): string {
  const detail = fact.detail ? `<p class="govuk-body-s app-fact__detail">${escapeHtml(fact.detail)}</p>` : '';
  return (
    `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${escapeHtml(fact.label)}</dt>` +
    `<dd class="govuk-summary-list__value"><p class="govuk-body app-fact__value">${escapeHtml(fact.value)}</p>${detail}</dd></div>`
  );
}

/** One section: its heading, its facts as a summary list, and any extra markup (the DAQI table). */
export function sectionHtml(section: Section, extra = ''): string {
  const id = sectionId(section.id);
  const facts =
    section.facts.length > 0 ? `<dl class="govuk-summary-list app-facts">${section.facts.map(factRow).join('')}</dl>` : extra === '' ? `<p class="govuk-body">Nothing to report for this period.</p>` : '';
  return (
    `<section class="app-section app-briefing-section" id="${id}" aria-labelledby="${id}-heading">` +
    `<h2 class="govuk-heading-m" id="${id}-heading">${escapeHtml(section.heading)}</h2>${facts}${extra}</section>`
  );
}

/** The section that should hold the DAQI table: the DAQI's own, else air quality's, else none. */
export function daqiHome(sections: readonly Section[]): string | null {
  return sections.find((section) => section.id === 'daqi')?.id ?? sections.find((section) => section.id === 'air')?.id ?? null;
}

/** Every section in the server's order; `extras` adds markup to the end of a section, by its id. */
export function sectionsHtml(sections: readonly Section[], extras: Readonly<Record<string, string>> = {}): string {
  return sections.map((section) => sectionHtml(section, extras[section.id] ?? '')).join('');
}

/** The sections with the DAQI table in its home, or in a section of its own when none fits. */
export function sectionsWithDaqiHtml(sections: readonly Section[], daqiTable: string): string {
  if (daqiTable === '') return sectionsHtml(sections);
  const home = daqiHome(sections);
  if (home !== null) return sectionsHtml(sections, { [home]: daqiTable });
  return sectionsHtml(sections) + sectionHtml({ id: 'daqi', heading: 'Daily Air Quality Index (DAQI)', facts: [] }, daqiTable);
}

export function caveatsHtml(caveats: readonly string[]): string {
  if (caveats.length === 0) return '';
  return `<ul class="govuk-list govuk-list--bullet" id="briefing-caveats">${caveats.map((caveat) => `<li>${escapeHtml(caveat)}</li>`).join('')}</ul>`;
}

export function glossaryHtml(glossary: Briefing['glossary']): string {
  if (glossary.length === 0) return '';
  const items = glossary.map((item) => `<div class="app-glossary__item"><dt>${escapeHtml(item.term)}</dt><dd>${escapeHtml(item.meaning)}</dd></div>`);
  return `<dl class="app-glossary" id="briefing-glossary">${items.join('')}</dl>`;
}

export function sourcesHtml(sources: readonly string[], licence: string | null): string {
  const list = sources.length > 0 ? `<ul class="govuk-list govuk-list--bullet" id="briefing-sources">${sources.map((source) => `<li>${escapeHtml(source)}</li>`).join('')}</ul>` : '';
  const notice = licence ? `<p class="govuk-body-s" id="briefing-licence">${escapeHtml(licence)}</p>` : '';
  return list + notice;
}
