import { array, boolean, nullable, number, object, oneOf, optional, string, type Decoded } from '../shared/decode.js';
import { daqiDays, type DaqiDays } from '../shared/daqiDays.js';
import { PERIODS } from '../shared/period.js';

/**
 * What `GET /api/v1/wards/compare` answers (scratch/compare-contract.md), decoded at the boundary;
 * the types come from the decoders. Numbers are unrounded: the page rounds them for display.
 */

export const COMPARE_METRICS = ['no2', 'pm25', 'pm10', 'o3', 'daqi', 'traffic_flow', 'congestion'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

// The periods are the same for every page that asks the store for one (shared/period.ts).
export { PERIOD_PRESETS, PERIODS, type PeriodChoice } from '../shared/period.js';

export const DAQI_BANDS = ['Low', 'Moderate', 'High', 'Very High'] as const;

const breakClass = object({ lower: number, upper: nullable(number), label: string, colour: string });
const exceedance = object({ label: string, note: string });
const monthMean = object({ month: string, mean: nullable(number), days: number });

const wardResult = object({
  code: string,
  name: string,
  selected: boolean,
  rank: nullable(number),
  devices: number,
  capture: nullable(number),
  daysWithData: number,
  mean: nullable(number),
  median: nullable(number),
  p95: nullable(number),
  ukExceedances: optional(number),
  whoExceedances: optional(number),
  daqiDays: optional(daqiDays),
  previousMean: optional(number),
  change: optional(number),
  changePercent: optional(number),
  // Only selected wards carry their months.
  monthly: optional(array(monthMean)),
});

const comparison = object({
  a: string,
  b: string,
  supported: boolean,
  difference: nullable(number),
  low: nullable(number),
  high: nullable(number),
  pairedDays: number,
  sentence: string,
});

const compareResponse = object({
  metric: oneOf(COMPARE_METRICS),
  label: string,
  unit: string,
  higherIsWorse: boolean,
  period: object({ preset: oneOf(PERIODS), from: string, to: string, days: number, start: string, end: string }),
  previousPeriod: optional(object({ from: string, to: string })),
  // Either standard may be missing (PM2.5 has no short-term UK objective); none for the DAQI and traffic.
  exceedances: optional(object({ uk: optional(exceedance), who: optional(exceedance) })),
  breaks: object({ classes: array(breakClass), explanation: string }),
  selected: array(string),
  all: boolean,
  wards: array(wardResult),
  comparisons: array(comparison),
  notes: array(string),
});

export type BreakClass = Decoded<typeof breakClass>;
export type Exceedance = Decoded<typeof exceedance>;
export type MonthMean = Decoded<typeof monthMean>;
export type WardResult = Decoded<typeof wardResult>;
export type Comparison = Decoded<typeof comparison>;
export type { DaqiDays };
export type CompareResponse = Decoded<typeof compareResponse>;

export function parseCompareResponse(json: unknown): CompareResponse {
  return compareResponse(json, '');
}
