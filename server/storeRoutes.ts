import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { addDays, HOUR_MS, londonDate, londonDay, londonYear, type Period } from '../core/londonTime.js';
import { METRIC_INFO, METRICS, type Metric } from '../core/metrics.js';
import type { AggregateBucket, AggregateRow, AggregatesRepository } from '../db/aggregatesRepository.js';
import type { ReadingsRepository } from '../db/readingsRepository.js';
import type { AirQualityService } from './airQualityService.js';
import { resolveArea, SCOPE_OF_PATH, type AreaLookup, type AreaRef, type ScopePath } from './areaScope.js';
import type { DataQualityService } from './dataQualityService.js';
import { parseQuery } from './errors.js';
import { presentAreaSummary, presentCurrentDaqi, presentDaqiDay, presentObjectives, presentQuality, presentTraffic } from './storePresenters.js';
import type { TrafficService } from './trafficService.js';

/**
 * The store's query API (docs/api.md), for a device, a street or a ward:
 *   GET /{devices|streets|wards}/:id/series      a metric over a period: raw, hourly or daily (streamed, JSON or CSV)
 *   GET /{…}/:id/daqi                            the DAQI now
 *   GET /{…}/:id/daqi/history                    the daily DAQI
 *   GET /{…}/:id/objectives                      UK objectives and WHO guidelines for a year or period
 *   GET /{…}/:id/quality                         completeness, timeliness, suspect values
 *   GET /{…}/:id/traffic                         flow by class, speed, congestion, busiest hours
 *   GET /wards/summary                           every ward's figures for a metric over a period
 * Parameters are validated (400 api.invalid_query naming each problem); an unknown device, ward or
 * street is a 404.
 */

export interface StoreRoutesDeps extends AreaLookup {
  aggregates: Pick<AggregatesRepository, 'series' | 'summaries'>;
  raw: Pick<ReadingsRepository, 'points'>;
  airQuality: AirQualityService;
  quality: DataQualityService;
  traffic: TrafficService;
  now?: () => Date;
}

const DAY_MS = 86_400_000;
/** The longest period each bucket may cover, and the default when `from` is left out. */
const BUCKET_LIMITS: Readonly<Record<'raw' | AggregateBucket, { maxDays: number; defaultDays: number }>> = {
  raw: { maxDays: 31, defaultDays: 1 },
  hour: { maxDays: 400, defaultDays: 7 },
  day: { maxDays: 3660, defaultDays: 365 },
};
/** Rows a query: raw readings, and aggregate buckets (the longest hourly period, 400 days, fits in one). */
const PAGE = 5000;
const AGGREGATE_PAGE = 10_000;

const instant = z.iso.datetime({ offset: true });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

function period(query: { from?: string | undefined; to?: string | undefined }, now: Date, defaultDays: number, maxDays: number, ctx: z.RefinementCtx): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - defaultDays * DAY_MS);
  if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) {
    ctx.addIssue({ code: 'custom', path: [query.to === undefined ? 'from' : 'to'], message: `this period may be at most ${maxDays} days` });
  }
  return { from, to };
}

const seriesSchema = (now: Date) =>
  z
    .object({
      metric: z.enum(METRICS),
      bucket: z.enum(['raw', 'hour', 'day']).default('hour'),
      from: instant.optional(),
      to: instant.optional(),
      format: z.enum(['json', 'csv']).default('json'),
    })
    .strict()
    .transform((q, ctx) => {
      const limits = BUCKET_LIMITS[q.bucket];
      return { ...q, ...period(q, now, limits.defaultDays, limits.maxDays, ctx) };
    });

/**
 * A period of whole hours: the hourly aggregates count an hour by its start, so `from` is moved
 * back and `to` forward to whole hours, and the answer says which period it covers.
 */
const hoursSchema = (now: Date, defaultDays: number, maxDays: number) =>
  z
    .object({ from: instant.optional(), to: instant.optional() })
    .strict()
    .transform((q, ctx) => {
      const { from, to } = period(q, now, defaultDays, maxDays, ctx);
      return { from: new Date(Math.floor(from.getTime() / HOUR_MS) * HOUR_MS), to: new Date(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS) };
    });

/** A London date, or the reason it is not one (a day that does not exist, such as 30 February). */
export function checkDate(value: string, path: string, ctx: z.RefinementCtx): boolean {
  try {
    londonDay(value);
    return true;
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: [path], message: (error as Error).message });
    return false;
  }
}

/** London days `from` to `toInclusive`, at most `maxDays` of them. */
function londonPeriod(from: string, toInclusive: string, ctx: z.RefinementCtx, maxDays: number): Period {
  const result = { start: londonDay(from).start, end: londonDay(toInclusive).end };
  if (result.start >= result.end) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
  // Days counted on the calendar (a clock-change day is still one day).
  else if (Math.round((Date.parse(`${toInclusive}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1 > maxDays) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `this period may be at most ${maxDays} days` });
  }
  return result;
}

const NO_PERIOD: Period = { start: '', end: '' };

const historySchema = (now: Date) =>
  z
    .object({ from: date.optional(), to: date.optional() })
    .strict()
    .transform((q, ctx) => {
      if ((q.from !== undefined && !checkDate(q.from, 'from', ctx)) || (q.to !== undefined && !checkDate(q.to, 'to', ctx))) return NO_PERIOD;
      const to = q.to ?? londonDate(now.getTime());
      return londonPeriod(q.from ?? addDays(to, -29), to, ctx, 366);
    });

const objectivesSchema = (now: Date) =>
  z
    .object({ year: z.coerce.number().int().min(2000).max(2100).optional(), from: date.optional(), to: date.optional() })
    .strict()
    .transform((q, ctx) => {
      if (q.year !== undefined && (q.from !== undefined || q.to !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['year'], message: 'give a year, or from and to, not both' });
      }
      if (q.from !== undefined || q.to !== undefined) {
        if (q.from === undefined || q.to === undefined) {
          ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'from and to go together' });
          return NO_PERIOD;
        }
        if (!checkDate(q.from, 'from', ctx) || !checkDate(q.to, 'to', ctx)) return NO_PERIOD;
        return londonPeriod(q.from, q.to, ctx, 366);
      }
      const today = londonDate(now.getTime());
      const year = q.year ?? Number(today.slice(0, 4));
      const calendar = londonYear(year);
      // The current year so far: whole days up to today (its statuses say partial_period).
      const todayStart = londonDay(today).start;
      if (calendar.end > todayStart) {
        if (calendar.start >= todayStart) ctx.addIssue({ code: 'custom', path: ['year'], message: `${year} has no complete day yet` });
        return { start: calendar.start, end: todayStart };
      }
      return calendar;
    });

const summarySchema = (now: Date) =>
  z
    .object({ metric: z.enum(METRICS), from: instant.optional(), to: instant.optional() })
    .strict()
    .transform((q, ctx) => ({ metric: q.metric, ...period(q, now, 30, 3660, ctx) }));

/** True when the instant is a London midnight: a daily aggregate then covers exactly the period. */
function isLondonMidnight(at: Date): boolean {
  return londonDay(londonDate(at.getTime())).start === at.toISOString();
}

export function storeRoutes(deps: StoreRoutesDeps): express.Router {
  const router = express.Router();
  const now = () => (deps.now ?? (() => new Date()))();

  router.get('/wards/summary', async (request, response) => {
    const q = parseQuery(summarySchema(now()), request);
    // Whole London days come from the daily aggregates; anything else from the hourly ones.
    const bucket: AggregateBucket = isLondonMidnight(q.from) && isLondonMidnight(q.to) ? 'day' : 'hour';
    const wards = await deps.aggregates.summaries('ward', [q.metric], bucket, q.from, q.to);
    const names = new Map((deps.area()?.wards.features ?? []).map((ward) => [ward.properties.code, ward.properties.name]));
    response.json(presentAreaSummary(q.metric, q.from, q.to, bucket, wards, names));
  });

  for (const path of Object.keys(SCOPE_OF_PATH) as ScopePath[]) {
    const area = (request: Request) => resolveArea(deps, path, String(request.params.id));

    router.get(`/${path}/:id/series`, async (request, response) => {
      const q = parseQuery(seriesSchema(now()), request);
      const ref = await area(request);
      await streamSeries(deps, response, ref, q);
    });
    router.get(`/${path}/:id/daqi`, async (request, response) => {
      parseQuery(z.object({}).strict(), request);
      const ref = await area(request);
      response.json(presentCurrentDaqi(ref, await deps.airQuality.current(ref, now())));
    });
    router.get(`/${path}/:id/daqi/history`, async (request, response) => {
      const p = parseQuery(historySchema(now()), request);
      const ref = await area(request);
      response.json({ ...areaOf(ref), from: p.start, to: p.end, days: (await deps.airQuality.history(ref, p)).map(presentDaqiDay) });
    });
    router.get(`/${path}/:id/objectives`, async (request, response) => {
      const p = parseQuery(objectivesSchema(now()), request);
      const ref = await area(request);
      response.json({ ...areaOf(ref), from: p.start, to: p.end, devices: presentObjectives(await deps.airQuality.objectives(ref, p)) });
    });
    router.get(`/${path}/:id/quality`, async (request, response) => {
      const p = parseQuery(hoursSchema(now(), 7, 400), request);
      const ref = await area(request);
      response.json({ ...areaOf(ref), from: p.from.toISOString(), to: p.to.toISOString(), ...presentQuality(await deps.quality.report(ref, p.from, p.to)) });
    });
    router.get(`/${path}/:id/traffic`, async (request, response) => {
      const p = parseQuery(hoursSchema(now(), 7, 400), request);
      const ref = await area(request);
      response.json({ ...areaOf(ref), from: p.from.toISOString(), to: p.to.toISOString(), ...presentTraffic(await deps.traffic.summary(ref, p.from, p.to)) });
    });
  }
  return router;
}

export function areaOf(ref: AreaRef): { scope: string; id: string; name: string } {
  return { scope: ref.scope, id: ref.id, name: ref.name };
}

interface SeriesRequest {
  metric: Metric;
  bucket: 'raw' | AggregateBucket;
  from: Date;
  to: Date;
  format: 'json' | 'csv';
}

/**
 * Writes a series page by page (keyset paging: PAGE raw readings or AGGREGATE_PAGE buckets a
 * query), so a month of raw readings never sits in memory whole and the database connection is
 * never held between pages; a year of hours is one query.
 */
async function streamSeries(deps: StoreRoutesDeps, response: Response, ref: AreaRef, q: SeriesRequest): Promise<void> {
  const { unit } = METRIC_INFO[q.metric];
  const csv = q.format === 'csv';
  const head = { ...areaOf(ref), metric: q.metric, unit: flowUnit(q.metric, q.bucket) ?? unit, bucket: q.bucket, from: q.from.toISOString(), to: q.to.toISOString() };
  let first = true;
  // A page's points go out in one write (one write per point cost more than the query), and the
  // next page waits while the client is slower than the database.
  let parts: string[] = [];
  /** Writes what is gathered; false once the client has gone (nothing more to fetch for it). */
  const flush = async (): Promise<boolean> => {
    if (response.destroyed) return false;
    const ok = response.write(parts.join(''));
    parts = [];
    if (!ok) await drainedOrClosed(response);
    return !response.destroyed;
  };
  const start = () => {
    if (csv) {
      response.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${ref.scope}-${ref.id}-${q.metric}-${q.bucket}.csv"`);
      parts.push(q.bucket === 'raw' ? 'time,device_id,value\n' : 'start,mean,min,max,values,flagged,readings\n');
    } else {
      response.type('application/json');
      parts.push(`${JSON.stringify(head).slice(0, -1)},"points":[`);
    }
  };
  // Each point is built only in the format asked for.
  const point = (json: () => object, line: () => string) => {
    if (csv) parts.push(`${line()}\n`);
    else parts.push(`${first ? '' : ','}${JSON.stringify(json())}`);
    first = false;
  };
  // The first page is fetched before anything is written, so an error there is still a clean 500.
  if (q.bucket === 'raw') {
    let after: { time: Date; deviceId: string } | undefined;
    let page = await deps.raw.points(ref.scope, ref.id, q.metric, q.from, q.to, after, PAGE);
    start();
    for (;;) {
      for (const p of page) point(() => ({ time: p.time, deviceId: p.deviceId, value: p.value }), () => `${p.time},${p.deviceId},${p.value}`);
      if (!(await flush())) return;
      const last = page.at(-1);
      if (page.length < PAGE || !last) break;
      after = { time: new Date(last.time), deviceId: last.deviceId };
      page = await deps.raw.points(ref.scope, ref.id, q.metric, q.from, q.to, after, PAGE);
    }
  } else {
    const fetch = (after?: Date) => deps.aggregates.series({ scope: ref.scope, id: ref.id, metrics: [q.metric], bucket: q.bucket as AggregateBucket, from: q.from, to: q.to, after, limit: AGGREGATE_PAGE });
    let page: AggregateRow[] = await fetch();
    start();
    for (;;) {
      for (const row of page) {
        const m = row.metrics[q.metric];
        if (!m) continue;
        point(
          () => ({ start: row.start, mean: m.mean, min: m.min, max: m.max, values: m.n, flagged: m.flagged, readings: row.readings }),
          () => `${row.start},${m.mean ?? ''},${m.min ?? ''},${m.max ?? ''},${m.n},${m.flagged},${row.readings}`,
        );
      }
      if (!(await flush())) return;
      const last = page.at(-1);
      if (page.length < AGGREGATE_PAGE || !last) break;
      page = await fetch(new Date(last.start));
    }
  }
  if (!csv) parts.push(']}');
  response.end(parts.join(''));
}

function drainedOrClosed(response: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** Traffic counts are aggregated as flows: an hourly or daily count series is in vehicles per hour. */
function flowUnit(metric: Metric, bucket: 'raw' | AggregateBucket): string | undefined {
  return bucket !== 'raw' && METRIC_INFO[metric].integer ? 'vehicles per hour' : undefined;
}

