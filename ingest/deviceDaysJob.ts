import type { MeanAggregate } from '../core/dataCapture.js';
import { DAQI_POLLUTANTS } from '../core/daqi.js';
import { deviceDays, type DeviceHours } from '../core/deviceDays.js';
import { HOUR_MS, londonDate, londonDay, parseInstant } from '../core/londonTime.js';
import { TRAFFIC_COUNT_METRICS, TRAFFIC_METRICS } from '../core/metrics.js';
import { motorFlow } from '../core/traffic.js';
import type { AggregatesRepository, DeviceBucketSums } from '../db/aggregatesRepository.js';
import type { DayPlace, DeviceDaysRepository, StoredDeviceDay } from '../db/deviceDaysRepository.js';

/**
 * Keeps `device_days` (the ward comparison's figures per device and London day) in step with the
 * hourly aggregates, from the store's maintenance pass: every day whose readings differ from what
 * was worked out (new days, today as it fills, a late reading, an import) is worked out again by
 * core/deviceDays.ts, a few weeks at a time, oldest first. The last two days are always redone,
 * because the quality scan flags readings up to a day back without changing their number.
 */

/** Days worked out per database round: a week of every device's hours. */
const CHUNK_DAYS = 7;
/** Days a pass works out at most, so a fresh year-long store catches up over several passes. */
const DAYS_PER_PASS = 60;
/** Rows stored since the last ANALYZE that call for another (the table's statistics, for the planner). */
const ANALYZE_AFTER_ROWS = 5000;
/** O3's running 8-hour means for a day's first hours reach back to 17:00 the evening before. */
const LOOKBACK_MS = 7 * HOUR_MS;

export interface DeviceDaysJobDeps {
  days: Pick<DeviceDaysRepository, 'staleDates' | 'places' | 'replace' | 'analyze'>;
  aggregates: Pick<AggregatesRepository, 'deviceHours' | 'deviceQuarterHours'>;
  /** Each device's kind and reporting interval. */
  devices(): Promise<readonly { id: string; kind: string; expectedIntervalS: number }[]>;
}

export interface DeviceDaysResult {
  /** London dates worked out. */
  dates: string[];
  /** Device-days stored. */
  rows: number;
}

export class DeviceDaysJob {
  /** Rows stored since the last ANALYZE; the first pass of a process always analyses. */
  private sinceAnalyze = Number.POSITIVE_INFINITY;

  constructor(private readonly deps: DeviceDaysJobDeps) {}

  /** Works out the stale days (and today and yesterday); `now` decides which those are. */
  async run(now: Date): Promise<DeviceDaysResult> {
    const today = londonDay(londonDate(now.getTime()));
    const yesterday = londonDate(parseInstant(today.start) - 1);
    const stale = await this.deps.days.staleDates(DAYS_PER_PASS);
    const dates = [...new Set([...stale, yesterday, today.date])].sort();
    const registry = new Map((await this.deps.devices()).map((device) => [device.id, device]));
    let rows = 0;
    for (let i = 0; i < dates.length; i += CHUNK_DAYS) {
      const chunk = dates.slice(i, i + CHUNK_DAYS);
      const stored = await this.workOut(chunk, registry);
      await this.deps.days.replace(chunk, stored);
      rows += stored.length;
    }
    this.sinceAnalyze += rows;
    if (this.sinceAnalyze >= ANALYZE_AFTER_ROWS) {
      await this.deps.days.analyze();
      this.sinceAnalyze = 0;
    }
    return { dates, rows };
  }

  private async workOut(dates: readonly string[], registry: ReadonlyMap<string, { kind: string; expectedIntervalS: number }>): Promise<StoredDeviceDay[]> {
    const places = await this.deps.days.places(dates);
    if (places.length === 0) return [];
    const days = dates.map((date) => londonDay(date));
    const from = new Date(parseInstant(days[0]?.start as string) - LOOKBACK_MS);
    const to = new Date(parseInstant(days.at(-1)?.end as string));
    const ids = [...new Set(places.map((place) => place.deviceId))];
    const air = ids.filter((id) => registry.get(id)?.kind === 'air_quality');
    const traffic = ids.filter((id) => registry.get(id)?.kind === 'traffic');
    // One after another: the embedded database has one connection, and queries queued behind a
    // long one time out waiting for it (db/pool.ts).
    const airHours = await this.deps.aggregates.deviceHours(air, [...DAQI_POLLUTANTS], from, to);
    const quarters = await this.deps.aggregates.deviceQuarterHours(air, from, to);
    const trafficHours = await this.deps.aggregates.deviceHours(traffic, [...TRAFFIC_METRICS], from, to);
    const series = new Map<string, DeviceHours>();
    const of = (id: string) => {
      let entry = series.get(id);
      if (!entry) series.set(id, (entry = { air: { hourly: {} } }));
      return entry;
    };
    const expected = (id: string, stepMs: number) => stepMs / 1000 / (registry.get(id)?.expectedIntervalS ?? 60);
    for (const bucket of airHours) {
      for (const pollutant of DAQI_POLLUTANTS) {
        const sums = bucket.sums[pollutant];
        if (sums) ((of(bucket.deviceId).air.hourly[pollutant] ??= []) as MeanAggregate[]).push(aggregate(bucket.start, sums, expected(bucket.deviceId, HOUR_MS)));
      }
    }
    for (const bucket of quarters) {
      const sums = bucket.sums.so2;
      if (sums) ((of(bucket.deviceId).air.so2FifteenMinute ??= []) as MeanAggregate[]).push(aggregate(bucket.start, sums, expected(bucket.deviceId, HOUR_MS / 4)));
    }
    for (const bucket of trafficHours) addTraffic(of(bucket.deviceId), bucket, expected(bucket.deviceId, HOUR_MS));

    const placeOf = new Map<string, DayPlace>(places.map((place) => [`${place.deviceId} ${place.date}`, place]));
    const stored: StoredDeviceDay[] = [];
    for (const [deviceId, hours] of series) {
      for (const day of deviceDays(hours, days)) {
        const place = placeOf.get(`${deviceId} ${day.date}`);
        if (place) stored.push({ ...day, deviceId, wardCode: place.wardCode, readings: place.readings });
      }
    }
    // A device whose day holds readings but nothing the rules use still gets its row, so the day
    // is not found stale again on every pass.
    const done = new Set(stored.map((day) => `${day.deviceId} ${day.date}`));
    for (const place of places) {
      if (!done.has(`${place.deviceId} ${place.date}`)) stored.push({ deviceId: place.deviceId, date: place.date, wardCode: place.wardCode, readings: place.readings, pollutants: {}, daqi: null, nightSpeeds: [] });
    }
    return stored;
  }
}

function aggregate(start: string, sums: { sum: number; n: number }, expected: number): MeanAggregate {
  return { start, mean: sums.sum / sums.n, count: sums.n, expected };
}

/** A counter's hour: the flow of all motor vehicles (the sum of the classes' mean flows) and its speed. */
function addTraffic(hours: DeviceHours, bucket: DeviceBucketSums, expected: number): void {
  const flow: Partial<Record<(typeof TRAFFIC_COUNT_METRICS)[number], number>> = {};
  let counted = 0;
  for (const metric of TRAFFIC_COUNT_METRICS) {
    const sums = bucket.sums[metric];
    if (!sums) continue;
    flow[metric] = sums.sum / sums.n;
    counted = Math.max(counted, sums.n);
  }
  const total = motorFlow(flow);
  if (total !== undefined) ((hours.flow ??= []) as MeanAggregate[]).push({ start: bucket.start, mean: total, count: counted, expected });
  const speed = bucket.sums.speed_kmh;
  if (speed) ((hours.speed ??= []) as MeanAggregate[]).push(aggregate(bucket.start, speed, expected));
}
