import { dateParts, readDateParts, type CompareQuery, type FieldError, type QueryField } from './compareQuery.js';
import { COMPARE_METRICS, PERIODS, type CompareMetric, type PeriodChoice } from './compareResponse.js';
import { escapeHtml } from '../shared/html.js';
import { selectionText, togglePicked, wardCheckboxesHtml, wardId, type WardName } from './wardPicker.js';

/**
 * The form in the page (compare.html): writes a query into its fields, reads one back with the
 * date fields' own errors, and shows errors next to the fields they belong to.
 */

export interface CompareForm {
  /** Fills the list of wards to tick; once is enough, later calls are ignored. */
  setWards(wards: readonly WardName[]): void;
  write(query: CompareQuery): void;
  read(): { query: CompareQuery; errors: FieldError[] };
  showErrors(errors: readonly FieldError[]): void;
  /** Where the error summary's link for a field goes. */
  fieldHref(field: QueryField): string;
}

const FIELDS: readonly QueryField[] = ['metric', 'period', 'from', 'to', 'wards'];

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

/**
 * Shows the fields under a radio while it is chosen. This is govuk-frontend's conditional reveal
 * without its script, which puts aria-expanded on the radios: not allowed on a radio by ARIA
 * (govuk-frontend issue 979) and an axe violation. The revealed fields follow their radio, so they
 * are the next thing a screen reader reads.
 */
function syncConditionals(form: HTMLFormElement): void {
  for (const input of form.querySelectorAll<HTMLInputElement>('.govuk-radios__input[aria-controls]')) {
    document.getElementById(input.getAttribute('aria-controls') ?? '')?.classList.toggle('govuk-radios__conditional--hidden', !input.checked);
  }
}

export function createCompareForm(form: HTMLFormElement): CompareForm {
  const metric = byId<HTMLSelectElement>('metric');
  const list = byId<HTMLElement>('ward-list');
  const count = byId<HTMLElement>('ward-count');
  let picked: string[] = [];
  let names = new Map<string, string>();
  let wardsReady = false;

  const dateInput = (prefix: 'from' | 'to', part: 'day' | 'month' | 'year') => byId<HTMLInputElement>(`${prefix}-${part}`);
  const radio = (name: string, value: string) => form.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);

  function renderCount(): void {
    count.textContent = selectionText(picked, names);
  }

  function tickPicked(): void {
    for (const box of list.querySelectorAll<HTMLInputElement>('input[name="ward"]')) box.checked = picked.includes(box.value);
    renderCount();
  }

  form.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === 'radio') syncConditionals(form);
  });
  syncConditionals(form);

  list.addEventListener('change', (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.name !== 'ward') return;
    picked = togglePicked(picked, box.value, box.checked);
    renderCount();
  });

  byId<HTMLButtonElement>('wards-clear').addEventListener('click', () => {
    picked = [];
    tickPicked();
    list.querySelector<HTMLInputElement>('input[name="ward"]')?.focus();
  });

  function setWards(wards: readonly WardName[]): void {
    if (wardsReady) return;
    wardsReady = true;
    names = new Map(wards.map((ward) => [ward.code, ward.name]));
    list.innerHTML = wardCheckboxesHtml(wards);
    tickPicked();
  }

  function write(query: CompareQuery): void {
    metric.value = query.metric;
    const period = radio('period', query.period);
    if (period) period.checked = true;
    for (const prefix of ['from', 'to'] as const) {
      const parts = dateParts(prefix === 'from' ? query.from : query.to);
      dateInput(prefix, 'day').value = parts.day;
      dateInput(prefix, 'month').value = parts.month;
      dateInput(prefix, 'year').value = parts.year;
    }
    const mode = radio('wards-mode', query.wards === 'all' ? 'all' : 'pick');
    if (mode) mode.checked = true;
    picked = query.wards === 'all' ? [] : [...query.wards];
    tickPicked();
    syncConditionals(form);
  }

  function read(): { query: CompareQuery; errors: FieldError[] } {
    const errors: FieldError[] = [];
    const metricValue = (COMPARE_METRICS as readonly string[]).includes(metric.value) ? (metric.value as CompareMetric) : 'no2';
    const periodValue = form.querySelector<HTMLInputElement>('input[name="period"]:checked')?.value ?? '30d';
    const period = ((PERIODS as readonly string[]).includes(periodValue) ? periodValue : '30d') as PeriodChoice;
    let from: string | null = null;
    let to: string | null = null;
    if (period === 'custom') {
      for (const prefix of ['from', 'to'] as const) {
        const parts = { day: dateInput(prefix, 'day').value, month: dateInput(prefix, 'month').value, year: dateInput(prefix, 'year').value };
        const result = readDateParts(parts, prefix === 'from' ? 'start' : 'end');
        if (result.error) errors.push({ field: prefix, message: result.error });
        if (prefix === 'from') from = result.date;
        else to = result.date;
      }
    }
    const all = form.querySelector<HTMLInputElement>('input[name="wards-mode"]:checked')?.value !== 'pick';
    // A ward the link named but the area does not have is dropped once the list is known.
    const wards = all ? 'all' : wardsReady ? picked.filter((code) => names.has(code)) : [...picked];
    return { query: { metric: metricValue, period, from, to, wards }, errors };
  }

  function showErrors(errors: readonly FieldError[]): void {
    for (const field of FIELDS) {
      const messages = errors.filter((error) => error.field === field).map((error) => error.message);
      const message = byId<HTMLElement>(`${field}-error`);
      message.hidden = messages.length === 0;
      message.innerHTML = messages.map((text) => `<span class="govuk-visually-hidden">Error:</span> ${escapeHtml(text)}`).join('<br>');
      byId<HTMLElement>(`${field}-group`).classList.toggle('govuk-form-group--error', messages.length > 0);
      if (field === 'from' || field === 'to') {
        for (const part of ['day', 'month', 'year'] as const) dateInput(field, part).classList.toggle('govuk-input--error', messages.length > 0);
      }
      if (field === 'metric') metric.classList.toggle('govuk-select--error', messages.length > 0);
    }
  }

  function fieldHref(field: QueryField): string {
    switch (field) {
      case 'metric':
        return '#metric';
      case 'period':
        return '#period-7d';
      case 'from':
        return '#from-day';
      case 'to':
        return '#to-day';
      case 'wards': {
        const pickMode = radio('wards-mode', 'pick')?.checked === true;
        const first = list.querySelector<HTMLInputElement>('input[name="ward"]');
        return pickMode && first ? `#${wardId(first.value)}` : '#wards-all';
      }
    }
  }

  return { setWards, write, read, showErrors, fieldHref };
}
