/**
 * Calendar days and years in Europe/London, as UTC instants.
 *
 * Daily air-quality statistics (a day's DAQI, days over an objective) are counted per calendar day,
 * and a UK resident's day is a London day: 24 hours most of the year, 23 on the last Sunday of March
 * (clocks go forward at 01:00 GMT) and 25 on the last Sunday of October (back at 01:00 GMT). The
 * offsets come from the runtime's time-zone database through `Intl`, so no library is needed, and
 * the code behaves the same in Node and in the browser whatever the process's own TZ is.
 */

export const HOUR_MS = 3_600_000;

/** A half-open interval of time [start, end), both ISO 8601 UTC. */
export interface Period {
  start: string;
  end: string;
}

/** One calendar day in London: from local midnight to the next local midnight. */
export interface LondonDay extends Period {
  /** YYYY-MM-DD. */
  date: string;
  /** 23, 24 or 25. */
  hours: number;
}

let formatter: Intl.DateTimeFormat | undefined;

/** Created on first use: building a formatter is slow, and the client imports core/ eagerly. */
function londonFormatter(): Intl.DateTimeFormat {
  formatter ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instantMs: number): WallClock {
  const parts: Record<string, number> = {};
  for (const part of londonFormatter().formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? Number.NaN,
    month: parts.month ?? Number.NaN,
    day: parts.day ?? Number.NaN,
    hour: parts.hour ?? Number.NaN,
    minute: parts.minute ?? Number.NaN,
    second: parts.second ?? Number.NaN,
  };
}

/** Parses an ISO 8601 instant (with Z or an offset) to epoch milliseconds. */
export function parseInstant(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || !/(Z|[+-]\d\d:?\d\d)$/i.test(iso)) {
    throw new RangeError(`expected an ISO 8601 instant with a UTC offset; got ${JSON.stringify(iso)}`);
  }
  return ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** London's offset from UTC at an instant, in minutes: 0 (GMT) or 60 (BST). */
export function londonOffsetMinutes(instant: string | number): number {
  const ms = typeof instant === 'number' ? instant : parseInstant(instant);
  const whole = Math.floor(ms / 1000) * 1000;
  const w = wallClock(whole);
  return (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole) / 60_000;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The London calendar date (YYYY-MM-DD) of an instant. */
export function londonDate(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : parseInstant(instant);
  const w = wallClock(ms);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!match || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`expected a calendar date YYYY-MM-DD; got ${JSON.stringify(date)}`);
  }
  return { year, month, day };
}

/**
 * The UTC instant of London's local midnight starting `date`. London changes its clocks at 01:00
 * UTC, so local midnight always exists and is never repeated.
 */
function londonMidnightMs(year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  const guess = wall - londonOffsetMinutes(wall) * 60_000;
  return wall - londonOffsetMinutes(guess) * 60_000;
}

/** The calendar date `days` after `date` (before, when negative): arithmetic on dates, not instants. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The same date a year earlier; 29 February becomes the 28th. */
export function yearEarlier(date: string): string {
  const { year, month, day } = parseDate(date);
  const earlier = `${year - 1}${date.slice(4)}`;
  return month === 2 && day === 29 ? `${year - 1}-02-28` : earlier;
}

function nextDate(date: string): string {
  return addDays(date, 1);
}

/** The London calendar day `date` (YYYY-MM-DD) as UTC instants. */
export function londonDay(date: string): LondonDay {
  const { year, month, day } = parseDate(date);
  const startMs = londonMidnightMs(year, month, day);
  const next = parseDate(nextDate(date));
  const endMs = londonMidnightMs(next.year, next.month, next.day);
  return { date, start: toIso(startMs), end: toIso(endMs), hours: (endMs - startMs) / HOUR_MS };
}

/**
 * The London days that make up a period. The period must start and end at London midnights (as
 * `londonDay` and `londonYear` give), because a statistic per day is meaningless for part of one.
 */
export function londonDays(period: Period): LondonDay[] {
  const startMs = parseInstant(period.start);
  const endMs = parseInstant(period.end);
  if (endMs < startMs) throw new RangeError(`period ends before it starts: ${period.start} to ${period.end}`);
  const days: LondonDay[] = [];
  let date = londonDate(startMs);
  if (parseInstant(londonDay(date).start) !== startMs) {
    throw new RangeError(`period must start at a London midnight; got ${period.start}`);
  }
  // Each day starts where the one before ended: one midnight to compute per day.
  for (let dayStartMs = startMs; dayStartMs < endMs; ) {
    const next = nextDate(date);
    const { year, month, day } = parseDate(next);
    const dayEndMs = londonMidnightMs(year, month, day);
    if (dayEndMs > endMs) throw new RangeError(`period must end at a London midnight; got ${period.end}`);
    days.push({ date, start: toIso(dayStartMs), end: toIso(dayEndMs), hours: (dayEndMs - dayStartMs) / HOUR_MS });
    dayStartMs = dayEndMs;
    date = next;
  }
  return days;
}

/** The London calendar year: 1 January to 1 January (both in GMT, so these are UTC midnights). */
export function londonYear(year: number): Period {
  if (!Number.isInteger(year) || year < 1970 || year > 9998) throw new RangeError(`expected a year; got ${year}`);
  return { start: londonDay(`${year}-01-01`).start, end: londonDay(`${year + 1}-01-01`).start };
}

/** True when the period is exactly one London calendar year, the period UK objectives are set for. */
export function isLondonCalendarYear(period: Period): boolean {
  const startMs = parseInstant(period.start);
  const year = Number(londonDate(startMs).slice(0, 4));
  const calendar = londonYear(year);
  return parseInstant(calendar.start) === startMs && parseInstant(calendar.end) === parseInstant(period.end);
}

/** Whole hours in a period (UTC arithmetic, so clock changes are counted correctly). */
export function hoursIn(period: Period): number {
  return (parseInstant(period.end) - parseInstant(period.start)) / HOUR_MS;
}
