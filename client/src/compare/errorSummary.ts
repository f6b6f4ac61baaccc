import type { ApiErrorBody } from './compareResponse.js';
import type { FieldError, QueryField } from './compareQuery.js';
import { escapeHtml } from './html.js';

/**
 * The GOV.UK error summary: the page's own checks and the server's 400 and 404 answers, in one list
 * whose links go to the field to fix. An error that belongs to no field is listed without a link.
 */

export interface SummaryItem {
  text: string;
  /** '#from-day'; null when no field can fix it (the server could not be reached). */
  href: string | null;
}

/** The parameter names the server uses in `error.details[].parameter`, as the form's fields. */
const SERVER_FIELDS: Readonly<Record<string, QueryField>> = { metric: 'metric', period: 'period', from: 'from', to: 'to', wards: 'wards' };

/** The server's error as field errors where it names a field, else one error for the whole form. */
export function serverErrors(status: number, body: ApiErrorBody | null): { fields: FieldError[]; general: string[] } {
  if (!body) return { fields: [], general: [`The server could not compare the wards (HTTP ${status}). Try again later.`] };
  if (body.code === 'api.ward_not_found') return { fields: [{ field: 'wards', message: body.message }], general: [] };
  const fields: FieldError[] = [];
  const general: string[] = [];
  for (const issue of body.issues) {
    const field = SERVER_FIELDS[issue.parameter.split('.')[0] ?? ''];
    const message = `${issue.parameter}: ${issue.problem}`;
    if (field) fields.push({ field, message: capitalise(issue.problem) });
    else general.push(message);
  }
  if (fields.length === 0 && general.length === 0) general.push(body.message);
  return { fields, general };
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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
