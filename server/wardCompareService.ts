import { daqiBand, type DaqiBand, type DaqiIndex } from '../core/daqi.js';
import { addDays, londonDay, londonDays, yearEarlier, type Period } from '../core/londonTime.js';
import { freeFlowFromNightSpeeds } from '../core/traffic.js';
import {
  COMPARE_BREAKS,
  COMPARE_METRIC_INFO,
  compareWards,
  DAQI_BANDS,
  exceedanceLabel,
  exceedanceNote,
  mean,
  metricObjectives,
  quantile,
  type CompareBreaks,
  type CompareMetric,
  type WardDifference,
} from '../core/wardCompare.js';
import type { DeviceDaysRepository, DeviceGroup, WardDayValue, WardDeviceFigures } from '../db/deviceDaysRepository.js';

/**
 * The ward comparison (issue 7): every ward's figures for a metric over a period of London days,
 * the trend of the chosen wards, and the difference between them. Reads `device_days` only
 * (core/deviceDays.ts works each device's day out once); the rules for summarising and comparing
 * are core/wardCompare.ts's.
 */

/** A free-flow speed is learned from the 28 days up to the period's end, as server/trafficService.ts does. */
const FREE_FLOW_DAYS = 28;

export interface CompareRequest {
  metric: CompareMetric;
  /** London dates, inclusive. */
  from: string;
  to: string;
  /** Ward codes to compare, in the order asked; empty means every ward. */
  wards: readonly string[];
}

export interface WardFigures {
  code: string;
  name: string;
  selected: boolean;
  rank: number | null;
  devices: number;
  capture: number | null;
  daysWithData: number;
  mean: number | null;
  median: number | null;
  p95: number | null;
  ukExceedances: number | null;
  whoExceedances: number | null;
  daqiDays: Record<DaqiBand, number> | null;
  previousMean: number | null;
  change: number | null;
  changePercent: number | null;
  monthly?: { month: string; mean: number | null; days: number }[];
  /** Only when asked for (briefings), on chosen wards: each day of the period with a value. */
  daily?: { date: string; value: number }[];
  /** With `daily`: each device's data capture, %. */
  deviceCaptures?: Record<string, number>;
}

export interface CompareOptions {
  /** One group of devices (a street's) as the only "ward", under its key, instead of every ward. */
  group?: DeviceGroup;
  /** Give the chosen wards' daily values too. */
  daily?: boolean;
}

export interface WardComparison {
  metric: CompareMetric;
  label: string;
  unit: string;
  higherIsWorse: boolean;
  period: { from: string; to: string; days: number; start: string; end: string };
  previousPeriod: { from: string; to: string };
  exceedances: { uk: { label: string; note: string } | null; who: { label: string; note: string } | null } | null;
  breaks: CompareBreaks;
  selected: string[];
  all: boolean;
  wards: WardFigures[];
  comparisons: ({ a: string; b: string } & WardDifference)[];
  notes: string[];
}

/** The first day of the month eleven months before `date`'s: twelve months of trend. */
export function trendStart(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 11;
  const start = new Date(Date.UTC(year, month - 1, 1));
  return start.toISOString().slice(0, 10);
}

function months(from: string, to: string): string[] {
  const out: string[] = [];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); ) {
    out.push(month);
    const [y, m] = month.split('-').map(Number) as [number, number];
    month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  }
  return out;
}

export class WardCompareService {
  constructor(private readonly days: Pick<DeviceDaysRepository, 'figures' | 'wardDevices' | 'nightSpeeds'>) {}

  /** `names`: every ward of the area, code → name, in the area's order (or the group's key and name). */
  async compare(request: CompareRequest, names: ReadonlyMap<string, string>, options: CompareOptions = {}): Promise<WardComparison> {
    const { group } = options;
    const { metric, from, to } = request;
    const info = COMPARE_METRIC_INFO[metric];
    const objectives = metricObjectives(metric);
    const previous = { from: yearEarlier(from), to: yearEarlier(to) };
    const firstDay = from < trendStart(to) ? from : trendStart(to);
    const period: Period = { start: londonDay(from).start, end: londonDay(to).end };
    const days = londonDays(period);
    const hoursInPeriod = days.reduce((sum, day) => sum + day.hours, 0);

    const congestion = metric === 'congestion';
    const [freeFlow, previousFreeFlow] = congestion ? await Promise.all([this.freeFlow(to), this.freeFlow(previous.to)]) : [undefined, undefined];
    const current = await this.days.figures(metric, firstDay, from, to, objectives, freeFlow, group);
    const daily = current.days;
    const devices = current.devices;
    const previousDevices = await this.days.wardDevices(metric, previous.from, previous.to, { uk: null, who: null }, previousFreeFlow, group);
    // A ward-day's DAQI is its worst device's, whatever the metric (for the DAQI itself, the same values).
    const daqiDaily = info.airQuality ? current.daqiDays : [];

    const all = request.wards.length === 0;
    const selected = all ? [...names.keys()] : [...request.wards];
    const selectedSet = new Set(selected);
    const inPeriod = (row: WardDayValue) => row.date >= from && row.date <= to;
    const byWard = groupBy(daily, (row) => row.wardCode);
    const devicesByWard = groupBy(devices, (row) => row.wardCode);
    const previousByWard = groupBy(previousDevices, (row) => row.wardCode);
    const daqiByWard = groupBy(daqiDaily.filter(inPeriod), (row) => row.wardCode);
    // Possible values per device: hours, or days for the DAQI (an index a day).
    const possible = metric === 'daqi' ? days.length : hoursInPeriod;
    const deviceMean = (figures: WardDeviceFigures, speeds: ReadonlyMap<string, number> | undefined): number | null => {
      if (figures.valid === 0) return null;
      const value = figures.sum / figures.valid;
      if (!congestion) return value;
      const speed = speeds?.get(figures.deviceId);
      return speed === undefined ? null : Math.min(100, (100 * value) / speed);
    };

    const wards: WardFigures[] = [...names].map(([code, name]) => {
      const values = (byWard.get(code) ?? []).filter(inPeriod);
      const dailyValues = values.map((row) => row.value);
      const wardDevices = devicesByWard.get(code) ?? [];
      const means = wardDevices.map((d) => deviceMean(d, freeFlow)).filter((v): v is number => v !== null);
      const previousMeans = (previousByWard.get(code) ?? []).map((d) => deviceMean(d, previousFreeFlow)).filter((v): v is number => v !== null);
      // The DAQI's "mean" is of the ward's daily index (its worst device's), like its median.
      const wardMean = metric === 'daqi' ? mean(dailyValues) : mean(means);
      const previousMean = metric === 'daqi' ? mean((byWard.get(code) ?? []).filter((row) => row.date >= previous.from && row.date <= previous.to).map((row) => row.value)) : mean(previousMeans);
      const change = wardMean !== null && previousMean !== null ? wardMean - previousMean : null;
      const worst = (pick: (d: WardDeviceFigures) => number | null) => {
        const counts = wardDevices.map(pick).filter((v): v is number => v !== null);
        return counts.length > 0 ? Math.max(...counts) : null;
      };
      const figures: WardFigures = {
        code,
        name,
        selected: selectedSet.has(code),
        rank: null,
        devices: wardDevices.length,
        capture: wardDevices.length > 0 ? (mean(wardDevices.map((d) => (100 * d.valid) / possible)) as number) : null,
        daysWithData: values.length,
        mean: wardMean,
        median: quantile(dailyValues, 0.5),
        p95: quantile(dailyValues, 0.95),
        ukExceedances: objectives.uk ? worst((d) => d.uk) : null,
        whoExceedances: objectives.who ? worst((d) => d.who) : null,
        daqiDays: info.airQuality && daqiByWard.has(code) ? bandCounts(daqiByWard.get(code) ?? []) : null,
        previousMean,
        change,
        changePercent: change !== null && previousMean !== null && previousMean !== 0 ? (100 * change) / previousMean : null,
      };
      if (figures.selected && !all) figures.monthly = monthly(byWard.get(code) ?? [], firstDay < from ? trendStart(to) : from, to);
      if (figures.selected && options.daily) {
        figures.daily = values.map((row) => ({ date: row.date, value: row.value })).sort((a, b) => (a.date < b.date ? -1 : 1));
        figures.deviceCaptures = Object.fromEntries(wardDevices.map((d) => [d.deviceId, (100 * d.valid) / possible]));
      }
      return figures;
    });

    // Worst first: highest, or for congestion the lowest share of free-flow speed; then by name.
    const ranked = wards.filter((w) => w.mean !== null).sort((a, b) => ((info.higherIsWorse ? (b.mean as number) - (a.mean as number) : (a.mean as number) - (b.mean as number)) || a.name.localeCompare(b.name)));
    ranked.forEach((ward, i) => (ward.rank = i + 1));
    const unranked = wards.filter((w) => w.mean === null).sort((a, b) => a.name.localeCompare(b.name));

    const comparisons: WardComparison['comparisons'] = [];
    if (!all && selected.length >= 2) {
      const side = (code: string) => {
        const ward = wards.find((w) => w.code === code) as WardFigures;
        return { code, name: ward.name, devices: ward.devices, capture: ward.capture, daily: new Map((byWard.get(code) ?? []).filter(inPeriod).map((row) => [row.date, row.value])) };
      };
      const a = side(selected[0] as string);
      for (const code of selected.slice(1)) comparisons.push({ a: a.code, b: code, ...compareWards(metric, a, side(code)) });
    }

    return {
      metric,
      label: info.label,
      unit: info.unit,
      higherIsWorse: info.higherIsWorse,
      period: { from, to, days: days.length, start: period.start, end: period.end },
      previousPeriod: previous,
      exceedances:
        objectives.uk || objectives.who
          ? {
              uk: objectives.uk && { label: exceedanceLabel(objectives.uk), note: exceedanceNote(objectives.uk) },
              who: objectives.who && { label: exceedanceLabel(objectives.who), note: exceedanceNote(objectives.who) },
            }
          : null,
      breaks: COMPARE_BREAKS[metric],
      selected,
      all,
      wards: [...ranked, ...unranked],
      comparisons,
      notes: notes(metric),
    };
  }

  /** Each counter's free-flow speed, learned from the night hours of the 28 days up to `to`. */
  private async freeFlow(to: string): Promise<Map<string, number>> {
    const speeds = await this.days.nightSpeeds(addDays(to, 1 - FREE_FLOW_DAYS), to);
    const out = new Map<string, number>();
    for (const [deviceId, night] of speeds) {
      const freeFlow = freeFlowFromNightSpeeds(night);
      if (freeFlow) out.set(deviceId, freeFlow.speedKmh);
    }
    return out;
  }
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

function bandCounts(days: readonly WardDayValue[]): Record<DaqiBand, number> {
  const counts = Object.fromEntries(DAQI_BANDS.map((band) => [band, 0])) as Record<DaqiBand, number>;
  for (const day of days) counts[daqiBand(day.value as DaqiIndex)] += 1;
  return counts;
}

function monthly(values: readonly WardDayValue[], from: string, to: string): { month: string; mean: number | null; days: number }[] {
  const byMonth = groupBy(
    values.filter((row) => row.date >= from && row.date <= to),
    (row) => row.date.slice(0, 7),
  );
  return months(from, to).map((month) => {
    const rows = byMonth.get(month) ?? [];
    return { month, mean: mean(rows.map((row) => row.value)), days: rows.length };
  });
}

function notes(metric: CompareMetric): string[] {
  const info = COMPARE_METRIC_INFO[metric];
  const common = [
    "A ward's daily value is the mean of its devices' daily means (each device counts the same). A day's mean needs 75% of its hours; an hour needs 75% of its readings. Flagged readings (stuck or out of range) are left out.",
    'Median and 95th percentile are of the ward\'s daily values over the period.',
    "Data capture is the share of the period's hours with a valid value, averaged over the ward's devices (a device that stopped part-way counts against it).",
    'The difference between two wards is the mean of their daily differences on the days both have data, with a 95% interval from a block bootstrap (2,000 resamples of runs of days). When the interval includes zero, the data do not show a real gap.',
    'Change is against the same dates a year earlier.',
  ];
  if (metric === 'daqi') {
    return ["A ward's daily index is its worst device's, as on the live map. Mean, median and 95th percentile are of those daily indices.", ...common.slice(2)];
  }
  if (metric === 'congestion') {
    return ["Congestion is a counter's mean speed as a share of its free-flow speed: the median speed of its night hours (00:00–05:00) over the 28 days up to the period's end. 100% is traffic moving as freely as at night.", ...common];
  }
  if (metric === 'traffic_flow') return ['Traffic flow is motor vehicles per hour (every class but pedal cycles), averaged over the whole day and night.', ...common];
  return [`Mean: each device's mean of its valid hourly ${info.label} over the period (as the UK objectives' annual mean is worked out), averaged over the ward's devices.`, ...common, 'Exceedances are counted at the ward\'s worst device: UK objectives and WHO 2021 guidelines apply where people are exposed, not to a ward average.'];
}
