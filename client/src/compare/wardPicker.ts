import { escapeHtml } from '../shared/html.js';

/**
 * The list of wards to tick. The order of ticking is kept, because the first ward is the one the
 * server compares with each of the others; the list itself is alphabetical.
 */

export interface WardName {
  code: string;
  name: string;
}

export function wardId(code: string): string {
  return `ward-${code}`;
}

export function wardCheckboxesHtml(wards: readonly WardName[]): string {
  const items = wards.map(
    (ward) =>
      `<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="${escapeHtml(wardId(ward.code))}" name="ward" type="checkbox" value="${escapeHtml(ward.code)}">` +
      `<label class="govuk-label govuk-checkboxes__label" for="${escapeHtml(wardId(ward.code))}">${escapeHtml(ward.name)}</label></div>`,
  );
  return `<div class="govuk-checkboxes govuk-checkboxes--small">${items.join('')}</div>`;
}

/** The picked codes after one box changed: a ticked ward goes to the end, an unticked one leaves. */
export function togglePicked(picked: readonly string[], code: string, checked: boolean): string[] {
  const rest = picked.filter((item) => item !== code);
  return checked ? [...rest, code] : rest;
}

/** "3 wards selected; Altrincham is compared with the others." */
export function selectionText(picked: readonly string[], names: ReadonlyMap<string, string>): string {
  const count = `${picked.length} ${picked.length === 1 ? 'ward' : 'wards'} selected`;
  const first = picked[0];
  if (picked.length < 2 || first === undefined) return `${count}.`;
  return `${count}; ${names.get(first) ?? first} is compared with the others.`;
}
