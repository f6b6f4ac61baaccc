import { COMPARE_METRICS, PERIODS, type CompareMetric, type PeriodChoice } from './compareResponse.js';

/**
 * The page's state is its query string, with the API's parameter names, so every view has a link:
 * `/compare?metric=no2&period=30d&wards=all` or
 * `/compare?metric=pm25&period=custom&from=2026-01-01&to=2026-06-30&wards=E05000819,E05000820`.
 * The same rules as the server are checked here first, so most mistakes are caught before a request.
 */

export interface CompareQuery {
  metric: CompareMetric;
  period: PeriodChoice;
  /** YYYY-MM-DD, inclusive; only for a custom period. */
  from: string | null;
  to: string | null;
  /** 'all', or ward codes in the order they were picked: the first is compared with each other. */
  wards: 'all' | string[];
}

export type QueryField = 'metric' | 'period' | 'from' | 'to' | 'wards';

export interface FieldError {
  field: QueryField;
  message: string;
}

export const DEFAULT_QUERY: CompareQuery = { metric: 'no2', period: '30d', from: null, to: null, wards: 'all' };

/** The server accepts at most this many ward codes. */
export const MAX_WARDS = 50;
/** The longest custom period, in days. */
export const MAX_DAYS = 366;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Whether `text` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Whole days from `from` to `to`, both counted: 2026-01-01 to 2026-01-01 is 1. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The day before `date` (YYYY-MM-DD). */
export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

function parseWards(text: string | null): 'all' | string[] {
  if (text === null || text.trim() === '' || text.trim().toLowerCase() === 'all') return 'all';
  const codes = text
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code !== '');
  return [...new Set(codes)];
}

/**
 * The query in a URL's search part. A missing parameter takes the API's default; a value the API
 * would refuse becomes the default too, with an error saying what was wrong with the link.
 */
export function parseQuery(search: string): { query: CompareQuery; errors: FieldError[] } {
  const params = new URLSearchParams(search);
  const errors: FieldError[] = [];
  const metricText = params.get('metric');
  let metric = DEFAULT_QUERY.metric;
  if (metricText !== null && metricText !== '') {
    if ((COMPARE_METRICS as readonly string[]).includes(metricText)) metric = metricText as CompareMetric;
    else errors.push({ field: 'metric', message: `The link asks for a measure this page does not know (“${metricText}”): choose one from the list` });
  }
  const periodText = params.get('period');
  let period = DEFAULT_QUERY.period;
  if (periodText !== null && periodText !== '') {
    if ((PERIODS as readonly string[]).includes(periodText)) period = periodText as PeriodChoice;
    else errors.push({ field: 'period', message: `The link asks for a period this page does not know (“${periodText}”): choose one` });
  }
  const custom = period === 'custom';
  const from = custom ? (params.get('from') ?? null) : null;
  const to = custom ? (params.get('to') ?? null) : null;
  return { query: { metric, period, from: from || null, to: to || null, wards: parseWards(params.get('wards')) }, errors };
}

/** The search part for a query, without the '?'; commas between ward codes stay readable. */
export function serialiseQuery(query: CompareQuery, format?: 'csv'): string {
  const parts = [`metric=${query.metric}`, `period=${query.period}`];
  if (query.period === 'custom') {
    if (query.from !== null) parts.push(`from=${encodeURIComponent(query.from)}`);
    if (query.to !== null) parts.push(`to=${encodeURIComponent(query.to)}`);
  }
  parts.push(`wards=${query.wards === 'all' ? 'all' : query.wards.map(encodeURIComponent).join(',')}`);
  if (format) parts.push(`format=${format}`);
  return parts.join('&');
}

export function apiUrl(query: CompareQuery, format?: 'csv'): string {
  return `/api/v1/wards/compare?${serialiseQuery(query, format)}`;
}

/**
 * What is wrong with a query before it is sent, in the order of the form's fields and in the words
 * of the GOV.UK error message patterns. `today` is the London date: a period must end by yesterday.
 */
export function validateQuery(query: CompareQuery, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (query.period === 'custom') {
    const from = query.from;
    const to = query.to;
    const fromReal = from !== null && isIsoDate(from);
    const toReal = to !== null && isIsoDate(to);
    if (from === null) errors.push({ field: 'from', message: 'Enter the start date' });
    else if (!fromReal) errors.push({ field: 'from', message: 'The start date must be a real date' });
    if (to === null) errors.push({ field: 'to', message: 'Enter the end date' });
    else if (!toReal) errors.push({ field: 'to', message: 'The end date must be a real date' });
    const yesterday = dayBefore(today);
    if (toReal && to > yesterday) errors.push({ field: 'to', message: 'The end date must be yesterday or earlier' });
    else if (fromReal && toReal && from > to) errors.push({ field: 'from', message: 'The start date must be the same as or before the end date' });
    else if (fromReal && toReal && daysInclusive(from, to) > MAX_DAYS) errors.push({ field: 'from', message: `The period must be ${MAX_DAYS} days or shorter` });
  }
  if (query.wards !== 'all') {
    if (query.wards.length < 2) errors.push({ field: 'wards', message: 'Select two or more wards, or choose all wards' });
    else if (query.wards.length > MAX_WARDS) errors.push({ field: 'wards', message: `Select ${MAX_WARDS} wards or fewer, or choose all wards` });
  }
  return errors;
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/**
 * A GOV.UK date input's three fields as YYYY-MM-DD, or the error to show: blank fields are a missing
 * date, some blank fields say which part is missing, anything else must be a real date.
 */
export function readDateParts(parts: DateParts, name: 'start' | 'end'): { date: string | null; error: string | null } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (day === '' && month === '' && year === '') return { date: null, error: null };
  const missing = [day === '' ? 'day' : null, month === '' ? 'month' : null, year === '' ? 'year' : null].filter((part) => part !== null);
  if (missing.length > 0) return { date: null, error: `The ${name} date must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month)) return { date: null, error: `The ${name} date must be a real date` };
  if (!/^\d{4}$/.test(year)) return { date: null, error: `The year of the ${name} date must include 4 numbers` };
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(date) ? { date, error: null } : { date: null, error: `The ${name} date must be a real date` };
}

/** YYYY-MM-DD as the date input's fields, without leading zeros (as people type them). */
export function dateParts(date: string | null): DateParts {
  const match = date === null ? null : DATE.exec(date);
  if (!match) return { day: '', month: '', year: '' };
  return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] as string };
}
