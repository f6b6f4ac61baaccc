import { DAQI_COLOURS, DAQI_POLLUTANT_LABEL, type DaqiBand, type DaqiPollutant } from './daqi.js';
import { AIR_QUALITY_OBJECTIVES, type AirQualityObjective } from './objectives.js';
import { seededRandom, seedFrom } from './random.js';
import { CONGESTION_LEVEL_TEXT } from './traffic.js';

/**
 * Comparing wards for planners (issue 7): which metrics, how each ward's figures are summarised, the
 * choropleth's classes, and whether the gap between two wards is real. Pure: the figures per device
 * and day come from core/deviceDays.ts through the database.
 *
 * Definitions (docs/api.md, "Comparing wards"):
 * - A ward's daily value is the mean of its devices' valid daily means (each device weighs the
 *   same; a roadside and a back-garden sensor are both the ward). For the DAQI it is the index of the
 *   ward's worst device, as everywhere else (core/daqi.ts areaDaqi).
 * - Mean: each device's mean over the period (of its valid hourly means, as the objectives report
 *   it), averaged over the ward's devices. Median and 95th percentile: of the ward's daily values.
 * - The difference between two wards: the mean of their paired daily differences (days when both
 *   have a value), with a 95 % interval from a moving-block bootstrap. Blocks keep runs of days together:
 *   pollution on one day is like the day before's, and resampling single days would pretend there
 *   is more information than there is and give intervals that are too narrow.
 */

export const COMPARE_METRICS = ['no2', 'pm25', 'pm10', 'o3', 'daqi', 'traffic_flow', 'congestion'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

export interface CompareMetricInfo {
  label: string;
  unit: string;
  /** False for congestion: a lower % of the free-flow speed is worse. */
  higherIsWorse: boolean;
  /** Decimals to show. */
  decimals: number;
  /** The pollutant behind it, for the objectives and DAQI days. */
  pollutant?: DaqiPollutant;
  airQuality: boolean;
}

export const COMPARE_METRIC_INFO: Readonly<Record<CompareMetric, CompareMetricInfo>> = {
  no2: { label: DAQI_POLLUTANT_LABEL.no2, unit: 'µg/m³', higherIsWorse: true, decimals: 1, pollutant: 'no2', airQuality: true },
  pm25: { label: DAQI_POLLUTANT_LABEL.pm25, unit: 'µg/m³', higherIsWorse: true, decimals: 1, pollutant: 'pm25', airQuality: true },
  pm10: { label: DAQI_POLLUTANT_LABEL.pm10, unit: 'µg/m³', higherIsWorse: true, decimals: 1, pollutant: 'pm10', airQuality: true },
  o3: { label: DAQI_POLLUTANT_LABEL.o3, unit: 'µg/m³', higherIsWorse: true, decimals: 1, pollutant: 'o3', airQuality: true },
  daqi: { label: 'DAQI', unit: 'index', higherIsWorse: true, decimals: 1, airQuality: true },
  traffic_flow: { label: 'Traffic flow', unit: 'vehicles per hour', higherIsWorse: true, decimals: 0, airQuality: false },
  congestion: { label: 'Congestion', unit: '% of free-flow speed', higherIsWorse: false, decimals: 0, airQuality: false },
};

/* ----------------------------------------------------------------------------------------------
 * Exceedances: the UK objective and the WHO guideline counted in hours or days.
 * -------------------------------------------------------------------------------------------- */

export type CountedObjective = Extract<AirQualityObjective, { allowedPerYear: number }>;

export interface MetricObjectives {
  uk: CountedObjective | null;
  who: CountedObjective | null;
}

function counted(pollutant: DaqiPollutant, framework: 'uk' | 'who_2021'): CountedObjective | null {
  return (AIR_QUALITY_OBJECTIVES.find((objective) => objective.pollutant === pollutant && objective.framework === framework && objective.statistic !== 'annual_mean') as CountedObjective | undefined) ?? null;
}

/** The short-term UK objective and WHO guideline a metric's exceedances are counted against. */
export function metricObjectives(metric: CompareMetric): MetricObjectives {
  const pollutant = COMPARE_METRIC_INFO[metric].pollutant;
  if (!pollutant) return { uk: null, who: null };
  return { uk: counted(pollutant, 'uk'), who: counted(pollutant, 'who_2021') };
}

/** A column heading for an objective's count: "Hours over 200 µg/m³", "Days with a daily mean over 25 µg/m³". */
export function exceedanceLabel(objective: CountedObjective): string {
  switch (objective.statistic) {
    case 'hours_over':
      return `Hours over ${objective.limit} µg/m³`;
    case 'fifteen_minute_periods_over':
      return `15-minute periods over ${objective.limit} µg/m³`;
    case 'days_mean_over':
      return `Days with a daily mean over ${objective.limit} µg/m³`;
    case 'days_max_8h_over':
      return `Days with an 8-hour mean over ${objective.limit} µg/m³`;
  }
}

export function exceedanceNote(objective: CountedObjective): string {
  const unit = objective.statistic === 'hours_over' ? 'hours' : 'days';
  return objective.framework === 'uk'
    ? `UK objective: no more than ${objective.allowedPerYear} ${unit} a year, at the ward's worst device`
    : `WHO 2021 guideline: no more than 3–4 ${unit} a year, at the ward's worst device`;
}

/* ----------------------------------------------------------------------------------------------
 * Choropleth classes: fixed at the numbers people know, so a colour means the same every period.
 * -------------------------------------------------------------------------------------------- */

export interface CompareClass {
  lower: number;
  /** Exclusive; null for the top class. */
  upper: number | null;
  label: string;
  colour: string;
}

export interface CompareBreaks {
  classes: CompareClass[];
  explanation: string;
}

/** ColorBrewer Purples (sequential, colour-blind safe, read by lightness), as the live map's wards. */
const PURPLES = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'] as const;

function fixedClasses(edges: readonly number[], notes: readonly string[], colours: readonly string[]): CompareClass[] {
  return [0, ...edges].map((lower, i) => {
    const upper = edges[i] ?? null;
    const range = upper === null ? `${lower} or more` : `${lower}–${upper}`;
    const note = notes[i] ?? '';
    return { lower, upper, label: note ? `${range} (${note})` : range, colour: colours[i] as string };
  });
}

export const COMPARE_BREAKS: Readonly<Record<CompareMetric, CompareBreaks>> = {
  no2: {
    classes: fixedClasses([10, 20, 30, 40], ['under the WHO guideline of 10', '', '', 'under the UK objective of 40', 'over the UK objective'], PURPLES),
    explanation: 'Breaks are fixed at the WHO 2021 annual guideline (10 µg/m³) and the UK annual objective (40 µg/m³), with even steps between, so a colour means the same in every period.',
  },
  pm25: {
    classes: fixedClasses([5, 10, 15, 20], ['under the WHO guideline of 5', "under England's 2040 target of 10", '', 'under the UK limit of 20', 'over the UK limit'], PURPLES),
    explanation: "Breaks are fixed at the WHO 2021 annual guideline (5 µg/m³), England's 2040 target (10 µg/m³) and the UK annual limit (20 µg/m³), so a colour means the same in every period.",
  },
  pm10: {
    classes: fixedClasses([15, 20, 30, 40], ['under the WHO guideline of 15', '', '', 'under the UK objective of 40', 'over the UK objective'], PURPLES),
    explanation: 'Breaks are fixed at the WHO 2021 annual guideline (15 µg/m³) and the UK annual objective (40 µg/m³), so a colour means the same in every period.',
  },
  o3: {
    classes: fixedClasses([40, 60, 80, 100], ['', 'under the WHO peak-season guideline of 60', '', 'under the UK 8-hour objective of 100', 'over the UK 8-hour objective'], PURPLES),
    explanation: 'Ozone has no UK annual objective. Breaks are at the WHO 2021 peak-season guideline (60 µg/m³) and the UK 8-hour objective (100 µg/m³); a mean over them means many high hours.',
  },
  daqi: {
    // Each band in its official colour (the middle index's): Low 1–3, Moderate 4–6, High 7–9, Very High 10.
    classes: [
      { lower: 1, upper: 3.5, label: 'Low (1–3)', colour: DAQI_COLOURS[1] as string },
      { lower: 3.5, upper: 6.5, label: 'Moderate (4–6)', colour: DAQI_COLOURS[4] as string },
      { lower: 6.5, upper: 9.5, label: 'High (7–9)', colour: DAQI_COLOURS[7] as string },
      { lower: 9.5, upper: null, label: 'Very High (10)', colour: DAQI_COLOURS[9] as string },
    ],
    explanation: "The ward's mean daily index, in the bands and official colours of Defra's Daily Air Quality Index (a mean of 3.4 rounds to 3, Low).",
  },
  traffic_flow: {
    classes: fixedClasses([100, 300, 600, 1000], ['quiet', '', '', '', 'as busy as a main road'], PURPLES),
    explanation: 'Breaks at round numbers of motor vehicles an hour, averaged over the whole day and night: under 100 is a quiet street, over 1,000 a main road.',
  },
  congestion: {
    // Speed as a share of the night-time speed, at core/traffic.ts's congestion levels; darker = worse.
    classes: fixedClasses([40, 60, 80], [CONGESTION_LEVEL_TEXT.severe.toLowerCase(), CONGESTION_LEVEL_TEXT.congested.toLowerCase(), CONGESTION_LEVEL_TEXT.busy.toLowerCase(), CONGESTION_LEVEL_TEXT.free_flowing.toLowerCase()], [...PURPLES].reverse().slice(1)),
    explanation: "Mean speed as a share of each counter's night-time (free-flow) speed, at the live map's congestion levels: under 60 % is congested, under 40 % severely.",
  },
};

/** The class a value falls in (values under the lowest class go in it). */
export function classOf(breaks: CompareBreaks, value: number): CompareClass {
  return breaks.classes.find((c) => c.upper === null || value < c.upper) ?? (breaks.classes.at(-1) as CompareClass);
}

/* ----------------------------------------------------------------------------------------------
 * Statistics.
 * -------------------------------------------------------------------------------------------- */

export function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((sum, v) => sum + v, 0) / values.length : null;
}

/**
 * The p-th quantile (0–1) by linear interpolation between order statistics (Hyndman and Fan type 7,
 * the default of R, NumPy and spreadsheets): the median of 1, 2, 3, 4 is 2.5.
 */
export function quantile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a quantile is between 0 and 1; got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return below + (h - lo) * (above - below);
}

export const DAQI_BANDS: readonly DaqiBand[] = ['Low', 'Moderate', 'High', 'Very High'];

/* ----------------------------------------------------------------------------------------------
 * The difference between two wards.
 * -------------------------------------------------------------------------------------------- */

/** Fewer days in common than this and the comparison is not made: a fortnight. */
export const MIN_PAIRED_DAYS = 14;
export const BOOTSTRAP_RESAMPLES = 2000;

export interface WardSide {
  code: string;
  name: string;
  /** Daily values by London date. */
  daily: ReadonlyMap<string, number>;
  devices: number;
  /** Data capture, %; null without devices. */
  capture: number | null;
}

export interface WardDifference {
  supported: boolean;
  /** a − b, the mean of the paired daily differences; null when not supported. */
  difference: number | null;
  low: number | null;
  high: number | null;
  pairedDays: number;
  sentence: string;
}

/**
 * Block length for the moving-block bootstrap: √n rounded, so 19 days for a year, 5 for a month.
 * Measured on weather-like series (AR(1), φ 0.6; 400 simulated trials each, with the t below):
 * blocks of n^(1/3), the textbook order for a mean, covered the true mean in 83 % of trials for 30
 * days and 91 % for 365; blocks of √n in 87 % and 93 %.
 */
export function blockLength(n: number): number {
  return Math.max(1, Math.min(n, Math.round(Math.sqrt(n))));
}

/** Student's t 0.975 quantiles for 1–30 degrees of freedom (standard tables). */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Student's t 0.975 quantile: the table to 30 degrees of freedom, then the Cornish–Fisher expansion (3 decimals). */
export function t975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be at least 1; got ${df}`);
  const whole = Math.floor(df);
  if (whole <= T_975.length) return T_975[whole - 1] as number;
  const z = 1.959964;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / whole + g2 / whole ** 2 + g3 / whole ** 3;
}

/**
 * A 95 % interval for the mean of `series` (in time order): the moving-block bootstrap's standard
 * error (series of the same length built from blocks of `blockLength` consecutive values started at
 * random) times Student's t with one fewer degrees of freedom than there are blocks. The t, not 1.96,
 * because a month holds only a few independent blocks: percentile intervals were too narrow there.
 * The seed makes it repeatable: the same data always give the same interval.
 */
export function blockBootstrapInterval(series: readonly number[], seed: number, resamples: number = BOOTSTRAP_RESAMPLES): { low: number; high: number } {
  const n = series.length;
  if (n < 2) throw new RangeError('the bootstrap needs at least two values');
  const length = blockLength(n);
  const starts = n - length + 1;
  const random = seededRandom(seed);
  let total = 0;
  let totalSquares = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    let taken = 0;
    while (taken < n) {
      const start = Math.floor(random() * starts);
      for (let i = 0; i < length && taken < n; i++, taken++) sum += series[start + i] as number;
    }
    const resampled = sum / n;
    total += resampled;
    totalSquares += resampled * resampled;
  }
  const bootMean = total / resamples;
  const standardError = Math.sqrt(Math.max(0, (totalSquares - resamples * bootMean * bootMean) / (resamples - 1)));
  const centre = mean(series) as number;
  const margin = t975(Math.max(1, Math.floor(n / length) - 1)) * standardError;
  return { low: centre - margin, high: centre + margin };
}

/**
 * "31.2", "1,204": a fixed number of decimals, halves rounded up, a true minus sign (−) for
 * negatives, never "−0.0". Floating-point noise goes first: 25.249999999999993 is 25.25, shown 25.3.
 */
export function formatNumber(value: number, decimals: number): string {
  const clean = Number(value.toPrecision(12));
  const text = Math.abs(clean).toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return clean < 0 && !/^0(\.0+)?$/.test(text) ? `−${text}` : text;
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

function amount(value: number, metric: CompareMetric): string {
  const info = COMPARE_METRIC_INFO[metric];
  if (metric === 'daqi') return `${formatNumber(value, info.decimals)} ${value === 1 ? 'point' : 'points'} on the index`;
  if (metric === 'congestion') return `${formatNumber(value, info.decimals)} percentage points of free-flow speed`;
  return `${formatNumber(value, info.decimals)} ${info.unit}`;
}

function deviceWords(n: number): string {
  return `${n} ${n === 1 ? 'device' : 'devices'}`;
}

/**
 * Compares ward A with ward B on their paired daily values, with an interval and a sentence a
 * planner can quote. Not made (and the sentence says why) when either ward has no devices or they
 * share fewer than MIN_PAIRED_DAYS days with data.
 */
export function compareWards(metric: CompareMetric, a: WardSide, b: WardSide): WardDifference {
  const info = COMPARE_METRIC_INFO[metric];
  const label = info.label;
  const differences: number[] = [];
  for (const [date, value] of [...a.daily].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const other = b.daily.get(date);
    if (other !== undefined) differences.push(value - other);
  }
  const notSupported = (reason: string): WardDifference => ({
    supported: false,
    difference: null,
    low: null,
    high: null,
    pairedDays: differences.length,
    sentence: `${a.name} and ${b.name} cannot be compared on ${label} for this period: ${reason}.`,
  });
  const without = [a, b].filter((side) => side.devices === 0);
  if (without.length > 0) {
    return notSupported(`${without.map((side) => side.name).join(' and ')} ${without.length === 1 ? 'has' : 'have'} no devices with ${label} data`);
  }
  if (differences.length < MIN_PAIRED_DAYS) {
    const days = differences.length === 1 ? 'is only 1 day' : `are only ${differences.length} days`;
    return notSupported(`there ${days} when both have data, and at least ${MIN_PAIRED_DAYS} are needed`);
  }
  const difference = mean(differences) as number;
  const { low, high } = blockBootstrapInterval(differences, seedFrom(`${metric}:${a.code}:${b.code}`));
  const shown = (value: number) => formatNumber(value, info.decimals);
  const devices = a.devices > 1 && b.devices > 1 ? `${a.devices} and ${b.devices} devices` : `${deviceWords(a.devices)} and ${deviceWords(b.devices)}`;
  const from = `from ${devices} with ${formatNumber(a.capture ?? 0, 0)}% and ${formatNumber(b.capture ?? 0, 0)}% data capture`;
  // "Higher" for a pollutant; for congestion a higher % of free-flow speed means traffic moved better.
  // The interval is turned with the words: "3 lower (95% interval 1 to 5)", not "−5 to −1".
  const direction = difference >= 0 ? 'higher' : 'lower';
  const [from_, to_] = difference >= 0 ? [low, high] : [-high, -low];
  const interval = `95% interval ${shown(from_)} to ${shown(to_)}`;
  let sentence: string;
  if (low <= 0 && high >= 0) {
    sentence = `${possessive(a.name)} ${label} was ${amount(Math.abs(difference), metric)} ${direction} than ${possessive(b.name)} (${interval}), ${from}. The interval includes no difference, so these data do not show a real gap.`;
  } else {
    sentence = `${possessive(a.name)} ${label} was ${amount(Math.abs(difference), metric)} ${direction} than ${possessive(b.name)} (${interval}), ${from}.`;
  }
  const lowCapture = [a, b].filter((side) => side.capture !== null && side.capture < 75);
  if (lowCapture.length > 0) sentence += ` ${lowCapture.map((side) => side.name).join(' and ')} had under 75% data capture, so treat this with care.`;
  return { supported: true, difference, low, high, pairedDays: differences.length, sentence };
}
