import { isValidMean, minValidCount, type MeanAggregate } from './dataCapture.js';
import { HOUR_MS, parseInstant, toIso, type LondonDay, type Period } from './londonTime.js';

/**
 * Running, daily and period means from hourly (or 15-minute) aggregates, with the data-capture rules
 * of core/dataCapture.ts. A missing or invalid hour is a gap: it is left out of a mean and counted
 * against its capture, never read as zero.
 *
 * Sources: LAQM.TG(09) definitions (UK-AIR FAQ 20): "the running 8-hour mean for a particular hour is
 * the mean of the hourly average concentrations for that hour and the preceding 7 hours … 6 hourly
 * averages out of every 8 must be valid." Air Quality Standards Regulations 2010 (Directive
 * 2008/50/EC): each 8-hour mean is assigned to the day on which it ends (the first of a day is 17:00
 * to 01:00, the last 16:00 to 24:00), and a daily maximum needs 18 of the day's 24 running means.
 */

export const QUARTER_HOUR_MS = 15 * 60_000;

/** Valid means keyed by the start of their period (epoch ms). Invalid periods are absent. */
export type ValidMeans = ReadonlyMap<number, number>;

/**
 * Indexes aggregates by period start, keeping only valid ones (≥ 75 % of expected readings).
 * Throws on a start that is not on the step (a whole hour by default) or appears twice: either is a
 * bug in the query that produced the aggregates, and would silently skew every mean.
 */
export function validMeans(aggregates: readonly MeanAggregate[], stepMs: number = HOUR_MS): ValidMeans {
  const means = new Map<number, number>();
  const seen = new Set<number>();
  for (const aggregate of aggregates) {
    const startMs = parseInstant(aggregate.start);
    if (startMs % stepMs !== 0) throw new RangeError(`aggregate must start on a ${stepMs / 60_000}-minute boundary; got ${aggregate.start}`);
    if (seen.has(startMs)) throw new RangeError(`two aggregates start at ${aggregate.start}`);
    seen.add(startMs);
    if (isValidMean(aggregate)) means.set(startMs, aggregate.mean as number);
  }
  return means;
}

/** A statistic with the data behind it. */
export interface Statistic {
  /** µg/m³; null when too few values were valid. */
  value: number | null;
  /** Valid values used (hours, 15-minute periods or running means). */
  valid: number;
  /** Values there could have been. */
  possible: number;
}

export interface RunningMean extends Statistic {
  /** End of the window (exclusive), ISO 8601 UTC: a running mean is labelled by the hour it ends. */
  end: string;
}

function sumWindow(means: ValidMeans, startMs: number, endMs: number, stepMs: number): { sum: number; valid: number; max: number | null } {
  let sum = 0;
  let valid = 0;
  let max: number | null = null;
  for (let t = startMs; t < endMs; t += stepMs) {
    const value = means.get(t);
    if (value === undefined) continue;
    sum += value;
    valid += 1;
    if (max === null || value > max) max = value;
  }
  return { sum, valid, max };
}

function runningMeanAt(hours: ValidMeans, endMs: number, windowHours: number, minValid: number): RunningMean {
  const { sum, valid } = sumWindow(hours, endMs - windowHours * HOUR_MS, endMs, HOUR_MS);
  return { end: toIso(endMs), value: valid >= minValid ? sum / valid : null, valid, possible: windowHours };
}

/**
 * The mean of the valid hourly means in the `windowHours` hours ending at `end` (exclusive), or null
 * with fewer than 75 % of them valid. `end` must be on a whole hour.
 */
export function runningMean(hours: ValidMeans, end: string, windowHours: number): RunningMean {
  const endMs = parseInstant(end);
  if (endMs % HOUR_MS !== 0) throw new RangeError(`a running mean ends on a whole hour; got ${end}`);
  return runningMeanAt(hours, endMs, windowHours, minValidCount(windowHours));
}

/** Running 8-hour mean ending at `end`: valid with at least 6 of its 8 hours (O3 for the DAQI). */
export function running8hMean(hours: ValidMeans, end: string): RunningMean {
  return runningMean(hours, end, 8);
}

/** Running 24-hour mean ending at `end`: valid with at least 18 of its 24 hours (PM for the live DAQI). */
export function running24hMean(hours: ValidMeans, end: string): RunningMean {
  return runningMean(hours, end, 24);
}

function bounds(period: Period): [number, number] {
  return [parseInstant(period.start), parseInstant(period.end)];
}

/**
 * The mean of the valid values in a period, whatever their number (for an annual mean; the caller
 * judges its capture). `stepMs` is the values' period: an hour by default.
 */
export function periodMean(means: ValidMeans, period: Period, stepMs: number = HOUR_MS): Statistic {
  const [startMs, endMs] = bounds(period);
  const { sum, valid } = sumWindow(means, startMs, endMs, stepMs);
  return { value: valid > 0 ? sum / valid : null, valid, possible: (endMs - startMs) / stepMs };
}

export interface DailyStatistic extends Statistic {
  /** The London date (YYYY-MM-DD). */
  date: string;
}

/**
 * A day's mean (PM for the daily DAQI, PM10's 24-hour objective): valid with 75 % of the day's
 * hours, i.e. 18 of 24 (18 of a 23-hour day, 19 of a 25-hour day).
 */
export function dailyMean(hours: ValidMeans, day: LondonDay): DailyStatistic {
  const [startMs, endMs] = bounds(day);
  const { sum, valid } = sumWindow(hours, startMs, endMs, HOUR_MS);
  return { date: day.date, value: valid >= minValidCount(day.hours) ? sum / valid : null, valid, possible: day.hours };
}

/** The highest valid value in a period (null if none), with how many values it was taken from. */
export function periodMax(means: ValidMeans, period: Period, stepMs: number = HOUR_MS): Statistic {
  const [startMs, endMs] = bounds(period);
  const { valid, max } = sumWindow(means, startMs, endMs, stepMs);
  return { value: max, valid, possible: (endMs - startMs) / stepMs };
}

/**
 * A day's highest valid value (NO2's hourly or SO2's 15-minute means for the daily DAQI). No
 * minimum capture: any valid value that high was measured; `valid` and `possible` say how much of
 * the day the maximum was taken from.
 */
export function dailyMax(means: ValidMeans, day: LondonDay, stepMs: number = HOUR_MS): DailyStatistic {
  return { date: day.date, ...periodMax(means, day, stepMs) };
}

/**
 * A day's maximum running 8-hour mean (O3): the highest of the running means that end in the day,
 * from the one ending at 01:00 (covering 17:00 the day before) to the one ending at midnight. Needs
 * hours from 17:00 local the previous day. Valid with 75 % of the day's running means valid (18 of
 * 24; 18 of 23 or 19 of 25 on clock-change days), each needing 6 of its 8 hours.
 */
export function dailyMaxRunning8hMean(hours: ValidMeans, day: LondonDay): DailyStatistic {
  const [startMs, endMs] = bounds(day);
  let valid = 0;
  let max: number | null = null;
  for (let end = startMs + HOUR_MS; end <= endMs; end += HOUR_MS) {
    const { value } = runningMeanAt(hours, end, 8, minValidCount(8));
    if (value === null) continue;
    valid += 1;
    if (max === null || value > max) max = value;
  }
  return { date: day.date, value: valid >= minValidCount(day.hours) ? max : null, valid, possible: day.hours };
}
