import { dailyMaxRunning8hMean, dailyMean, periodMean, QUARTER_HOUR_MS, validMeans, type DailyStatistic, type ValidMeans } from './averaging.js';
import { capture, type Capture } from './dataCapture.js';
import type { AirQualitySeries, DaqiPollutant } from './daqi.js';
import { HOUR_MS, isLondonCalendarYear, londonDays, parseInstant, type LondonDay, type Period } from './londonTime.js';

/**
 * UK air quality objectives and limit values, and the WHO 2021 guidelines, for a period (usually a
 * London calendar year), each with its data capture.
 *
 * Sources (values as in ../shared/FORMATS.md, the project's authoritative table):
 * - UK: Air Quality Standards Regulations 2010 (and the Welsh, Scottish and NI equivalents), limit
 *   values for NO2, PM10, PM2.5 and SO2; Air Quality Strategy / Air Quality (England) Regulations
 *   2000 objectives, including O3 (100 µg/m³ daily maximum 8-hour mean, ≤ 10 days a year).
 * - England: Environmental Targets (Fine Particulate Matter) (England) Regulations 2023, annual mean
 *   PM2.5 of 10 µg/m³ by 2040.
 * - Scotland: Air Quality (Scotland) Regulations 2000 as amended (PM10 18 annual and 50 daily on no
 *   more than 7 days; PM2.5 10).
 * - WHO global air quality guidelines (2021). The short-term guidelines are 99th percentiles,
 *   "i.e. 3–4 exceedance days per year": with 365 days, a 99th percentile at or below the guideline
 *   allows 3 days over it, so `allowedPerYear` is 3.
 *
 * Counting rules:
 * - "Not to be exceeded more than N times": an exceedance is a value strictly greater than the limit
 *   (LAQM: "more than 18 hourly means greater than 200 µg/m³"), compared before any rounding (the
 *   DAQI's whole-µg/m³ rounding is a banding rule, not part of the objectives).
 * - Hourly and 15-minute means are valid with 75 % of their readings; a daily mean with 75 % of the
 *   day's hours; a daily maximum 8-hour mean with 75 % of the day's running means (core/averaging.ts).
 *   Days are London calendar days.
 * - An annual mean is the mean of the period's valid hourly means. Capture = valid hours ÷ hours in
 *   the period (valid days ÷ days for day counts; valid 15-minute periods for SO2's 15-minute count).
 * - Status: a count already over its allowance is `exceeded` whatever the capture (those exceedances
 *   were measured). Otherwise a period that is not a whole calendar year is `partial_period`, under
 *   75 % capture is `insufficient_data` (LAQM.TG22: annualise first), and the rest `met` or
 *   `exceeded`. Under 90 % capture the `capture.flag` says so.
 */

export type ObjectiveFramework = 'uk' | 'england' | 'scotland' | 'who_2021';

export type ObjectiveStatistic =
  /** Mean of the period's valid hourly means, compared with `limit`. */
  | 'annual_mean'
  /** Hours whose valid hourly mean is over `limit`. */
  | 'hours_over'
  /** 15-minute periods whose valid mean is over `limit` (SO2). */
  | 'fifteen_minute_periods_over'
  /** London days whose valid daily mean is over `limit`. */
  | 'days_mean_over'
  /** London days whose valid maximum running 8-hour mean is over `limit` (O3). */
  | 'days_max_8h_over';

interface ObjectiveBase {
  id: string;
  pollutant: DaqiPollutant;
  framework: ObjectiveFramework;
  /** µg/m³. */
  limit: number;
  label: string;
}

export type AirQualityObjective =
  | (ObjectiveBase & { statistic: 'annual_mean' })
  | (ObjectiveBase & { statistic: Exclude<ObjectiveStatistic, 'annual_mean'>; allowedPerYear: number });

const WHO_ALLOWED_DAYS = 3;

export const AIR_QUALITY_OBJECTIVES: readonly AirQualityObjective[] = [
  { id: 'uk.no2.1h', pollutant: 'no2', framework: 'uk', statistic: 'hours_over', limit: 200, allowedPerYear: 18, label: 'NO₂ 200 µg/m³ hourly mean, ≤ 18 hours a year' },
  { id: 'uk.no2.annual', pollutant: 'no2', framework: 'uk', statistic: 'annual_mean', limit: 40, label: 'NO₂ 40 µg/m³ annual mean' },
  { id: 'uk.pm10.24h', pollutant: 'pm10', framework: 'uk', statistic: 'days_mean_over', limit: 50, allowedPerYear: 35, label: 'PM10 50 µg/m³ daily mean, ≤ 35 days a year' },
  { id: 'uk.pm10.annual', pollutant: 'pm10', framework: 'uk', statistic: 'annual_mean', limit: 40, label: 'PM10 40 µg/m³ annual mean' },
  { id: 'uk.pm25.annual', pollutant: 'pm25', framework: 'uk', statistic: 'annual_mean', limit: 20, label: 'PM2.5 20 µg/m³ annual mean (limit value)' },
  { id: 'uk.o3.8h', pollutant: 'o3', framework: 'uk', statistic: 'days_max_8h_over', limit: 100, allowedPerYear: 10, label: 'O₃ 100 µg/m³ daily maximum 8-hour mean, ≤ 10 days a year' },
  { id: 'uk.so2.15min', pollutant: 'so2', framework: 'uk', statistic: 'fifteen_minute_periods_over', limit: 266, allowedPerYear: 35, label: 'SO₂ 266 µg/m³ 15-minute mean, ≤ 35 times a year' },
  { id: 'uk.so2.1h', pollutant: 'so2', framework: 'uk', statistic: 'hours_over', limit: 350, allowedPerYear: 24, label: 'SO₂ 350 µg/m³ hourly mean, ≤ 24 hours a year' },
  { id: 'uk.so2.24h', pollutant: 'so2', framework: 'uk', statistic: 'days_mean_over', limit: 125, allowedPerYear: 3, label: 'SO₂ 125 µg/m³ daily mean, ≤ 3 days a year' },
  { id: 'england.pm25.2040', pollutant: 'pm25', framework: 'england', statistic: 'annual_mean', limit: 10, label: 'PM2.5 10 µg/m³ annual mean (England target for 2040)' },
  { id: 'scotland.pm10.24h', pollutant: 'pm10', framework: 'scotland', statistic: 'days_mean_over', limit: 50, allowedPerYear: 7, label: 'PM10 50 µg/m³ daily mean, ≤ 7 days a year (Scotland)' },
  { id: 'scotland.pm10.annual', pollutant: 'pm10', framework: 'scotland', statistic: 'annual_mean', limit: 18, label: 'PM10 18 µg/m³ annual mean (Scotland)' },
  { id: 'scotland.pm25.annual', pollutant: 'pm25', framework: 'scotland', statistic: 'annual_mean', limit: 10, label: 'PM2.5 10 µg/m³ annual mean (Scotland)' },
  { id: 'who.pm25.annual', pollutant: 'pm25', framework: 'who_2021', statistic: 'annual_mean', limit: 5, label: 'PM2.5 5 µg/m³ annual mean (WHO 2021)' },
  { id: 'who.pm25.24h', pollutant: 'pm25', framework: 'who_2021', statistic: 'days_mean_over', limit: 15, allowedPerYear: WHO_ALLOWED_DAYS, label: 'PM2.5 15 µg/m³ daily mean (WHO 2021)' },
  { id: 'who.pm10.annual', pollutant: 'pm10', framework: 'who_2021', statistic: 'annual_mean', limit: 15, label: 'PM10 15 µg/m³ annual mean (WHO 2021)' },
  { id: 'who.pm10.24h', pollutant: 'pm10', framework: 'who_2021', statistic: 'days_mean_over', limit: 45, allowedPerYear: WHO_ALLOWED_DAYS, label: 'PM10 45 µg/m³ daily mean (WHO 2021)' },
  { id: 'who.no2.annual', pollutant: 'no2', framework: 'who_2021', statistic: 'annual_mean', limit: 10, label: 'NO₂ 10 µg/m³ annual mean (WHO 2021)' },
  { id: 'who.no2.24h', pollutant: 'no2', framework: 'who_2021', statistic: 'days_mean_over', limit: 25, allowedPerYear: WHO_ALLOWED_DAYS, label: 'NO₂ 25 µg/m³ daily mean (WHO 2021)' },
  { id: 'who.o3.8h', pollutant: 'o3', framework: 'who_2021', statistic: 'days_max_8h_over', limit: 100, allowedPerYear: WHO_ALLOWED_DAYS, label: 'O₃ 100 µg/m³ daily maximum 8-hour mean (WHO 2021)' },
];

export type ObjectiveStatus = 'met' | 'exceeded' | 'insufficient_data' | 'partial_period';

export interface ObjectiveAssessment {
  objective: AirQualityObjective;
  /**
   * `annual_mean`: the period's mean of valid hourly means, µg/m³ (null without any valid hour).
   * Counts: the number of hours, 15-minute periods or days over the limit.
   */
  value: number | null;
  status: ObjectiveStatus;
  capture: Capture;
}

/**
 * Assesses each objective whose pollutant the series has (SO2's 15-minute objective needs
 * `so2FifteenMinute`). The period must run from a London midnight to a London midnight; for O3's
 * 8-hour means on the first day, the series should start at 17:00 the evening before.
 */
export function assessObjectives(
  series: AirQualitySeries,
  period: Period,
  objectives: readonly AirQualityObjective[] = AIR_QUALITY_OBJECTIVES,
): ObjectiveAssessment[] {
  const days = londonDays(period);
  const fullYear = isLondonCalendarYear(period);
  const hourly = memo((pollutant: DaqiPollutant) => {
    const aggregates = series.hourly[pollutant];
    return aggregates && validMeans(aggregates);
  });
  const dailyMeans = memo((pollutant: DaqiPollutant) => {
    const hours = hourly(pollutant);
    return hours && days.map((day) => dailyMean(hours, day));
  });
  const dailyMax8h = memo((pollutant: DaqiPollutant) => {
    const hours = hourly(pollutant);
    return hours && days.map((day) => dailyMaxRunning8hMean(hours, day));
  });
  const so2Quarters = lazy(() => series.so2FifteenMinute && validMeans(series.so2FifteenMinute, QUARTER_HOUR_MS));

  const results: ObjectiveAssessment[] = [];
  for (const objective of objectives) {
    let measured: { value: number | null; capture: Capture } | undefined;
    switch (objective.statistic) {
      case 'annual_mean': {
        const hours = hourly(objective.pollutant);
        if (hours) {
          const mean = periodMean(hours, period);
          measured = { value: mean.value, capture: capture(mean.valid, mean.possible) };
        }
        break;
      }
      case 'hours_over': {
        const hours = hourly(objective.pollutant);
        if (hours) measured = countOver(hours, period, HOUR_MS, objective.limit);
        break;
      }
      case 'fifteen_minute_periods_over': {
        const means = objective.pollutant === 'so2' ? so2Quarters() : undefined;
        if (means) measured = countOver(means, period, QUARTER_HOUR_MS, objective.limit);
        break;
      }
      case 'days_mean_over': {
        const daily = dailyMeans(objective.pollutant);
        if (daily) measured = countDaysOver(daily, days, objective.limit);
        break;
      }
      case 'days_max_8h_over': {
        const daily = dailyMax8h(objective.pollutant);
        if (daily) measured = countDaysOver(daily, days, objective.limit);
        break;
      }
    }
    if (measured) results.push({ objective, ...measured, status: status(objective, measured.value, measured.capture, fullYear) });
  }
  return results;
}

function countOver(means: ValidMeans, period: Period, stepMs: number, limit: number): { value: number; capture: Capture } {
  const startMs = parseInstant(period.start);
  const endMs = parseInstant(period.end);
  let valid = 0;
  let over = 0;
  for (let t = startMs; t < endMs; t += stepMs) {
    const value = means.get(t);
    if (value === undefined) continue;
    valid += 1;
    if (value > limit) over += 1;
  }
  return { value: over, capture: capture(valid, (endMs - startMs) / stepMs) };
}

function countDaysOver(daily: readonly DailyStatistic[], days: readonly LondonDay[], limit: number): { value: number; capture: Capture } {
  let valid = 0;
  let over = 0;
  for (const day of daily) {
    if (day.value === null) continue;
    valid += 1;
    if (day.value > limit) over += 1;
  }
  return { value: over, capture: capture(valid, days.length) };
}

function status(objective: AirQualityObjective, value: number | null, dataCapture: Capture, fullYear: boolean): ObjectiveStatus {
  if (objective.statistic !== 'annual_mean' && value !== null && value > objective.allowedPerYear) return 'exceeded';
  if (!fullYear) return 'partial_period';
  if (dataCapture.flag === 'too_little_data') return 'insufficient_data';
  if (objective.statistic === 'annual_mean') return value !== null && value > objective.limit ? 'exceeded' : 'met';
  return 'met';
}

function lazy<V>(compute: () => V): () => V {
  let computed: { value: V } | undefined;
  return () => (computed ??= { value: compute() }).value;
}

function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key) as V;
  };
}
