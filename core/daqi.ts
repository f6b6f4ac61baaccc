import {
  dailyMax,
  dailyMaxRunning8hMean,
  dailyMean,
  periodMax,
  periodMean,
  QUARTER_HOUR_MS,
  running24hMean,
  running8hMean,
  validMeans,
  type Statistic,
  type ValidMeans,
} from './averaging.js';
import type { MeanAggregate } from './dataCapture.js';
import { HOUR_MS, londonDay, parseInstant, toIso, type LondonDay } from './londonTime.js';

/**
 * Defra's Daily Air Quality Index (../shared/FORMATS.md; Defra, "Update on Implementation of the
 * Daily Air Quality Index: information for data providers and publishers", April 2013, implementing
 * COMEAP's 2011 review; bands and colours as on UK-AIR's DAQI page).
 *
 * `daqiIndex` bands a concentration that has already been averaged correctly for its pollutant:
 * O3 running 8-hour mean, NO2 hourly mean, SO2 15-minute mean, PM2.5 and PM10 running 24-hour mean
 * (live) or daily mean (a day's index). A single raw reading banded here is *indicative*, and the UI
 * says so. `currentDaqi` and `dailyDaqi` do the averaging, from the database's hourly (and SO2
 * 15-minute) aggregates, with core/averaging.ts.
 */

export const DAQI_POLLUTANTS = ['o3', 'no2', 'so2', 'pm25', 'pm10'] as const;
export type DaqiPollutant = (typeof DAQI_POLLUTANTS)[number];

export type DaqiIndex = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export type DaqiBand = 'Low' | 'Moderate' | 'High' | 'Very High';

/** Each pollutant as people read it. */
export const DAQI_POLLUTANT_LABEL: Readonly<Record<DaqiPollutant, string>> = { o3: 'O₃', no2: 'NO₂', so2: 'SO₂', pm25: 'PM2.5', pm10: 'PM10' };

/**
 * Upper bound (inclusive, whole µg/m³) of indices 1–9 for each pollutant; anything above index 9's
 * bound is index 10.
 */
const UPPER_BOUNDS: Readonly<Record<DaqiPollutant, readonly number[]>> = {
  o3: [33, 66, 100, 120, 140, 160, 187, 213, 240],
  no2: [67, 134, 200, 267, 334, 400, 467, 534, 600],
  so2: [88, 177, 266, 354, 443, 532, 710, 887, 1064],
  pm25: [11, 23, 35, 41, 47, 53, 58, 64, 70],
  pm10: [16, 33, 50, 58, 66, 75, 83, 91, 100],
};

/** Official DAQI colours, index 1 to 10. */
export const DAQI_COLOURS: readonly string[] = [
  '#9CFF9C',
  '#31FF00',
  '#31CF00',
  '#FFFF00',
  '#FFCF00',
  '#FF9A00',
  '#FF6464',
  '#FF0000',
  '#990000',
  '#CE30FF',
];

export function daqiBand(index: DaqiIndex): DaqiBand {
  if (index <= 3) return 'Low';
  if (index <= 6) return 'Moderate';
  if (index <= 9) return 'High';
  return 'Very High';
}

export function daqiColour(index: DaqiIndex): string {
  return DAQI_COLOURS[index - 1] as string;
}

/**
 * The DAQI index for an averaged concentration. Concentrations are rounded to whole µg/m³ before
 * banding because the published bands have integer edges; halves round up (NO2 67.4 → 67 → index 1,
 * 67.5 → 68 → index 2; 200.4 → 200 → index 3, 200.5 → 201 → index 4).
 */
export function daqiIndex(pollutant: DaqiPollutant, concentration: number): DaqiIndex {
  if (!Number.isFinite(concentration) || concentration < 0) {
    throw new RangeError(`DAQI needs a finite, non-negative concentration; got ${concentration} for ${pollutant}`);
  }
  const rounded = Math.round(concentration);
  const bounds = UPPER_BOUNDS[pollutant];
  const position = bounds.findIndex((upper) => rounded <= upper);
  return (position === -1 ? 10 : position + 1) as DaqiIndex;
}

export interface DaqiResult {
  index: DaqiIndex;
  band: DaqiBand;
  /** The pollutant that set the index (the highest sub-index; first in DAQI_POLLUTANTS order on a tie). */
  pollutant: DaqiPollutant;
}

/** The overall index is the highest of the pollutants' sub-indices; undefined if none is given. */
export function overallDaqi(concentrations: Partial<Record<DaqiPollutant, number>>): DaqiResult | undefined {
  let best: DaqiResult | undefined;
  for (const pollutant of DAQI_POLLUTANTS) {
    const value = concentrations[pollutant];
    if (value === undefined) continue;
    const index = daqiIndex(pollutant, value);
    if (!best || index > best.index) best = { index, band: daqiBand(index), pollutant };
  }
  return best;
}

/**
 * The index a single reading's values would have if each were its pollutant's averaged value: what
 * the live map shows between the store's averaged figures, always labelled *indicative*.
 */
export function indicativeDaqi(values: Partial<Record<DaqiPollutant | string, number>>): DaqiResult | undefined {
  const concentrations: Partial<Record<DaqiPollutant, number>> = {};
  for (const pollutant of DAQI_POLLUTANTS) {
    const value = values[pollutant];
    if (value !== undefined) concentrations[pollutant] = value;
  }
  return overallDaqi(concentrations);
}

/* ----------------------------------------------------------------------------------------------
 * A device's index from its aggregates: now, and for a London day.
 * -------------------------------------------------------------------------------------------- */

/** What a device measured, as the database aggregates it (see core/dataCapture.ts). */
export interface AirQualitySeries {
  /** Hourly aggregates per pollutant. SO2's hourly aggregates feed only the 1-hour objective. */
  hourly: Partial<Record<DaqiPollutant, readonly MeanAggregate[]>>;
  /** SO2 15-minute aggregates: the DAQI and the 15-minute objective use these. */
  so2FifteenMinute?: readonly MeanAggregate[];
}

/** How the concentration behind a sub-index was averaged. */
export type DaqiAveraging =
  | 'hourly_mean'
  | 'max_15_minute_mean_in_hour'
  | 'running_8h_mean'
  | 'running_24h_mean'
  | 'daily_max_hourly_mean'
  | 'daily_max_15_minute_mean'
  | 'daily_max_running_8h_mean'
  | 'daily_mean';

export interface DaqiSubIndex extends Statistic {
  pollutant: DaqiPollutant;
  index: DaqiIndex;
  band: DaqiBand;
  /** The averaged concentration, µg/m³, before rounding (the index is from its whole-µg/m³ rounding). */
  value: number;
  averaging: DaqiAveraging;
}

export interface DaqiReport {
  /** The highest sub-index and the pollutant that set it; undefined when no pollutant had enough data. */
  overall: DaqiResult | undefined;
  subIndices: Partial<Record<DaqiPollutant, DaqiSubIndex>>;
  /** Pollutants the device measures (present in the input) without enough valid data for a sub-index. */
  insufficient: DaqiPollutant[];
}

export interface CurrentDaqi extends DaqiReport {
  /** End of the latest complete hour the index describes, ISO 8601 UTC. */
  asOf: string;
}

export interface DayDaqi extends DaqiReport {
  /** London date, YYYY-MM-DD. */
  date: string;
}

type PollutantStatistic = { statistic: Statistic; averaging: DaqiAveraging } | undefined;

function buildReport(statistics: Record<DaqiPollutant, PollutantStatistic>): DaqiReport {
  const subIndices: Partial<Record<DaqiPollutant, DaqiSubIndex>> = {};
  const concentrations: Partial<Record<DaqiPollutant, number>> = {};
  const insufficient: DaqiPollutant[] = [];
  for (const pollutant of DAQI_POLLUTANTS) {
    const entry = statistics[pollutant];
    if (!entry) continue;
    const { statistic, averaging } = entry;
    if (statistic.value === null) {
      insufficient.push(pollutant);
      continue;
    }
    const { value, valid, possible } = statistic;
    const index = daqiIndex(pollutant, value);
    subIndices[pollutant] = { pollutant, index, band: daqiBand(index), value, averaging, valid, possible };
    concentrations[pollutant] = value;
  }
  return { overall: overallDaqi(concentrations), subIndices, insufficient };
}

/** The end of the latest complete hour at `now`: 14:20 → 14:00 (the hour 13:00–14:00). */
export function latestCompleteHourEnd(now: string): string {
  const ms = parseInstant(now);
  return toIso(Math.floor(ms / HOUR_MS) * HOUR_MS);
}

/** Each pollutant's valid means (hourly; SO2 by quarter hour); undefined where the series has none. */
export type ValidAirQuality = Record<DaqiPollutant, ValidMeans | undefined>;

/** Indexes a series' valid means once, for working out many days from it (`dailyDaqiOf`). */
export function validAirQuality(series: AirQualitySeries): ValidAirQuality {
  const hourly = (pollutant: DaqiPollutant) => {
    const aggregates = series.hourly[pollutant];
    return aggregates ? validMeans(aggregates) : undefined;
  };
  return {
    no2: hourly('no2'),
    o3: hourly('o3'),
    pm25: hourly('pm25'),
    pm10: hourly('pm10'),
    so2: series.so2FifteenMinute ? validMeans(series.so2FifteenMinute, QUARTER_HOUR_MS) : undefined,
  };
}

/**
 * A device's DAQI now: for the hour ending at `asOf` (a whole hour, see `latestCompleteHourEnd`).
 * - NO2: that hour's mean (valid with 75 % of its readings).
 * - SO2: the highest valid 15-minute mean in that hour (the index is set per 15 minutes; an hourly
 *   display shows the worst quarter).
 * - O3: the running 8-hour mean ending at `asOf` (6 of 8 hours valid).
 * - PM2.5, PM10: the running 24-hour mean ending at `asOf` (18 of 24 hours valid).
 * Older data never stands in for a missing hour: the pollutant is then listed as insufficient.
 */
export function currentDaqi(series: AirQualitySeries, asOf: string): CurrentDaqi {
  const endMs = parseInstant(asOf);
  if (endMs % HOUR_MS !== 0) throw new RangeError(`asOf must be a whole hour; got ${asOf}`);
  const end = toIso(endMs);
  const lastHour = { start: toIso(endMs - HOUR_MS), end };
  const { no2, o3, pm25, pm10, so2 } = validAirQuality(series);
  return {
    asOf: end,
    ...buildReport({
      no2: no2 && { statistic: periodMean(no2, lastHour), averaging: 'hourly_mean' },
      so2: so2 && { statistic: periodMax(so2, lastHour, QUARTER_HOUR_MS), averaging: 'max_15_minute_mean_in_hour' },
      o3: o3 && { statistic: running8hMean(o3, end), averaging: 'running_8h_mean' },
      pm25: pm25 && { statistic: running24hMean(pm25, end), averaging: 'running_24h_mean' },
      pm10: pm10 && { statistic: running24hMean(pm10, end), averaging: 'running_24h_mean' },
    }),
  };
}

/**
 * A device's DAQI for a London calendar day (23, 24 or 25 hours):
 * - NO2: the day's highest valid hourly mean; SO2: the day's highest valid 15-minute mean.
 * - O3: the day's highest running 8-hour mean, over the means ending in the day (so the series must
 *   start at 17:00 local the day before); needs 75 % of those means valid.
 * - PM2.5, PM10: the day's mean of valid hours; needs 75 % of the day's hours (18 of 24).
 */
export function dailyDaqi(series: AirQualitySeries, date: string): DayDaqi {
  return dailyDaqiOf(validAirQuality(series), londonDay(date));
}

/** `dailyDaqi` from valid means indexed once (`validAirQuality`): many days of one series. */
export function dailyDaqiOf(valid: ValidAirQuality, day: LondonDay): DayDaqi {
  const { no2, o3, pm25, pm10, so2 } = valid;
  return {
    date: day.date,
    ...buildReport({
      no2: no2 && { statistic: dailyMax(no2, day), averaging: 'daily_max_hourly_mean' },
      so2: so2 && { statistic: dailyMax(so2, day, QUARTER_HOUR_MS), averaging: 'daily_max_15_minute_mean' },
      o3: o3 && { statistic: dailyMaxRunning8hMean(o3, day), averaging: 'daily_max_running_8h_mean' },
      pm25: pm25 && { statistic: dailyMean(pm25, day), averaging: 'daily_mean' },
      pm10: pm10 && { statistic: dailyMean(pm10, day), averaging: 'daily_mean' },
    }),
  };
}

/* ----------------------------------------------------------------------------------------------
 * Areas (a street, a ward): several devices.
 * -------------------------------------------------------------------------------------------- */

export interface DeviceDaqi {
  deviceId: string;
  daqi: DaqiResult | undefined;
}

export interface AreaDaqi extends DaqiResult {
  /** The device with the highest index (the lowest device id among equals). */
  deviceId: string;
  /** Devices that had an index. */
  devices: number;
}

/**
 * An area's index is its highest device index, not an average: it is what a resident on the worst
 * street breathes, and averaging a roadside sensor with a back-garden one would hide it. UK-AIR
 * likewise sets "the overall air pollution index for a site or region" by the highest concentration.
 * Undefined when no device has an index.
 */
export function areaDaqi(devices: readonly DeviceDaqi[]): AreaDaqi | undefined {
  let worst: AreaDaqi | undefined;
  let count = 0;
  for (const { deviceId, daqi } of devices) {
    if (!daqi) continue;
    count += 1;
    if (!worst || daqi.index > worst.index || (daqi.index === worst.index && deviceId < worst.deviceId)) {
      worst = { ...daqi, deviceId, devices: 0 };
    }
  }
  return worst && { ...worst, devices: count };
}

export interface AreaLevel {
  /** Mean across devices of each device's concentration, µg/m³ (each device weighs the same). */
  mean: number;
  devices: number;
}

/**
 * An area's typical level per pollutant: the mean across its devices of their (already averaged)
 * concentrations, e.g. each device's sub-index `value`. For levels on a map or in a table, never for
 * the area's index (see `areaDaqi`).
 */
export function areaMeanLevels(devices: readonly Partial<Record<DaqiPollutant, number>>[]): Partial<Record<DaqiPollutant, AreaLevel>> {
  const levels: Partial<Record<DaqiPollutant, AreaLevel>> = {};
  for (const pollutant of DAQI_POLLUTANTS) {
    let sum = 0;
    let count = 0;
    for (const device of devices) {
      const value = device[pollutant];
      if (value === undefined || !Number.isFinite(value)) continue;
      sum += value;
      count += 1;
    }
    if (count > 0) levels[pollutant] = { mean: sum / count, devices: count };
  }
  return levels;
}

/** The concentrations behind a report's sub-indices, for `areaMeanLevels`. */
export function reportConcentrations(report: DaqiReport): Partial<Record<DaqiPollutant, number>> {
  const concentrations: Partial<Record<DaqiPollutant, number>> = {};
  for (const pollutant of DAQI_POLLUTANTS) {
    const sub = report.subIndices[pollutant];
    if (sub) concentrations[pollutant] = sub.value;
  }
  return concentrations;
}
