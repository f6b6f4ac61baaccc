import { dailyMaxRunning8hMean, dailyMean, validMeans, type ValidMeans } from './averaging.js';
import type { MeanAggregate } from './dataCapture.js';
import { DAQI_POLLUTANTS, dailyDaqiOf, validAirQuality, type AirQualitySeries, type DaqiIndex, type DaqiPollutant } from './daqi.js';
import { HOUR_MS, parseInstant, toIso, type LondonDay } from './londonTime.js';
import { AIR_QUALITY_OBJECTIVES } from './objectives.js';
import { nightSpeeds } from './traffic.js';

/**
 * One device's figures for one London day, worked out once from its hourly aggregates by the rules
 * of core/averaging.ts, core/daqi.ts and core/objectives.ts, and kept (db/deviceDaysRepository.ts)
 * so that comparing every ward over a year reads a row per device and day instead of every hour
 * (issue 7's budget). Sums and counts are kept beside the daily values so a period's mean of valid
 * hourly means, as the objectives report it, is still exact: the sum of the days' sums over the sum
 * of their counts.
 */

/** A pollutant's day. */
export interface PollutantDay {
  /** Valid hourly means in the day. */
  validHours: number;
  /** Sum of those means, µg/m³ (their mean is hourSum ÷ validHours). */
  hourSum: number;
  /** The day's mean, valid with 75 % of its hours (the daily objectives, the daily DAQI for PM); null below. */
  dailyMean: number | null;
  /** Valid hours over the UK hourly objective's limit (NO2 200, SO2 350 µg/m³); only for those two. */
  hoursOver?: number;
  /** O3: the day's maximum running 8-hour mean, valid with 75 % of its running means; null below. */
  max8h?: number | null;
}

/** A traffic quantity's day (flow of all motor vehicles, or speed). */
export interface TrafficQuantityDay {
  validHours: number;
  hourSum: number;
  dailyMean: number | null;
}

export interface DeviceDay {
  /** London date, YYYY-MM-DD. */
  date: string;
  pollutants: Partial<Record<DaqiPollutant, PollutantDay>>;
  /** The day's DAQI (core/daqi.ts dailyDaqi); null when no pollutant had enough data. */
  daqi: DaqiIndex | null;
  /** Vehicles per hour of all motor vehicles. */
  flow?: TrafficQuantityDay;
  /** km/h. */
  speed?: TrafficQuantityDay;
  /** The mean speeds of the day's night hours (core/traffic.ts nightSpeeds), for a free-flow speed. */
  nightSpeeds: number[];
}

/** A device's aggregates: air quality as core/daqi.ts takes them, traffic as hourly means with counts. */
export interface DeviceHours {
  air: AirQualitySeries;
  /** Hourly mean flow of all motor vehicles (vehicles per hour), with the readings behind it. */
  flow?: readonly MeanAggregate[];
  /** Hourly mean speed, km/h. */
  speed?: readonly MeanAggregate[];
}

/** The UK hourly limit of each pollutant that has one (NO2 200, SO2 350 µg/m³). */
const HOURLY_LIMITS: ReadonlyMap<DaqiPollutant, number> = new Map(
  AIR_QUALITY_OBJECTIVES.filter((objective) => objective.framework === 'uk' && objective.statistic === 'hours_over').map((objective) => [objective.pollutant, objective.limit]),
);

/** The day's valid hours, their sum and how many are over `limit`. */
function hoursIn(means: ValidMeans, day: LondonDay, limit: number): { validHours: number; hourSum: number; over: number } {
  let validHours = 0;
  let hourSum = 0;
  let over = 0;
  for (let t = parseInstant(day.start), end = parseInstant(day.end); t < end; t += HOUR_MS) {
    const value = means.get(t);
    if (value === undefined) continue;
    validHours += 1;
    hourSum += value;
    if (value > limit) over += 1;
  }
  return { validHours, hourSum, over };
}

function quantityDay(means: ValidMeans | undefined, day: LondonDay): TrafficQuantityDay | undefined {
  if (!means) return undefined;
  const { validHours, hourSum } = hoursIn(means, day, Number.POSITIVE_INFINITY);
  if (validHours === 0) return undefined;
  return { validHours, hourSum, dailyMean: dailyMean(means, day).value };
}

/**
 * A device's figures for each of `days`. The hours must reach back to 17:00 the evening before the
 * first day (O3's first running 8-hour means). A day without any valid value of a pollutant has no
 * entry for it.
 */
export function deviceDays(hours: DeviceHours, days: readonly LondonDay[]): DeviceDay[] {
  const valid = validAirQuality(hours.air);
  const flow = hours.flow && validMeans(hours.flow);
  const speed = hours.speed && validMeans(hours.speed);
  // Every hour with a speed counts for the free-flow speed, as in core/traffic.ts (no capture rule).
  const anySpeed = new Map((hours.speed ?? []).flatMap((hour) => (hour.mean === null ? [] : [[parseInstant(hour.start), hour.mean] as const])));
  return days.map((day) => {
    const pollutants: Partial<Record<DaqiPollutant, PollutantDay>> = {};
    for (const pollutant of DAQI_POLLUTANTS) {
      // SO2's hourly means: its DAQI uses quarter hours, its hourly objective these.
      const aggregates = hours.air.hourly[pollutant];
      const means = pollutant === 'so2' ? aggregates && validMeans(aggregates) : valid[pollutant];
      if (!means) continue;
      const limit = HOURLY_LIMITS.get(pollutant);
      const { validHours, hourSum, over } = hoursIn(means, day, limit ?? Number.POSITIVE_INFINITY);
      if (validHours === 0) continue;
      pollutants[pollutant] = {
        validHours,
        hourSum,
        dailyMean: dailyMean(means, day).value,
        ...(limit === undefined ? {} : { hoursOver: over }),
        ...(pollutant === 'o3' ? { max8h: dailyMaxRunning8hMean(means, day).value } : {}),
      };
    }
    const speedHours = [];
    for (let t = parseInstant(day.start), end = parseInstant(day.end); t < end; t += HOUR_MS) {
      const speedKmh = anySpeed.get(t);
      if (speedKmh !== undefined) speedHours.push({ start: toIso(t), flow: {}, speedKmh });
    }
    const flowDay = quantityDay(flow, day);
    const speedDay = quantityDay(speed, day);
    return {
      date: day.date,
      pollutants,
      daqi: dailyDaqiOf(valid, day).overall?.index ?? null,
      ...(flowDay ? { flow: flowDay } : {}),
      ...(speedDay ? { speed: speedDay } : {}),
      nightSpeeds: nightSpeeds(speedHours),
    };
  });
}
