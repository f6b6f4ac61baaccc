import type { Feature, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { streetLabel, type AreaGeography } from '../core/area.js';
import { briefingText, periodLabel, previousYearLabel, type BriefingFacts, type BriefingText, type PollutantFacts, type TrafficFacts } from '../core/briefing.js';
import type { DaqiBand } from '../core/daqi.js';
import type { LocatedDevice } from '../core/device.js';
import { addDays, londonDay, yearEarlier } from '../core/londonTime.js';
import { TRAFFIC_COUNT_METRICS, type Metric } from '../core/metrics.js';
import { motorFlow } from '../core/traffic.js';
import { COMPARE_METRIC_INFO, formatNumber, type CompareMetric } from '../core/wardCompare.js';
import type { AggregatesRepository } from '../db/aggregatesRepository.js';
import type { DeviceGroup } from '../db/deviceDaysRepository.js';
import { linesDistanceM } from '../geo/localMetric.js';
import { linesOf } from '../geo/streetIndex.js';
import type { WardCompareService, WardFigures } from './wardCompareService.js';

/**
 * A councillor's briefing for a ward or a street (issue 8): the figures from the ward comparison
 * (server/wardCompareService.ts; a street is its devices taken as one place), so every number
 * matches the comparison for the same period; the words from core/briefing.ts; a small map, a
 * daily trend and a daily pattern.
 */

/** With no device on a street, the nearest within this distance are used. */
export const NEAREST_WITHIN_M = 1000;
const NEAREST_COUNT = 3;

export interface BriefingPeriod {
  from: string;
  to: string;
  days: number;
}

export type BriefingPlaceRef = { kind: 'ward'; code: string } | { kind: 'street'; usrn: number };

export interface BriefingDevice {
  id: string;
  name: string;
  kind: LocatedDevice['kind'];
  lon: number;
  lat: number;
  /** Data capture over the period, % (of the air-quality metric it measures, or traffic flow); null without data. */
  capture: number | null;
  distanceM: number | null;
}

export interface Briefing extends BriefingText {
  place: { kind: 'ward' | 'street'; id: string; name: string; ward: { code: string; name: string } | null; uprnCount: number | null };
  period: BriefingPeriod & { label: string };
  previousPeriod: { from: string; to: string; label: string };
  daqiDays: Record<DaqiBand, number> | null;
  devices: BriefingDevice[];
  nearest: boolean;
  map: { bounds: [number, number, number, number]; place: Feature<Polygon | MultiPolygon | LineString | MultiLineString> };
  charts: {
    trend: { title: string; unit: string; points: { date: string; value: number | null }[]; reference: { value: number; label: string } | null; summary: string } | null;
    dailyPattern: { title: string; unit: string; hours: { hour: number; value: number | null }[]; summary: string } | null;
  };
}

export interface BriefingDeps {
  compare: Pick<WardCompareService, 'compare'>;
  aggregates: Pick<AggregatesRepository, 'hourOfDay'>;
  devices(): Promise<LocatedDevice[]>;
}

/** A UK annual level to draw on the trend, per pollutant. */
const REFERENCE: Partial<Record<CompareMetric, { value: number; label: string }>> = {
  no2: { value: 40, label: 'UK annual objective' },
  pm25: { value: 20, label: 'UK annual limit' },
};

export class BriefingService {
  constructor(private readonly deps: BriefingDeps) {}

  /** Null when the place is not in the loaded geography. */
  async briefing(ref: BriefingPlaceRef, period: BriefingPeriod, area: AreaGeography): Promise<Briefing | null> {
    const registry = await this.deps.devices();
    const located = locate(ref, area, registry);
    if (!located) return null;
    const { place, feature, devices, nearest, group } = located;
    const request = (metric: CompareMetric) => this.figures(metric, period, group, place.kind === 'ward' ? place.id : group?.key ?? '', place.name);
    const [no2, pm25, flow, congestion] = [await request('no2'), await request('pm25'), await request('traffic_flow'), await request('congestion')];
    const start = new Date(londonDay(period.from).start);
    const end = new Date(londonDay(period.to).end);
    const where = group ? { deviceIds: group.deviceIds } : { wardCode: place.id };
    const byHour = await this.deps.aggregates.hourOfDay(where, ['no2', 'pm25', ...TRAFFIC_COUNT_METRICS], start, end);
    const busiest = busiestHour(byHour);
    for (const device of devices) {
      device.capture = no2?.deviceCaptures?.[device.id] ?? pm25?.deviceCaptures?.[device.id] ?? flow?.deviceCaptures?.[device.id] ?? null;
    }
    const facts: BriefingFacts = {
      place: { kind: place.kind, name: place.name, wardName: place.ward?.name ?? null, uprnCount: place.uprnCount },
      period,
      no2: pollutant(no2),
      pm25: pollutant(pm25),
      daqiDays: no2?.daqiDays ?? pm25?.daqiDays ?? null,
      traffic: traffic(flow, congestion, busiest),
      devices: devices.map((d) => ({ kind: d.kind, distanceM: d.distanceM })),
      nearest,
    };
    const has = (figures: WardFigures | null) => figures !== null && figures.mean !== null;
    const chartMetric: CompareMetric | null = has(no2) ? 'no2' : has(pm25) ? 'pm25' : has(flow) ? 'traffic_flow' : null;
    const chartFigures = chartMetric === 'no2' ? no2 : chartMetric === 'pm25' ? pm25 : flow;
    return {
      place,
      period: { ...period, label: periodLabel(period.from, period.to) },
      previousPeriod: { from: yearEarlier(period.from), to: yearEarlier(period.to), label: previousYearLabel(period.from, period.to) },
      ...briefingText(facts),
      daqiDays: facts.daqiDays,
      devices,
      nearest,
      map: { bounds: boundsOf(feature, devices), place: feature },
      charts: {
        trend: chartMetric && chartFigures ? trendChart(chartMetric, chartFigures, period) : null,
        dailyPattern: chartMetric ? patternChart(chartMetric, byHour) : null,
      },
    };
  }

  /** One metric's figures for the place, as the ward comparison gives them; null when it has no devices for it. */
  private async figures(metric: CompareMetric, period: BriefingPeriod, group: DeviceGroup | undefined, key: string, name: string): Promise<WardFigures | null> {
    const answer = await this.deps.compare.compare({ metric, from: period.from, to: period.to, wards: [key] }, new Map([[key, name]]), { daily: true, ...(group ? { group } : {}) });
    const figures = answer.wards[0];
    return figures && figures.devices > 0 ? figures : null;
  }
}

interface Located {
  place: Briefing['place'];
  feature: Briefing['map']['place'];
  devices: BriefingDevice[];
  nearest: boolean;
  /** A street's devices as one place; undefined for a ward (the comparison's own grouping). */
  group: DeviceGroup | undefined;
}

/** The place, its shape and the devices its briefing uses. */
function locate(ref: BriefingPlaceRef, area: AreaGeography, registry: readonly LocatedDevice[]): Located | null {
  const summary = (d: LocatedDevice, distanceM: number | null): BriefingDevice => ({ id: d.id, name: d.name, kind: d.kind, lon: d.lon, lat: d.lat, capture: null, distanceM });
  if (ref.kind === 'ward') {
    const ward = area.wards.features.find((f) => f.properties.code === ref.code);
    if (!ward) return null;
    const devices = registry.filter((d) => d.location.wardCode === ref.code).map((d) => summary(d, null));
    return {
      place: { kind: 'ward', id: ref.code, name: ward.properties.name, ward: null, uprnCount: null },
      feature: { type: 'Feature', properties: {}, geometry: ward.geometry },
      devices,
      nearest: false,
      group: undefined,
    };
  }
  const street = area.streets.features.find((f) => f.properties.usrn === ref.usrn);
  if (!street) return null;
  const own = registry.filter((d) => d.location.usrn === ref.usrn);
  const lines = linesOf(street.geometry);
  const devices =
    own.length > 0
      ? own.map((d) => summary(d, null))
      : registry
          .map((d) => summary(d, linesDistanceM(d.lon, d.lat, lines)))
          .filter((d) => (d.distanceM as number) <= NEAREST_WITHIN_M)
          .sort((a, b) => (a.distanceM as number) - (b.distanceM as number))
          .slice(0, NEAREST_COUNT);
  const wardCode = own[0]?.location.wardCode ?? devices.map((d) => registry.find((r) => r.id === d.id)?.location.wardCode).find(Boolean) ?? null;
  const wardName = wardCode ? (area.wards.features.find((f) => f.properties.code === wardCode)?.properties.name ?? null) : null;
  const key = `street:${ref.usrn}`;
  return {
    place: { kind: 'street', id: String(ref.usrn), name: streetLabel(street.properties), ward: wardCode && wardName ? { code: wardCode, name: wardName } : null, uprnCount: street.properties.uprnCount },
    feature: { type: 'Feature', properties: {}, geometry: street.geometry },
    devices,
    nearest: own.length === 0 && devices.length > 0,
    group: { key, deviceIds: devices.map((d) => d.id) },
  };
}

function pollutant(figures: WardFigures | null): PollutantFacts | null {
  if (!figures) return null;
  const highest = (figures.daily ?? []).reduce<{ date: string; value: number } | null>((best, day) => (!best || day.value > best.value ? day : best), null);
  return {
    mean: figures.mean,
    highestDay: highest,
    ukExceedances: figures.ukExceedances,
    whoExceedances: figures.whoExceedances,
    capture: figures.capture,
    devices: figures.devices,
    previousMean: figures.previousMean,
  };
}

type HourSums = Awaited<ReturnType<AggregatesRepository['hourOfDay']>>;

/** The London hour of the day with the highest mean motor-vehicle flow. */
function busiestHour(byHour: HourSums): { hour: number; flow: number } | null {
  let best: { hour: number; flow: number } | null = null;
  for (const { hour, sums } of byHour) {
    const flows: Partial<Record<(typeof TRAFFIC_COUNT_METRICS)[number], number>> = {};
    for (const metric of TRAFFIC_COUNT_METRICS) {
      const s = sums[metric];
      if (s) flows[metric] = s.sum / s.n;
    }
    const flow = motorFlow(flows);
    if (flow !== undefined && (!best || flow > best.flow)) best = { hour, flow };
  }
  return best;
}

function traffic(flow: WardFigures | null, congestion: WardFigures | null, busiest: { hour: number; flow: number } | null): TrafficFacts | null {
  if (!flow && !congestion) return null;
  return { meanFlow: flow?.mean ?? null, busiestHour: busiest, congestion: congestion?.mean ?? null, previousFlow: flow?.previousMean ?? null, devices: flow?.devices ?? congestion?.devices ?? 0 };
}

function trendChart(metric: CompareMetric, figures: WardFigures, period: BriefingPeriod): NonNullable<Briefing['charts']['trend']> {
  const info = COMPARE_METRIC_INFO[metric];
  const byDate = new Map((figures.daily ?? []).map((day) => [day.date, day.value]));
  const points: { date: string; value: number | null }[] = [];
  for (let date = period.from; date <= period.to; date = addDays(date, 1)) points.push({ date, value: byDate.get(date) ?? null });
  const values = points.filter((p): p is { date: string; value: number } => p.value !== null);
  const unit = info.unit === 'vehicles per hour' ? 'vehicles an hour' : info.unit;
  const show = (value: number) => `${formatNumber(value, info.decimals)} ${unit}`;
  let summary = `No daily ${info.label} figures for this period.`;
  if (values.length > 0) {
    const low = values.reduce((a, b) => (b.value < a.value ? b : a));
    const high = values.reduce((a, b) => (b.value > a.value ? b : a));
    summary = `Daily ${info.label} was between ${show(low.value)} and ${show(high.value)}. The highest day was ${periodLabel(high.date, high.date)}. ${values.length} of ${points.length} days have data.`;
  }
  return { title: `Daily average ${info.label}, ${periodLabel(period.from, period.to)}`, unit, points, reference: REFERENCE[metric] ?? null, summary };
}

function patternChart(metric: CompareMetric, byHour: HourSums): NonNullable<Briefing['charts']['dailyPattern']> | null {
  const info = COMPARE_METRIC_INFO[metric];
  const unit = info.unit === 'vehicles per hour' ? 'vehicles an hour' : info.unit;
  const valueAt = (sums: HourSums[number]['sums']): number | null => {
    if (metric === 'traffic_flow') {
      const flows: Partial<Record<(typeof TRAFFIC_COUNT_METRICS)[number], number>> = {};
      for (const m of TRAFFIC_COUNT_METRICS) if (sums[m]) flows[m] = (sums[m] as { sum: number; n: number }).sum / (sums[m] as { sum: number; n: number }).n;
      return motorFlow(flows) ?? null;
    }
    const s = sums[metric as Metric];
    return s ? s.sum / s.n : null;
  };
  const byHourMap = new Map(byHour.map((row) => [row.hour, valueAt(row.sums)]));
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, value: byHourMap.get(hour) ?? null }));
  const values = hours.filter((h): h is { hour: number; value: number } => h.value !== null);
  if (values.length === 0) return null;
  const high = values.reduce((a, b) => (b.value > a.value ? b : a));
  const low = values.reduce((a, b) => (b.value < a.value ? b : a));
  const at = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
  const show = (value: number) => `${formatNumber(value, info.decimals)} ${unit}`;
  return {
    title: `${info.label} by hour of the day (UK time)`,
    unit,
    hours,
    summary: `Highest around ${at(high.hour)} (${show(high.value)}), lowest around ${at(low.hour)} (${show(low.value)}).`,
  };
}

/** [west, south, east, north] around the place and its devices, with a little margin. */
function boundsOf(feature: Briefing['map']['place'], devices: readonly BriefingDevice[]): [number, number, number, number] {
  const points: number[][] = [];
  const geometry = feature.geometry;
  if (geometry.type === 'Polygon') points.push(...geometry.coordinates.flat());
  else if (geometry.type === 'MultiPolygon') points.push(...geometry.coordinates.flat(2));
  else points.push(...linesOf(geometry).flat());
  for (const d of devices) points.push([d.lon, d.lat]);
  const lons = points.map((p) => p[0] as number);
  const lats = points.map((p) => p[1] as number);
  const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const pad = Math.max(east - west, north - south, 0.002) * 0.1;
  return [west - pad, south - pad, east + pad, north + pad];
}
