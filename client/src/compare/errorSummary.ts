import type { ApiErrorBody } from '../shared/apiError.js';
import type { FieldError, QueryField } from './compareQuery.js';

/**
 * The server's 400 and 404 answers as the comparison form's field errors, for the GOV.UK error summary
 * (shared/errorSummary.ts). An error that belongs to no field is listed without a link.
 */

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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
