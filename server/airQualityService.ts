import {
  areaDaqi,
  areaMeanLevels,
  currentDaqi,
  DAQI_POLLUTANTS,
  dailyDaqi,
  latestCompleteHourEnd,
  reportConcentrations,
  type AirQualitySeries,
  type AreaDaqi,
  type AreaLevel,
  type CurrentDaqi,
  type DaqiPollutant,
  type DaqiReport,
  type DayDaqi,
} from '../core/daqi.js';
import type { MeanAggregate } from '../core/dataCapture.js';
import type { LocatedDevice } from '../core/device.js';
import { HOUR_MS, londonDays, parseInstant, type Period } from '../core/londonTime.js';
import { assessObjectives, type ObjectiveAssessment } from '../core/objectives.js';
import type { AggregatesRepository, DeviceBucketSums } from '../db/aggregatesRepository.js';
import { areaDevices, type AreaRef } from './areaScope.js';

/**
 * The air-quality figures councils report, for a device, a street or a ward: the DAQI now, the
 * daily DAQI, and the UK objectives and WHO guidelines for a period. The database supplies sums and
 * counts per device and hour (quarter hour for SO2); every rule (valid hours, running means, bands,
 * exceedances, capture) is core/'s, applied per device. An area's index is its worst device's
 * (core/daqi.ts areaDaqi).
 */

const QUARTER_MS = HOUR_MS / 4;
/** O3's running 8-hour means for a day's first hours reach back to 17:00 the evening before. */
const O3_LOOKBACK_MS = 7 * HOUR_MS;

export interface AirQualityDeps {
  aggregates: Pick<AggregatesRepository, 'devicesIn' | 'deviceHours' | 'deviceQuarterHours'>;
  devices(): Promise<LocatedDevice[]>;
}

export interface DeviceCurrentDaqi {
  deviceId: string;
  /** False when the device sent nothing the DAQI uses in the window: silent, not clean. */
  hasData: boolean;
  daqi: CurrentDaqi;
}

export interface CurrentDaqiAnswer {
  asOf: string;
  /** The area's index: its worst device's. Undefined when no device had enough data. */
  overall: AreaDaqi | undefined;
  /** Each pollutant's mean across devices of their concentrations (for display, not the index). */
  levels: Partial<Record<DaqiPollutant, AreaLevel>>;
  devices: DeviceCurrentDaqi[];
}

export interface DaqiDay {
  date: string;
  overall: AreaDaqi | undefined;
  devices: { deviceId: string; hasData: boolean; daqi: DayDaqi }[];
}

export interface DeviceObjectives {
  deviceId: string;
  hasData: boolean;
  assessments: ObjectiveAssessment[];
}

/** A device's series over a window, and whether it holds anything at all. */
interface DeviceSeries {
  series: AirQualitySeries;
  hasData: boolean;
}

export class AirQualityService {
  constructor(private readonly deps: AirQualityDeps) {}

  async current(area: AreaRef, now: Date): Promise<CurrentDaqiAnswer> {
    const asOf = latestCompleteHourEnd(now.toISOString());
    const end = new Date(parseInstant(asOf));
    const start = new Date(end.getTime() - 24 * HOUR_MS);
    const series = await this.series(area, { start, end });
    const devices = [...series].map(([deviceId, s]) => ({ deviceId, hasData: s.hasData, daqi: currentDaqi(s.series, asOf) }));
    return {
      asOf,
      overall: worstDevice(devices),
      levels: areaMeanLevels(devices.map(({ daqi }) => reportConcentrations(daqi))),
      devices,
    };
  }

  /** The daily DAQI for each London day of the period (which must run midnight to midnight). */
  async history(area: AreaRef, period: Period): Promise<DaqiDay[]> {
    const days = londonDays(period);
    const series = await this.series(area, daysWindow(period));
    return days.map((day) => {
      const devices = [...series].map(([deviceId, s]) => ({ deviceId, hasData: s.hasData, daqi: dailyDaqi(s.series, day.date) }));
      return { date: day.date, overall: worstDevice(devices), devices };
    });
  }

  /** Each device's assessment against the UK objectives and WHO guidelines for the period. */
  async objectives(area: AreaRef, period: Period): Promise<DeviceObjectives[]> {
    const series = await this.series(area, daysWindow(period));
    return [...series].map(([deviceId, s]) => ({ deviceId, hasData: s.hasData, assessments: assessObjectives(s.series, period) }));
  }

  /** Each air-quality device's hourly (and SO2 quarter-hourly) aggregates in [start, end). */
  private async series(area: AreaRef, window: { start: Date; end: Date }): Promise<Map<string, DeviceSeries>> {
    const { ids, registry } = await areaDevices(area, this.deps, window.start, window.end);
    const airQuality = ids.filter((id) => registry.get(id)?.kind === 'air_quality');
    const [hours, quarters] = await Promise.all([
      this.deps.aggregates.deviceHours(airQuality, [...DAQI_POLLUTANTS], window.start, window.end),
      this.deps.aggregates.deviceQuarterHours(airQuality, window.start, window.end),
    ]);
    const out = new Map<string, AirQualitySeries>();
    for (const id of airQuality) out.set(id, { hourly: {} });
    const intervalOf = (id: string) => registry.get(id)?.expectedIntervalS ?? 60;
    // SO2's hourly means feed only its hourly objective; the DAQI and 15-minute objective use quarters.
    addBuckets(out, hours, intervalOf, HOUR_MS, (series, pollutant, aggregate) => {
      ((series.hourly[pollutant] ??= []) as MeanAggregate[]).push(aggregate);
    });
    addBuckets(out, quarters, intervalOf, QUARTER_MS, (series, pollutant, aggregate) => {
      if (pollutant === 'so2') ((series.so2FifteenMinute ??= []) as MeanAggregate[]).push(aggregate);
    });
    return new Map([...out].map(([id, series]) => [id, { series, hasData: Object.keys(series.hourly).length > 0 || series.so2FifteenMinute !== undefined }]));
  }
}

/** The hours London days need: from 17:00 the evening before (O3's first 8-hour means). */
function daysWindow(period: Period): { start: Date; end: Date } {
  return { start: new Date(parseInstant(period.start) - O3_LOOKBACK_MS), end: new Date(parseInstant(period.end)) };
}

/** The area's index: its worst device's (core/daqi.ts areaDaqi). */
function worstDevice(devices: readonly { deviceId: string; daqi: DaqiReport }[]): AreaDaqi | undefined {
  return areaDaqi(devices.map(({ deviceId, daqi }) => ({ deviceId, daqi: daqi.overall })));
}

function addBuckets(
  out: Map<string, AirQualitySeries>,
  buckets: readonly DeviceBucketSums[],
  intervalOf: (deviceId: string) => number,
  stepMs: number,
  add: (series: AirQualitySeries, pollutant: DaqiPollutant, aggregate: MeanAggregate) => void,
): void {
  for (const bucket of buckets) {
    const series = out.get(bucket.deviceId);
    if (!series) continue;
    const expected = stepMs / 1000 / intervalOf(bucket.deviceId);
    for (const pollutant of DAQI_POLLUTANTS) {
      const sums = bucket.sums[pollutant];
      if (!sums) continue;
      add(series, pollutant, { start: bucket.start, mean: sums.sum / sums.n, count: sums.n, expected });
    }
  }
}
