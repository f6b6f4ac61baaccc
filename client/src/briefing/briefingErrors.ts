import type { ApiErrorBody } from '../shared/apiError.js';
import type { SummaryItem } from '../shared/errorSummary.js';

/**
 * The server's refusal of a briefing (a 400 or a 5xx) as the lines of the GOV.UK error summary. The
 * page has no date fields to link to, so a bad period in the link gets a way out instead: the same
 * place over the last 30 days.
 */

const PERIOD_PARAMETERS: readonly string[] = ['period', 'from', 'to'];

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function briefingProblems(status: number, body: ApiErrorBody | null, pathname: string): SummaryItem[] {
  if (!body) return [{ text: `The server could not make the briefing (HTTP ${status}). Try again later.`, href: null }];
  const items: SummaryItem[] = body.issues.map((issue) => ({ text: capitalise(issue.problem), href: null }));
  if (items.length === 0) items.push({ text: body.message, href: null });
  if (body.issues.some((issue) => PERIOD_PARAMETERS.includes(issue.parameter))) items.push({ text: 'Show the briefing for the last 30 days instead', href: `${pathname}?period=30d` });
  return items;
}
