import { formatDate, formatNumber, utcDay as utc } from '../shared/format.js';
import type { CompareMetric } from './compareResponse.js';

/**
 * Numbers, dates and periods as the page writes them. The server sends unrounded numbers; the page
 * shows 1 decimal for concentrations and the index, whole numbers for flows and percentages.
 */

export function decimalsFor(metric: CompareMetric): number {
  return metric === 'traffic_flow' || metric === 'congestion' ? 0 : 1;
}

/** Numbers and whole dates as every Smartplace page writes them (shared/format.ts). */
export { formatDate, formatNumber };

/** A value of the metric, rounded for it. */
export function formatMetric(value: number, metric: CompareMetric): string {
  return formatNumber(value, decimalsFor(metric));
}

/** "+2.2", "−0.4", "0.0": a change always shows its direction. */
export function formatSigned(value: number, decimals: number): string {
  const text = formatNumber(value, decimals);
  return value > 0 && /[1-9]/.test(text) ? `+${text}` : text;
}

/** "31.2 µg/m³", "62% of free-flow speed", "3.4 (index)". */
export function withUnit(text: string, unit: string): string {
  if (unit === 'index') return `${text} (index)`;
  if (unit.startsWith('%')) return `${text}${unit}`;
  return `${text} ${unit}`;
}

/** A unit for a column heading: "(µg/m³)", "(% of free-flow speed)"; the index has none. */
export function unitHeading(unit: string): string {
  return unit === 'index' ? '(index)' : `(${unit})`;
}

const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long' });
const MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const SHORT_MONTH = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short' });

/** "22 October to 20 November 2026 (30 days)"; the first year is written only when it differs. */
export function formatPeriod(period: { from: string; to: string; days: number }): string {
  const sameYear = period.from.slice(0, 4) === period.to.slice(0, 4);
  const start = sameYear ? DAY_MONTH.format(utc(period.from)) : formatDate(period.from);
  const range = period.from === period.to ? formatDate(period.to) : `${start} to ${formatDate(period.to)}`;
  return `${range} (${period.days} ${period.days === 1 ? 'day' : 'days'})`;
}

/** A label inside a sentence: "Traffic flow" becomes "traffic flow"; "NO₂" and "DAQI" stay. */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? `${label.charAt(0).toLowerCase()}${label.slice(1)}` : label;
}

/** "December 2025" for "2025-12". */
export function formatMonth(month: string): string {
  return MONTH_YEAR.format(utc(month));
}

/** "Dec" for "2025-12". */
export function shortMonth(month: string): string {
  return SHORT_MONTH.format(utc(month));
}
