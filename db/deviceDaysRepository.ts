import type { DaqiPollutant } from '../core/daqi.js';
import type { DeviceDay } from '../core/deviceDays.js';
import { londonDay } from '../core/londonTime.js';
import type { CountedObjective, CompareMetric } from '../core/wardCompare.js';
import type { Queryable } from './pool.js';

/**
 * `device_days` (db/migrations/0010_device_days.sql): each device's figures per London day, worked
 * out by core/deviceDays.ts and read by the ward comparison. Dates are London dates as text
 * (YYYY-MM-DD); a `date` column would otherwise come back as a JavaScript Date at the process's
 * local midnight.
 */

export interface StoredDeviceDay extends DeviceDay {
  deviceId: string;
  /** The ward most of the day's readings were taken in. */
  wardCode: string | null;
  readings: number;
}

/** Where and how much a device measured on a day, from the daily aggregates. */
export interface DayPlace {
  deviceId: string;
  date: string;
  wardCode: string | null;
  readings: number;
}

export interface WardDayValue {
  wardCode: string;
  date: string;
  value: number;
}

/** One device's figures over a period, in the ward it measured in. */
export interface WardDeviceFigures {
  wardCode: string;
  deviceId: string;
  /** Valid hours (for the DAQI: days with an index). */
  valid: number;
  /** Their sum: the period's mean is sum ÷ valid. */
  sum: number;
  /** Exceedances of the UK objective and the WHO guideline (null when the metric has none). */
  uk: number | null;
  who: number | null;
}

const POLLUTANT_COLUMNS = ['no2', 'pm25', 'pm10', 'o3', 'so2'] as const satisfies readonly DaqiPollutant[];

/** The columns a metric is read from. */
const SOURCE: Readonly<Record<CompareMetric, { valid: string; sum: string; daily: string }>> = {
  no2: { valid: 'no2_hours', sum: 'no2_sum', daily: 'no2_mean' },
  pm25: { valid: 'pm25_hours', sum: 'pm25_sum', daily: 'pm25_mean' },
  pm10: { valid: 'pm10_hours', sum: 'pm10_sum', daily: 'pm10_mean' },
  o3: { valid: 'o3_hours', sum: 'o3_sum', daily: 'o3_mean' },
  daqi: { valid: '(daqi IS NOT NULL)::int', sum: 'daqi', daily: 'daqi' },
  traffic_flow: { valid: 'flow_hours', sum: 'flow_sum', daily: 'flow_mean' },
  // A counter's day as a share of its free-flow speed (ff, joined in by the query).
  congestion: { valid: 'speed_hours', sum: 'speed_sum', daily: 'least(100.0, 100.0 * speed_mean / ff.speed)' },
};

function exceedanceCount(metric: CompareMetric, objective: CountedObjective | null, within = 'true'): string {
  if (!objective) return 'NULL::int8';
  const limit = Number(objective.limit);
  if (!Number.isFinite(limit)) throw new RangeError(`objective ${objective.id} has no numeric limit`);
  switch (objective.statistic) {
    case 'hours_over':
      if (objective.pollutant !== 'no2' && objective.pollutant !== 'so2') throw new RangeError(`hours over are kept for NO2 and SO2 only, not ${objective.pollutant}`);
      return `(sum(${objective.pollutant}_over) FILTER (WHERE ${within}))::int8`;
    case 'days_mean_over':
      return `(count(*) FILTER (WHERE ${objective.pollutant}_mean > ${limit} AND ${within}))::int8`;
    case 'days_max_8h_over':
      return `(count(*) FILTER (WHERE o3_max8h > ${limit} AND ${within}))::int8`;
    default:
      throw new RangeError(`${objective.statistic} is not counted per day (metric ${metric})`);
  }
}

/** The free-flow join: each counter's speed, for congestion. */
const FREE_FLOW_JOIN = 'JOIN unnest($3::text[], $4::float8[]) AS ff(device_id, speed) USING (device_id)';

/**
 * Some devices taken as one place (a street's), under `key`, instead of every ward: the same
 * figures for a briefing's street as the comparison gives a ward.
 */
export interface DeviceGroup {
  key: string;
  deviceIds: readonly string[];
}

/** The grouping column and filter: every ward, or one group of devices ($5 its key, $6 its devices). */
function grouping(group: DeviceGroup | undefined): { key: string; where: string; params: unknown[] } {
  if (!group) return { key: 'ward_code', where: 'ward_code IS NOT NULL AND $5::text IS NULL AND $6::text[] IS NULL', params: [null, null] };
  return { key: '$5::text', where: 'device_id = ANY($6::text[])', params: [group.key, group.deviceIds] };
}

export class DeviceDaysRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * London dates whose stored days no longer match the daily aggregates (a day not worked out yet,
   * a late reading or an import since, or aggregates gone), oldest first, at most `limit`.
   */
  async staleDates(limit: number): Promise<string[]> {
    const result = await this.db.query<{ date: string }>(
      `WITH source AS (
  SELECT device_id, (bucket AT TIME ZONE 'Europe/London')::date AS date, sum(readings)::int AS readings
  FROM readings_daily GROUP BY 1, 2
)
SELECT DISTINCT date::text AS date
FROM source FULL JOIN device_days d USING (device_id, date)
WHERE source.readings IS DISTINCT FROM d.readings
ORDER BY 1 LIMIT $1`,
      [limit],
    );
    return result.rows.map((row) => row.date);
  }

  /** Each device's readings and main ward on each of `dates`, from the daily aggregates. */
  async places(dates: readonly string[]): Promise<DayPlace[]> {
    if (dates.length === 0) return [];
    const sorted = [...dates].sort();
    const result = await this.db.query<{ device_id: string; date: string; ward_code: string | null; readings: number; total: number }>(
      `WITH per_ward AS (
  SELECT device_id, (bucket AT TIME ZONE 'Europe/London')::date AS date, ward_code, sum(readings)::int AS readings
  FROM readings_daily
  WHERE bucket >= $2 AND bucket < $3 AND (bucket AT TIME ZONE 'Europe/London')::date = ANY($1::date[])
  GROUP BY 1, 2, 3
)
SELECT DISTINCT ON (device_id, date) device_id, date::text AS date, ward_code, readings,
  (sum(readings) OVER (PARTITION BY device_id, date))::int AS total
FROM per_ward ORDER BY device_id, date, readings DESC, ward_code`,
      // The range lets the index on the buckets narrow the scan (the date test alone read every row).
      [dates, londonDay(sorted[0] as string).start, londonDay(sorted.at(-1) as string).end],
    );
    return result.rows.map((row) => ({ deviceId: row.device_id, date: row.date, wardCode: row.ward_code, readings: row.total }));
  }

  /**
   * Stores the days worked out for `dates`, replacing what was there: a device no longer with data
   * on one of the dates loses its row.
   */
  async replace(dates: readonly string[], days: readonly StoredDeviceDay[]): Promise<void> {
    if (days.length > 0) {
      const column = <T>(value: (day: StoredDeviceDay) => T) => days.map(value);
      const pollutant = (p: DaqiPollutant) => [
        column((d) => d.pollutants[p]?.validHours ?? null),
        column((d) => d.pollutants[p]?.hourSum ?? null),
        column((d) => d.pollutants[p]?.dailyMean ?? null),
      ];
      const values = [
        column((d) => d.deviceId),
        column((d) => d.date),
        column((d) => d.wardCode),
        column((d) => d.readings),
        ...POLLUTANT_COLUMNS.flatMap(pollutant),
        column((d) => d.pollutants.no2?.hoursOver ?? null),
        column((d) => d.pollutants.so2?.hoursOver ?? null),
        column((d) => d.pollutants.o3?.max8h ?? null),
        column((d) => d.daqi),
        column((d) => d.flow?.validHours ?? null),
        column((d) => d.flow?.hourSum ?? null),
        column((d) => d.flow?.dailyMean ?? null),
        column((d) => d.speed?.validHours ?? null),
        column((d) => d.speed?.hourSum ?? null),
        column((d) => d.speed?.dailyMean ?? null),
        // Arrays of arrays do not unnest row by row: each day's speeds travel as an array literal.
        column((d) => `{${d.nightSpeeds.join(',')}}`),
      ];
      const pollutantColumns = POLLUTANT_COLUMNS.flatMap((p) => [`${p}_hours`, `${p}_sum`, `${p}_mean`]);
      const columns = ['device_id', 'date', 'ward_code', 'readings', ...pollutantColumns, 'no2_over', 'so2_over', 'o3_max8h', 'daqi', 'flow_hours', 'flow_sum', 'flow_mean', 'speed_hours', 'speed_sum', 'speed_mean', 'night_speeds'];
      const types = ['text', 'date', 'text', 'int4', ...POLLUTANT_COLUMNS.flatMap(() => ['int2', 'float8', 'float8']), 'int2', 'int2', 'float8', 'int2', 'int2', 'float8', 'float8', 'int2', 'float8', 'float8', 'text'];
      const params = types.map((type, i) => `$${i + 1}::${type}[]`);
      const selected = columns.map((name) => (name === 'night_speeds' ? 'night_speeds::float8[]' : name));
      await this.db.query(
        `INSERT INTO device_days (${columns.join(', ')})
SELECT ${selected.join(', ')} FROM unnest(${params.join(', ')}) AS source(${columns.join(', ')})
ON CONFLICT (device_id, date) DO UPDATE SET ${columns.slice(2).map((name) => `${name} = EXCLUDED.${name}`).join(', ')}`,
        values,
      );
    }
    await this.db.query(
      `DELETE FROM device_days WHERE date = ANY($1::date[])
  AND (device_id, date) NOT IN (SELECT * FROM unnest($2::text[], $3::date[]))`,
      [dates, days.map((d) => d.deviceId), days.map((d) => d.date)],
    );
  }

  /**
   * Refreshes the planner's statistics. The embedded database has no autovacuum: without them the
   * planner guessed a year held 130 rows instead of 87,600 and sorted on disk (172 ms, against a
   * hash in memory). A TimescaleDB server's autovacuum does this itself; doing it again is harmless.
   */
  async analyze(): Promise<void> {
    await this.db.query('ANALYZE device_days');
  }

  /** The night hours' speeds of each counter over [from, to] (London dates), for free-flow speeds. */
  async nightSpeeds(from: string, to: string): Promise<Map<string, number[]>> {
    const result = await this.db.query<{ device_id: string; speeds: number[] }>(
      `SELECT device_id, array_agg(speed ORDER BY date, ord) AS speeds
FROM device_days, unnest(night_speeds) WITH ORDINALITY AS s(speed, ord)
WHERE date BETWEEN $1 AND $2 GROUP BY device_id`,
      [from, to],
    );
    return new Map(result.rows.map((row) => [row.device_id, row.speeds]));
  }

  /**
   * In one pass over the table, what the comparison needs for a period: each ward's daily values of
   * `metric` and its daily DAQI over [trendFrom, to] (the trend reaches back further than the
   * period), and each device's figures over [from, to] (as `wardDays`, `wardDevices`). One scan
   * instead of three: on the embedded database the rows cost more than the arithmetic.
   */
  async figures(
    metric: CompareMetric,
    trendFrom: string,
    from: string,
    to: string,
    objectives: { uk: CountedObjective | null; who: CountedObjective | null },
    freeFlow?: ReadonlyMap<string, number>,
    group?: DeviceGroup,
  ): Promise<{ days: WardDayValue[]; daqiDays: WardDayValue[]; devices: WardDeviceFigures[] }> {
    const { valid, sum, daily } = SOURCE[metric];
    const congestion = metric === 'congestion';
    const by = grouping(group);
    const inPeriod = 'date >= $7::date';
    const result = await this.db.query<{ page: string | null }>(
      {
        name: `ward-figures:${metric}:${objectives.uk?.id ?? ''}:${objectives.who?.id ?? ''}:${group ? 'group' : 'wards'}`,
        text: `SELECT string_agg(concat_ws(',', per_device, ward_code, key, coalesce(value::text, ''), coalesce(daqi::text, ''), coalesce(valid::text, ''), coalesce(sum::text, ''), coalesce(uk::text, ''), coalesce(who::text, '')), ';') AS page FROM (
  SELECT GROUPING(date) AS per_device, ${by.key} AS ward_code, CASE WHEN GROUPING(date) = 0 THEN date::text ELSE device_id END AS key,
    ${metric === 'daqi' ? 'max' : 'avg'}(${daily})::float8 AS value, max(daqi)::int AS daqi,
    (sum(${valid}) FILTER (WHERE ${inPeriod}))::int8 AS valid, (sum(${sum}) FILTER (WHERE ${inPeriod}))::float8 AS sum,
    ${exceedanceCount(metric, objectives.uk, inPeriod)} AS uk, ${exceedanceCount(metric, objectives.who, inPeriod)} AS who
  FROM device_days ${congestion ? FREE_FLOW_JOIN : ''}
  WHERE date BETWEEN $1 AND $2 AND ${by.where}${congestion ? '' : ' AND $3::text[] IS NULL AND $4::float8[] IS NULL'}
  GROUP BY GROUPING SETS ((${by.key}, date), (${by.key}, device_id))
) rows`,
      },
      [trendFrom, to, ...freeFlowParams(congestion, freeFlow), ...by.params, from],
    );
    const days: WardDayValue[] = [];
    const daqiDays: WardDayValue[] = [];
    const devices: WardDeviceFigures[] = [];
    const page = result.rows[0]?.page;
    for (const line of page ? page.split(';') : []) {
      const [perDevice, wardCode, key, value, daqi, validText, sumText, uk, who] = line.split(',') as [string, string, string, string, string, string, string, string, string];
      if (perDevice === '0') {
        if (value !== '') days.push({ wardCode, date: key, value: Number(value) });
        if (daqi !== '') daqiDays.push({ wardCode, date: key, value: Number(daqi) });
      } else if (validText !== '' && Number(validText) > 0) {
        devices.push({ wardCode, deviceId: key, valid: Number(validText), sum: Number(sumText), uk: uk === '' ? null : Number(uk), who: who === '' ? null : Number(who) });
      }
    }
    return { days, daqiDays, devices };
  }

  /** Each device's figures over [from, to] in each ward it measured `metric` in. */
  async wardDevices(
    metric: CompareMetric,
    from: string,
    to: string,
    objectives: { uk: CountedObjective | null; who: CountedObjective | null },
    freeFlow?: ReadonlyMap<string, number>,
    group?: DeviceGroup,
  ): Promise<WardDeviceFigures[]> {
    const { valid, sum } = SOURCE[metric];
    const congestion = metric === 'congestion';
    const by = grouping(group);
    const result = await this.db.query<{ ward_code: string; device_id: string; valid: string; sum: number; uk: string | null; who: string | null }>(
      {
        name: `ward-devices:${metric}:${objectives.uk?.id ?? ''}:${objectives.who?.id ?? ''}:${group ? 'group' : 'wards'}`,
        text: `SELECT ${by.key} AS ward_code, device_id, sum(${valid})::int8 AS valid, sum(${sum})::float8 AS sum,
  ${exceedanceCount(metric, objectives.uk)} AS uk, ${exceedanceCount(metric, objectives.who)} AS who
FROM device_days ${congestion ? FREE_FLOW_JOIN : ''}
WHERE date BETWEEN $1 AND $2 AND ${by.where} AND ${valid} > 0${congestion ? '' : ' AND $3::text[] IS NULL AND $4::float8[] IS NULL'}
GROUP BY 1, device_id`,
      },
      [from, to, ...freeFlowParams(congestion, freeFlow), ...by.params],
    );
    return result.rows.map((row) => ({
      wardCode: row.ward_code,
      deviceId: row.device_id,
      valid: Number(row.valid),
      sum: row.sum,
      uk: row.uk === null ? null : Number(row.uk),
      who: row.who === null ? null : Number(row.who),
    }));
  }
}

/** The free-flow speeds as two arrays (or two NULLs, so every statement takes the same parameters). */
function freeFlowParams(congestion: boolean, freeFlow: ReadonlyMap<string, number> | undefined): [string[] | null, number[] | null] {
  if (!congestion) return [null, null];
  const entries = [...(freeFlow ?? new Map<string, number>())];
  return [entries.map(([id]) => id), entries.map(([, speed]) => speed)];
}
