import { findRangeProblem, type Metric } from './metrics.js';
import { parseInstant, toIso, type Period } from './londonTime.js';

/**
 * Which measurements count, and how much of what was expected arrived.
 *
 * core/ never sees raw readings for these statistics: the database hands it one aggregate per device,
 * pollutant and hour (or quarter hour, for SO2): the mean, how many readings went into it and how
 * many the device should have sent. Validity is decided here, once, so every statistic uses the same
 * rule.
 *
 * Sources:
 * - Air Quality Standards Regulations 2010 (England; same text in the Welsh, Scottish and NI
 *   regulations), from Directive 2008/50/EC Annexes VII and XI, "criteria for aggregating data and
 *   calculating statistical parameters": a 1-hour value needs 75 % of the hour (45 minutes); an
 *   8-hour value 75 % of its values (6 hours); a daily maximum 8-hour mean 75 % of the day's running
 *   8-hour means (18 of 24); a 24-hour value 75 % of the hourly values (18 hours).
 * - Directive 2008/50/EC Annex I: minimum data capture for fixed measurements 90 %; UK-AIR FAQ 23:
 *   "a data capture lower limit of 75 % is applied" for statistics, and a 90 % target for the UK
 *   automatic networks.
 * - LAQM.TG22 (Defra, local air quality management technical guidance): annual means from less than
 *   75 % data capture must be annualised before they are compared with an objective.
 */

/** One averaging period's aggregate, as the database computes it per device and pollutant. */
export interface MeanAggregate {
  /** Start of the period, ISO 8601 UTC, on a whole hour (hourly) or quarter hour (15-minute). */
  start: string;
  /** Mean of the readings, µg/m³; null when none arrived (SQL's AVG over no rows). */
  mean: number | null;
  /** Readings that went into the mean. */
  count: number;
  /** Readings the device should have sent in the period (period ÷ its reporting interval). */
  expected: number;
}

/** The share of data a value or a statistic needs to be valid (75 %). */
export const MIN_CAPTURE = 0.75;
/** The data capture target for a year of measurements (90 %). */
export const CAPTURE_TARGET = 0.9;

/**
 * A mean is valid when at least 75 % of its expected readings arrived (45 minutes of an hour). The
 * same rule is applied to 15-minute SO2 means (3 of 4 five-minute readings, 11 of 15 one-minute
 * ones): the regulations give it for hours only, and this is its natural extension.
 */
export function isValidMean(aggregate: MeanAggregate): boolean {
  return (
    aggregate.mean !== null &&
    Number.isFinite(aggregate.mean) &&
    aggregate.expected > 0 &&
    aggregate.count >= minValidCount(aggregate.expected)
  );
}

/**
 * How many of `possible` values a statistic needs: 75 % rounded up. 8 hours → 6, 24 → 18; a London
 * day of 23 hours → 18 (17.25 rounded up) and of 25 hours → 19 (18.75 rounded up), because the rule
 * is a share and "18" is the regulations' worked example for a 24-hour day.
 */
export function minValidCount(possible: number): number {
  // possible × 3 / 4 is exact in binary floating point for any whole `possible`.
  return Math.ceil((possible * 3) / 4);
}

/**
 * What to say about a statistic's data capture.
 * - `ok`: at least 90 %.
 * - `below_target`: 75 % to under 90 %; comparable with an objective, but short of the target.
 * - `too_little_data`: under 75 %; too little data to compare with the objective without
 *   annualisation (LAQM.TG22).
 */
export type CaptureFlag = 'ok' | 'below_target' | 'too_little_data';

export const CAPTURE_FLAG_TEXT: Readonly<Record<CaptureFlag, string>> = {
  ok: 'Data capture meets the 90% target.',
  below_target: 'Data capture is below the 90% target.',
  too_little_data: 'Too little data (under 75%) to compare with the objective without annualisation.',
};

export interface Capture {
  /** Valid values (hours, days or 15-minute periods). */
  valid: number;
  /** Values the period could have had. */
  possible: number;
  /** valid ÷ possible, 0 to 1 (0 for an empty period). */
  share: number;
  flag: CaptureFlag;
}

export function capture(valid: number, possible: number): Capture {
  const share = possible > 0 ? valid / possible : 0;
  // Compared as integers (valid × 4 vs possible × 3) so 75 % exactly is never lost to rounding.
  const flag: CaptureFlag = valid * 4 < possible * 3 || possible === 0 ? 'too_little_data' : valid * 10 < possible * 9 ? 'below_target' : 'ok';
  return { valid, possible, share, flag };
}

/* ----------------------------------------------------------------------------------------------
 * Data quality per device: completeness, timeliness, stuck sensors, implausible values.
 * -------------------------------------------------------------------------------------------- */

export interface Completeness {
  received: number;
  /** Whole reporting intervals in the period. */
  expected: number;
  /** received ÷ expected, capped at 1 (a device reporting faster than configured is not "over 100 %"). */
  share: number;
}

function completenessOf(received: number, expected: number): Completeness {
  return { received, expected, share: expected > 0 ? Math.min(1, received / expected) : 0 };
}

/** Completeness of one device's data over a period: readings received ÷ readings expected. */
export function completeness(received: number, period: Period, intervalS: number): Completeness {
  if (!(intervalS > 0)) throw new RangeError(`reporting interval must be positive; got ${intervalS}`);
  return completenessOf(received, Math.floor((parseInstant(period.end) - parseInstant(period.start)) / (intervalS * 1000)));
}

/**
 * Completeness of several devices together (a street, a ward): all they received ÷ all they should
 * have sent, so a device that should send more weighs more.
 */
export function combinedCompleteness(parts: readonly Completeness[]): Completeness {
  let received = 0;
  let expected = 0;
  for (const part of parts) {
    received += part.received;
    expected += part.expected;
  }
  return completenessOf(received, expected);
}

export interface Timeliness {
  received: number;
  onTime: number;
  /** The delay allowed between a reading's timestamp and its arrival, seconds. */
  maxDelayS: number;
  /** onTime ÷ received; null when nothing arrived. */
  share: number | null;
}

/**
 * Timeliness: the share of received readings that arrived within `maxDelayS` of their own timestamp.
 * The database counts both (`count(*)` and `count(*) FILTER (WHERE received_at - time <= …)`).
 */
export function timeliness(counts: { received: number; onTime: number }, maxDelayS: number): Timeliness {
  if (counts.onTime > counts.received || counts.onTime < 0) {
    throw new RangeError(`on-time readings (${counts.onTime}) must be between 0 and those received (${counts.received})`);
  }
  return { ...counts, maxDelayS, share: counts.received > 0 ? counts.onTime / counts.received : null };
}

export type QualityFlagReason = 'stuck' | 'out_of_range';

/** A stretch of a device's series to exclude from statistics, and why. */
export interface QualityFlag {
  reason: QualityFlagReason;
  /** ISO 8601 UTC, inclusive. */
  start: string;
  /** ISO 8601 UTC, exclusive. */
  end: string;
  /** The repeated value (stuck) or the implausible one (out of range). */
  value: number;
  /** Points of the series inside the stretch. */
  points: number;
}

/** A point of a series: a raw reading or an hourly mean. */
export interface SeriesPoint {
  time: string;
  value: number;
}

export const STUCK_MIN_DURATION_S = 3 * 3600;

/**
 * The metrics a stuck run is looked for in: the pollutants, whose sensors do flat-line when they
 * fail. Not traffic (no buses for three hours at night is a count of 0, not a fault), not humidity
 * (100 % for hours in fog or rain is real), not temperature (a 0.1 °C sensor can read the same for
 * hours on a still night).
 */
export const STUCK_CHECKED_METRICS: readonly Metric[] = ['no2', 'pm25', 'pm10', 'o3', 'so2'];

/**
 * Whether a run of one value is evidence of a stuck sensor: a run at 0 is not, because a clean
 * sensor at its detection floor (SO2 often is) reads 0 for hours.
 */
export function isSuspectRun(flag: QualityFlag): boolean {
  return flag.reason !== 'stuck' || flag.value !== 0;
}

export interface StuckOptions {
  /** The time each point stands for: the device's reporting interval, or 3600 for hourly means. */
  intervalS: number;
  /** Shortest run to flag, seconds; 3 hours by default. */
  minDurationS?: number;
  /** Values within this of the run's first value count as the same (µg/m³; hourly means of identical readings can differ in the last bits). */
  tolerance?: number;
}

/**
 * Runs of the same value lasting at least `minDurationS` (3 hours by default): a sensor that repeats
 * itself that long has almost certainly stopped measuring, so the run is flagged for exclusion.
 * A run covers its first point's time to its last point's time plus one interval. A missing point
 * (next point more than 1.5 intervals later) ends a run: we cannot say a sensor was stuck while it
 * was silent. Points must be in time order.
 */
export function findStuckRuns(points: readonly SeriesPoint[], options: StuckOptions): QualityFlag[] {
  const intervalMs = options.intervalS * 1000;
  if (!(intervalMs > 0)) throw new RangeError(`interval must be positive; got ${options.intervalS}`);
  const minDurationMs = (options.minDurationS ?? STUCK_MIN_DURATION_S) * 1000;
  const tolerance = options.tolerance ?? 1e-6;
  const flags: QualityFlag[] = [];
  let run: { index: number; startMs: number; value: number } | undefined;
  let previousMs = Number.NEGATIVE_INFINITY;

  const close = (endIndex: number): void => {
    if (!run) return;
    const endMs = previousMs + intervalMs;
    if (endMs - run.startMs >= minDurationMs) {
      flags.push({ reason: 'stuck', start: toIso(run.startMs), end: toIso(endMs), value: run.value, points: endIndex - run.index });
    }
  };

  points.forEach((point, i) => {
    const ms = parseInstant(point.time);
    if (ms <= previousMs) throw new RangeError(`series must be in time order without repeats; ${point.time} follows ${toIso(previousMs)}`);
    const continues = run !== undefined && ms - previousMs <= intervalMs * 1.5 && Math.abs(point.value - run.value) <= tolerance;
    if (!continues) {
      close(i);
      run = { index: i, startMs: ms, value: point.value };
    }
    previousMs = ms;
  });
  close(points.length);
  return flags;
}

/**
 * Aggregates whose mean is outside the metric's physical range (core/metrics.ts, the same check
 * ingest applies to each reading with `findRangeProblem`). Ingest already refuses such readings, so
 * this matters for imported or back-filled data.
 */
export function findOutOfRange(metric: Metric, aggregates: readonly MeanAggregate[], stepS: number): QualityFlag[] {
  const flags: QualityFlag[] = [];
  for (const aggregate of aggregates) {
    if (aggregate.mean === null) continue;
    if (findRangeProblem({ [metric]: aggregate.mean })) {
      const startMs = parseInstant(aggregate.start);
      flags.push({ reason: 'out_of_range', start: aggregate.start, end: toIso(startMs + stepS * 1000), value: aggregate.mean, points: 1 });
    }
  }
  return flags;
}

/**
 * The aggregates that overlap no flag. An hour touched by a stuck run is dropped whole: it becomes a
 * gap, which the capture rules then count as missing.
 */
export function excludeFlagged(aggregates: readonly MeanAggregate[], flags: readonly QualityFlag[], stepS: number): MeanAggregate[] {
  const spans = flags.map((flag) => [parseInstant(flag.start), parseInstant(flag.end)] as const);
  return aggregates.filter((aggregate) => {
    const startMs = parseInstant(aggregate.start);
    const endMs = startMs + stepS * 1000;
    return !spans.some(([flagStart, flagEnd]) => startMs < flagEnd && flagStart < endMs);
  });
}
