import type { CompareResponse } from './compareResponse.js';
import { formatPeriod, inSentence } from './format.js';
import { escapeHtml } from '../shared/html.js';

/** The words around the figures: the status line, titles, the notes and the exceedance rules. */

export function hasAnyData(response: CompareResponse): boolean {
  return response.wards.some((ward) => ward.mean !== null);
}

/** "Showing NO₂ for 22 October to 20 November 2026 (30 days)", or that there is nothing to show. */
export function statusText(response: CompareResponse): string {
  const period = formatPeriod(response.period);
  if (!hasAnyData(response)) return `There is no ${inSentence(response.label)} data for any ward for ${period}. Try another period or measure. Only whole days are compared: today's readings count from tomorrow.`;
  const wards = response.all ? `all ${response.wards.length} wards` : `${response.selected.length} selected wards of ${response.wards.length}`;
  return `Showing ${inSentence(response.label)} for ${period}: ${wards}.`;
}

/** "NO₂ by ward, Trafford": the map's name, and the picture's title. */
export function mapTitle(response: Pick<CompareResponse, 'label'>, areaName: string | null): string {
  return `${response.label} by ward${areaName ? `, ${areaName}` : ''}`;
}

/** "smartplace-no2-2026-10-22-to-2026-11-20.png". */
export function pngFileName(response: Pick<CompareResponse, 'metric' | 'period'>): string {
  return `smartplace-${response.metric}-${response.period.from}-to-${response.period.to}.png`;
}

export function notesHtml(notes: readonly string[]): string {
  return `<ul class="govuk-list govuk-list--bullet" id="compare-notes">${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`;
}

/** What each exceedance column counts and the rule it is measured against, under the table. */
export function exceedanceNotesHtml(response: CompareResponse): string {
  if (!response.exceedances) return '';
  const { uk, who } = response.exceedances;
  const note = (text: string) => escapeHtml(text.replace(/\.\s*$/, ''));
  const entry = (exceedance: { label: string; note: string } | null, standard: string) =>
    exceedance ? `<dt>${escapeHtml(exceedance.label)} (${standard})</dt><dd>${note(exceedance.note)}.</dd>` : '';
  return `<dl class="app-definitions govuk-body-s" id="exceedance-notes">${entry(uk, 'UK')}${entry(who, 'WHO')}</dl>`;
}
