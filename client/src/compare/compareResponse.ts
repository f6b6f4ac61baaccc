import { array, boolean, nullable, number, object, oneOf, optional, string, type Decoded } from './decode.js';

/**
 * What `GET /api/v1/wards/compare` answers (scratch/compare-contract.md), decoded at the boundary;
 * the types come from the decoders. Numbers are unrounded: the page rounds them for display.
 */

export const COMPARE_METRICS = ['no2', 'pm25', 'pm10', 'o3', 'daqi', 'traffic_flow', 'congestion'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

export const PERIOD_PRESETS = ['7d', '30d', '365d'] as const;
export const PERIODS = [...PERIOD_PRESETS, 'custom'] as const;
export type PeriodChoice = (typeof PERIODS)[number];

export const DAQI_BANDS = ['Low', 'Moderate', 'High', 'Very High'] as const;

const breakClass = object({ lower: number, upper: nullable(number), label: string, colour: string });
const exceedance = object({ label: string, note: string });
const monthMean = object({ month: string, mean: nullable(number), days: number });
const daqiDays = object({ Low: number, Moderate: number, High: number, 'Very High': number });

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
export type DaqiDays = Decoded<typeof daqiDays>;
export type WardResult = Decoded<typeof wardResult>;
export type Comparison = Decoded<typeof comparison>;
export type CompareResponse = Decoded<typeof compareResponse>;

export function parseCompareResponse(json: unknown): CompareResponse {
  return compareResponse(json, '');
}

const apiError = object({
  error: object({
    code: string,
    message: string,
    // A 400 names each bad parameter; a 404 for wards lists them.
    details: (value: unknown) => value,
  }),
});

/** The server's error (server/errors.ts), flattened: its code, message, bad parameters and unknown wards. */
export interface ApiErrorBody {
  code: string;
  message: string;
  issues: { parameter: string; problem: string }[];
  wards: string[];
}

const issues = array(object({ parameter: string, problem: string }));
const unknownWards = object({ wards: array(string) });

/** The body of a 400 or 404, or null when the server sent something else (a proxy's HTML page). */
export function parseApiError(json: unknown): ApiErrorBody | null {
  try {
    const { error } = apiError(json, '');
    const details = error.details;
    return {
      code: error.code,
      message: error.message,
      issues: Array.isArray(details) ? issues(details, 'error.details') : [],
      wards: details !== null && typeof details === 'object' && !Array.isArray(details) ? unknownWards(details, 'error.details').wards : [],
    };
  } catch {
    return null;
  }
}
