import { HOUR_MS, londonOffsetMinutes, parseInstant, toIso, type Period } from './londonTime.js';
import { allMotorVehicles, TRAFFIC_COUNT_METRICS, type TrafficCountMetric } from './metrics.js';

/**
 * Traffic statistics for one counter, from the database's hourly aggregates: how much traffic there
 * is, how fast it moves compared with the same street empty, and when it is busiest.
 *
 * The "empty street" speed is learned from the device's own night-time readings rather than taken
 * from the speed limit: a residential street with parked cars and speed humps may flow at 25 km/h
 * in a 30 zone, and judging it against 30 would call it congested at 4 a.m. Times of day are London
 * wall-clock times, because "the 8 o'clock rush" happens at 08:00 BST in summer, not 08:00 UTC.
 */

/** One hour of one traffic counter, as the database aggregates it. */
export interface TrafficHour {
  /** Start of the hour, ISO 8601 UTC, on a whole hour. */
  start: string;
  /**
   * Mean flow over the hour's valid readings, vehicles per hour, per DfT class
   * (TRAFFIC_COUNT_METRICS in core/metrics.ts). A class the device did not count is absent.
   */
  flow: Partial<Record<TrafficCountMetric, number>>;
  /** Mean speed of the hour's valid readings, km/h; null when none. */
  speedKmh: number | null;
}

/** Vehicles per hour of all motor vehicles: every class but pedal cycles; undefined with no motor class. */
export function motorFlow(flow: Partial<Record<TrafficCountMetric, number>>): number | undefined {
  return allMotorVehicles(flow);
}

/* ----------------------------------------------------------------------------------------------
 * Validation and London hours of the day.
 * -------------------------------------------------------------------------------------------- */

interface LocatedHour {
  hour: TrafficHour;
  /** Start, epoch ms. */
  ms: number;
  /** London wall-clock hour the hour starts at, 0–23. */
  londonHour: number;
}

/**
 * London's wall-clock hour at a whole-hour instant. London's offset is a whole number of hours, so
 * a UTC hour is always a London hour: on the spring change day 01:00 is skipped, and on the autumn
 * one 01:00 comes twice (once BST, once GMT).
 */
function londonHourAt(ms: number): number {
  const local = ms / HOUR_MS + londonOffsetMinutes(ms) / 60;
  return ((local % 24) + 24) % 24;
}

function checkValue(value: number, what: string, start: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite number ≥ 0; got ${value} at ${start}`);
}

/**
 * Checks the hours and finds each one's London hour. Throws on a start off the whole hour, a start
 * given twice, or a negative or non-finite flow or speed: each is a bug in the query that produced
 * the hours, and would silently skew every mean.
 */
function locate(hours: readonly TrafficHour[]): LocatedHour[] {
  const seen = new Set<number>();
  return hours.map((hour) => {
    const ms = parseInstant(hour.start);
    if (ms % HOUR_MS !== 0) throw new RangeError(`a traffic hour must start on a whole hour; got ${hour.start}`);
    if (seen.has(ms)) throw new RangeError(`two traffic hours start at ${hour.start}`);
    seen.add(ms);
    for (const [metric, value] of Object.entries(hour.flow)) {
      if (value !== undefined) checkValue(value, `flow of ${metric}`, hour.start);
    }
    if (hour.speedKmh !== null) checkValue(hour.speedKmh, 'speed', hour.start);
    return { hour, ms, londonHour: londonHourAt(ms) };
  });
}

function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
}

/** The middle value, or the mean of the two middle values of an even count; null for none. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/* ----------------------------------------------------------------------------------------------
 * Free-flow speed.
 * -------------------------------------------------------------------------------------------- */

export interface FreeFlowOptions {
  /** First London hour of the night, inclusive, 0–23; 0 (midnight) by default. */
  nightStartHour?: number;
  /** London hour the night ends at, exclusive, 1–24; 5 by default. Before the start, the night wraps past midnight (22 to 5). */
  nightEndHour?: number;
  /** Night hours with a speed needed before trusting the result; 12 by default. */
  minNightHours?: number;
}

export const NIGHT_START_HOUR = 0;
export const NIGHT_END_HOUR = 5;
/** About two and a half nights of 00:00–05:00: fewer, and one odd night (roadworks, a race) would set the speed. */
export const MIN_NIGHT_HOURS = 12;

export interface FreeFlow {
  /** Median of the night hours' mean speeds, km/h. */
  speedKmh: number;
  /** Night hours with a speed it was taken from. */
  nightHours: number;
}

function isNight(londonHour: number, startHour: number, endHour: number): boolean {
  return startHour < endHour ? londonHour >= startHour && londonHour < endHour : londonHour >= startHour || londonHour < endHour;
}

/**
 * The speed the street flows at when empty: the median of the mean speeds of hours starting between
 * `nightStartHour` and `nightEndHour` London time (00:00–05:00 by default). The median, not the
 * mean, so a few hours of night-time roadworks or one fast driver on an empty road do not move it.
 * Null with fewer than `minNightHours` night hours that have a speed.
 */
export function freeFlowSpeed(hours: readonly TrafficHour[], options: FreeFlowOptions = {}): FreeFlow | null {
  return freeFlowFromNightSpeeds(nightSpeeds(hours, options), options.minNightHours);
}

/**
 * The mean speeds of the hours that start in the night (`nightStartHour` to `nightEndHour` London
 * time), in the hours' order: what a free-flow speed is learned from. Kept per day by the ward
 * comparison (core/deviceDays.ts), so a period's free-flow speed needs no hourly data.
 */
export function nightSpeeds(hours: readonly TrafficHour[], options: Omit<FreeFlowOptions, 'minNightHours'> = {}): number[] {
  const startHour = options.nightStartHour ?? NIGHT_START_HOUR;
  const endHour = options.nightEndHour ?? NIGHT_END_HOUR;
  if (!Number.isInteger(startHour) || startHour < 0 || startHour > 23) throw new RangeError(`night start hour must be a whole hour 0–23; got ${startHour}`);
  if (!Number.isInteger(endHour) || endHour < 1 || endHour > 24) throw new RangeError(`night end hour must be a whole hour 1–24; got ${endHour}`);
  if (startHour === endHour % 24) throw new RangeError(`the night must not be empty or the whole day; got ${startHour} to ${endHour}`);
  const speeds: number[] = [];
  for (const { hour, londonHour } of locate(hours)) {
    if (hour.speedKmh !== null && isNight(londonHour, startHour, endHour)) speeds.push(hour.speedKmh);
  }
  return speeds;
}

/** The free-flow speed from night hours' speeds (see `freeFlowSpeed`): their median, given enough of them. */
export function freeFlowFromNightSpeeds(speeds: readonly number[], minNightHours: number = MIN_NIGHT_HOURS): FreeFlow | null {
  if (!Number.isInteger(minNightHours) || minNightHours < 1) throw new RangeError(`minimum night hours must be a whole number ≥ 1; got ${minNightHours}`);
  const speedKmh = median(speeds);
  return speedKmh !== null && speeds.length >= minNightHours ? { speedKmh, nightHours: speeds.length } : null;
}

/* ----------------------------------------------------------------------------------------------
 * Congestion.
 * -------------------------------------------------------------------------------------------- */

/** From least to most congested. */
export const CONGESTION_LEVELS = ['free_flowing', 'busy', 'congested', 'severe'] as const;
export type CongestionLevel = (typeof CONGESTION_LEVELS)[number];

export const CONGESTION_LEVEL_TEXT: Readonly<Record<CongestionLevel, string>> = {
  free_flowing: 'Free-flowing',
  busy: 'Busy',
  congested: 'Congested',
  severe: 'Severely congested',
};

/**
 * Lowest speed ratio (inclusive) of each level but the last. Traffic within 80 % of its empty-street
 * speed is moving freely; under 40 % it is crawling.
 */
const LEVEL_FLOORS: readonly (readonly [CongestionLevel, number])[] = [
  ['free_flowing', 0.8],
  ['busy', 0.6],
  ['congested', 0.4],
];

export interface Congestion {
  /** Speed ÷ free-flow speed, 0 to 1. */
  ratio: number;
  level: CongestionLevel;
}

/**
 * How congested traffic moving at `speedKmh` is on a street whose free-flow speed is `freeFlowKmh`.
 * The ratio is capped at 1: traffic faster than the night-time median is not "less than empty",
 * just empty.
 */
export function congestion(speedKmh: number, freeFlowKmh: number): Congestion {
  if (!Number.isFinite(freeFlowKmh) || freeFlowKmh <= 0) throw new RangeError(`free-flow speed must be a positive number; got ${freeFlowKmh}`);
  if (!Number.isFinite(speedKmh) || speedKmh < 0) throw new RangeError(`speed must be a finite number ≥ 0; got ${speedKmh}`);
  const ratio = Math.min(1, speedKmh / freeFlowKmh);
  const level = LEVEL_FLOORS.find(([, floor]) => ratio >= floor)?.[0] ?? 'severe';
  return { ratio, level };
}

function isCongested(level: CongestionLevel): boolean {
  return level === 'congested' || level === 'severe';
}

/* ----------------------------------------------------------------------------------------------
 * Busiest hours of the day.
 * -------------------------------------------------------------------------------------------- */

export interface BusyHour {
  /** London hour of the day the hour starts at, 0–23. */
  hour: number;
  /** London wall-clock span, e.g. '08:00–09:00' (23 gives '23:00–00:00'). */
  label: string;
  /** Mean motor-vehicle flow of the hours counted, vehicles per hour. */
  meanFlow: number;
  /** Hours with a motor-vehicle flow that went into the mean. */
  hoursCounted: number;
}

/** How many busiest hours a summary lists: enough for a morning peak, an evening one and a runner-up. */
export const BUSIEST_HOURS = 3;

const pad = (n: number): string => String(n).padStart(2, '0');

function hourLabel(hour: number): string {
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
}

function busiestOf(located: readonly LocatedHour[], top: number): BusyHour[] {
  const flows = new Map<number, number[]>();
  for (const { hour, londonHour } of located) {
    const flow = motorFlow(hour.flow);
    if (flow === undefined) continue;
    const group = flows.get(londonHour) ?? [];
    group.push(flow);
    flows.set(londonHour, group);
  }
  const ranked = [...flows].map(([hour, values]): BusyHour => ({ hour, label: hourLabel(hour), meanFlow: mean(values) as number, hoursCounted: values.length }));
  ranked.sort((a, b) => b.meanFlow - a.meanFlow || a.hour - b.hour);
  return ranked.slice(0, top);
}

/**
 * The `top` London hours of the day with the highest mean motor-vehicle flow (ties: the earlier
 * hour first). Hours are grouped by their London start hour, so on the autumn change day both 01:00s
 * count toward 01:00–02:00, and the spring day adds nothing to it. Hours with no motor-vehicle class
 * are left out rather than read as zero traffic.
 */
export function busiestHours(hours: readonly TrafficHour[], top = BUSIEST_HOURS): BusyHour[] {
  if (!Number.isInteger(top) || top < 1) throw new RangeError(`top must be a whole number ≥ 1; got ${top}`);
  return busiestOf(locate(hours), top);
}

/* ----------------------------------------------------------------------------------------------
 * Summary of a period.
 * -------------------------------------------------------------------------------------------- */

export interface TrafficSummary {
  /** From the first hour's start to the last hour's end; null with no hours. */
  period: Period | null;
  /** Hours with any flow or a speed. */
  hoursWithData: number;
  /** Mean flow per class, vehicles per hour, over the hours that have the class; absent if none do. */
  meanFlow: Partial<Record<TrafficCountMetric, number>>;
  /** Mean motor-vehicle flow, vehicles per hour, over the hours that have one; null if none. */
  meanMotorFlow: number | null;
  /** Mean of the hours' mean speeds, km/h (each hour weighs the same); null if no hour has a speed. */
  meanSpeedKmh: number | null;
  /** Hours with a speed. */
  hoursWithSpeed: number;
  /** The free-flow speed judged against, km/h; null when unknown. */
  freeFlowKmh: number | null;
  /** Congestion at the mean speed; null without a free-flow speed or a mean speed. */
  congestion: Congestion | null;
  /** Hours whose own speed is 'congested' or 'severe'; null without a free-flow speed, since unknown is not zero. */
  congestedHours: number | null;
  /** The BUSIEST_HOURS busiest London hours of the day, as busiestHours gives them. */
  busiestHours: BusyHour[];
}

/**
 * Flow, speed and congestion over the period the hours cover. Every mean is over the hours that
 * have the value: a missing hour is a gap, never zero traffic. `freeFlowKmh` is usually
 * `freeFlowSpeed(…)?.speedKmh ?? null`, learned over a longer stretch than the one summarised.
 */
export function trafficSummary(hours: readonly TrafficHour[], freeFlowKmh: number | null): TrafficSummary {
  if (freeFlowKmh !== null && (!Number.isFinite(freeFlowKmh) || freeFlowKmh <= 0)) {
    throw new RangeError(`free-flow speed must be a positive number; got ${freeFlowKmh}`);
  }
  const located = locate(hours);

  const classFlows = new Map<TrafficCountMetric, number[]>();
  const motorFlows: number[] = [];
  const speeds: number[] = [];
  let hoursWithData = 0;
  let congestedHours = 0;
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;

  for (const { hour, ms } of located) {
    firstMs = Math.min(firstMs, ms);
    lastMs = Math.max(lastMs, ms);
    let any = hour.speedKmh !== null;
    for (const metric of TRAFFIC_COUNT_METRICS) {
      const value = hour.flow[metric];
      if (value === undefined) continue;
      any = true;
      const values = classFlows.get(metric) ?? [];
      values.push(value);
      classFlows.set(metric, values);
    }
    if (any) hoursWithData += 1;
    const motor = motorFlow(hour.flow);
    if (motor !== undefined) motorFlows.push(motor);
    if (hour.speedKmh !== null) {
      speeds.push(hour.speedKmh);
      if (freeFlowKmh !== null && isCongested(congestion(hour.speedKmh, freeFlowKmh).level)) congestedHours += 1;
    }
  }

  const meanFlow: Partial<Record<TrafficCountMetric, number>> = {};
  for (const [metric, values] of classFlows) meanFlow[metric] = mean(values) as number;
  const meanSpeedKmh = mean(speeds);

  return {
    period: located.length > 0 ? { start: toIso(firstMs), end: toIso(lastMs + HOUR_MS) } : null,
    hoursWithData,
    meanFlow,
    meanMotorFlow: mean(motorFlows),
    meanSpeedKmh,
    hoursWithSpeed: speeds.length,
    freeFlowKmh,
    congestion: freeFlowKmh !== null && meanSpeedKmh !== null ? congestion(meanSpeedKmh, freeFlowKmh) : null,
    congestedHours: freeFlowKmh !== null ? congestedHours : null,
    busiestHours: busiestOf(located, BUSIEST_HOURS),
  };
}
