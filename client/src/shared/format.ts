import { formatNumber } from '../../../core/wardCompare.js';

/** Numbers and dates as every Smartplace page writes them. */

/** Numbers as every Smartplace figure is written (core/wardCompare.ts): "1,234.5", "−0.4". */
export { formatNumber };

const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** Midnight UTC of a YYYY-MM-DD date (or of the 1st of a YYYY-MM month). */
export function utcDay(date: string): number {
  return Date.parse(`${date.length === 7 ? `${date}-01` : date}T00:00:00Z`);
}

/** "22 October 2026". */
export function formatDate(date: string): string {
  return DAY_MONTH_YEAR.format(utcDay(date));
}
