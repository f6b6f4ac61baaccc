import { escapeHtml } from './html.js';

/**
 * The GOV.UK error summary: a page's own checks and the server's 400 and 404 answers, in one list
 * whose links go to the field to fix. An error that belongs to no field is listed without a link.
 */

export interface SummaryItem {
  text: string;
  /** '#from-day'; null when no field can fix it (the server could not be reached). */
  href: string | null;
}

export function errorSummaryHtml(items: readonly SummaryItem[]): string {
  const list = items
    .map((item) => (item.href === null ? `<li>${escapeHtml(item.text)}</li>` : `<li><a href="${escapeHtml(item.href)}">${escapeHtml(item.text)}</a></li>`))
    .join('');
  return (
    `<div class="govuk-error-summary" data-module="govuk-error-summary" id="error-summary"><div role="alert">` +
    `<h2 class="govuk-error-summary__title">There is a problem</h2>` +
    `<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${list}</ul></div></div></div>`
  );
}
