import { escapeHtml } from '../shared/html.js';
import { PERIOD_LABELS, PERIOD_PRESETS, type PeriodChoice } from '../shared/period.js';
import { formatDate } from '../shared/format.js';

/**
 * The period switcher's radios: the three presets, and a fourth for the dates in the address when a
 * link asked for its own (the page offers no date fields; the ward comparison does).
 */

export function periodRadiosHtml(current: { period: PeriodChoice; from: string | null; to: string | null }): string {
  const item = (value: PeriodChoice, label: string) =>
    `<div class="govuk-radios__item"><input class="govuk-radios__input" id="period-${value}" name="period" type="radio" value="${value}"${current.period === value ? ' checked' : ''} />` +
    `<label class="govuk-label govuk-radios__label" for="period-${value}">${escapeHtml(label)}</label></div>`;
  const items = PERIOD_PRESETS.map((preset) => item(preset, PERIOD_LABELS[preset]));
  if (current.period === 'custom') items.push(item('custom', customLabel(current.from, current.to)));
  return items.join('');
}

/** "1 January 2026 to 31 January 2026 (from the link)". */
export function customLabel(from: string | null, to: string | null): string {
  const when = (date: string | null) => (date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(date)) ? formatDate(date) : (date ?? 'not given'));
  return `${when(from)} to ${when(to)} (the dates in the link)`;
}
