import { stringify } from 'csv-stringify/sync';
import express from 'express';
import { z } from 'zod';
import type { AreaGeography } from '../core/area.js';
import { addDays, londonDate } from '../core/londonTime.js';
import { COMPARE_METRIC_INFO, COMPARE_METRICS, DAQI_BANDS } from '../core/wardCompare.js';
import { ApiError, parseQuery } from './errors.js';
import { checkDate } from './storeRoutes.js';
import type { WardComparison, WardCompareService } from './wardCompareService.js';

/**
 * GET /wards/compare (docs/api.md, "Comparing wards"): every ward's figures for a metric over a
 * period, the chosen wards' trends and the differences between them, as JSON or the table as CSV.
 */

export interface CompareRoutesDeps {
  compare: Pick<WardCompareService, 'compare'>;
  area(): AreaGeography | null;
  now?: () => Date;
}

export const PERIOD_PRESETS = { '7d': 7, '30d': 30, '365d': 365 } as const;
const MAX_DAYS = 366;
const MAX_WARDS = 50;
const WARD_CODE = /^[A-Z][0-9]{8}$/;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** The period parameters the comparison and the briefings share. */
export const periodFields = {
  period: z.enum(['7d', '30d', '365d', 'custom']).default('30d'),
  from: date.optional(),
  to: date.optional(),
};

/**
 * Whole London days up to yesterday (today is not over): a preset's, or `from`–`to` checked (real
 * dates, in order, over, at most 366 days). Problems go on `ctx`.
 */
export function resolvePeriod(q: { period: '7d' | '30d' | '365d' | 'custom'; from?: string | undefined; to?: string | undefined }, now: Date, ctx: z.RefinementCtx): { from: string; to: string } {
  const yesterday = addDays(londonDate(now.getTime()), -1);
  if (q.period !== 'custom') {
    if (q.from !== undefined || q.to !== undefined) ctx.addIssue({ code: 'custom', path: [q.from !== undefined ? 'from' : 'to'], message: 'from and to go with period=custom' });
    return { from: addDays(yesterday, 1 - PERIOD_PRESETS[q.period]), to: yesterday };
  }
  if (q.from === undefined || q.to === undefined) {
    ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'a custom period needs from and to' });
    return { from: '', to: '' };
  }
  if (!checkDate(q.from, 'from', ctx) || !checkDate(q.to, 'to', ctx)) return { from: '', to: '' };
  const { from, to } = q;
  if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
  else if (to > yesterday) ctx.addIssue({ code: 'custom', path: ['to'], message: `to must be a whole day that is over: ${yesterday} or earlier` });
  else if (Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1 > MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `a period may be at most ${MAX_DAYS} days` });
  return { from, to };
}

const compareSchema = (now: Date) =>
  z
    .object({
      metric: z.enum(COMPARE_METRICS).default('no2'),
      ...periodFields,
      wards: z.string().max(MAX_WARDS * 10 + 10).default('all'),
      format: z.enum(['json', 'csv']).default('json'),
    })
    .strict()
    .transform((q, ctx) => {
      const { from, to } = resolvePeriod(q, now, ctx);
      let wards: string[] = [];
      if (q.wards !== 'all') {
        wards = [...new Set(q.wards.split(',').map((code) => code.trim()))];
        const bad = wards.filter((code) => !WARD_CODE.test(code));
        if (bad.length > 0) ctx.addIssue({ code: 'custom', path: ['wards'], message: `"all", or ward codes (a letter and eight digits, such as E05000819) separated by commas; not ${bad.map((code) => `"${code}"`).join(', ')}` });
        else if (wards.length > MAX_WARDS) ctx.addIssue({ code: 'custom', path: ['wards'], message: `at most ${MAX_WARDS} wards, or "all"` });
      }
      return { metric: q.metric, period: q.period, from, to, wards, format: q.format };
    });

export function compareRoutes(deps: CompareRoutesDeps): express.Router {
  const router = express.Router();
  router.get('/wards/compare', async (request, response) => {
    const q = parseQuery(compareSchema((deps.now ?? (() => new Date()))()), request);
    const names = new Map((deps.area()?.wards.features ?? []).map((ward) => [ward.properties.code, ward.properties.name]));
    const unknown = q.wards.filter((code) => !names.has(code));
    if (unknown.length > 0) {
      throw new ApiError(404, 'api.ward_not_found', `${unknown.length === 1 ? 'There is no ward' : 'There are no wards'} ${unknown.join(', ')} in this area.`, { wards: unknown });
    }
    const comparison = await deps.compare.compare({ metric: q.metric, from: q.from, to: q.to, wards: q.wards }, names);
    if (q.format === 'csv') {
      response
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="wards-${q.metric}-${q.from}-to-${q.to}.csv"`)
        .send(compareCsv(comparison));
      return;
    }
    response.json({ ...comparison, period: { preset: q.period, ...comparison.period } });
  });
  return router;
}

/** The ward table as CSV: one row per ward, worst first, headings with their units. */
export function compareCsv(comparison: WardComparison): string {
  const info = COMPARE_METRIC_INFO[comparison.metric];
  const unit = comparison.unit;
  // One more decimal than the page shows: a spreadsheet may still round.
  const decimals = info.decimals + 1;
  const n = (value: number | null) => (value === null ? '' : Number(value.toFixed(decimals)));
  const headings = [
    'Rank',
    'Ward code',
    'Ward',
    'Selected',
    `Mean (${unit})`,
    `Median of daily values (${unit})`,
    `95th percentile of daily values (${unit})`,
    ...(comparison.exceedances?.uk ? [`${comparison.exceedances.uk.label} (UK objective)`] : []),
    ...(comparison.exceedances?.who ? [`${comparison.exceedances.who.label} (WHO guideline)`] : []),
    ...(info.airQuality ? DAQI_BANDS.map((band) => `DAQI days ${band}`) : []),
    'Data capture (%)',
    'Devices',
    'Days with data',
    `Mean a year earlier (${unit})`,
    `Change (${unit})`,
    'Change (%)',
  ];
  const rows = comparison.wards.map((ward) => [
    ward.rank ?? '',
    ward.code,
    ward.name,
    ward.selected ? 'yes' : 'no',
    n(ward.mean),
    n(ward.median),
    n(ward.p95),
    ...(comparison.exceedances?.uk ? [ward.ukExceedances ?? ''] : []),
    ...(comparison.exceedances?.who ? [ward.whoExceedances ?? ''] : []),
    ...(info.airQuality ? DAQI_BANDS.map((band) => ward.daqiDays?.[band] ?? '') : []),
    ward.capture === null ? '' : Number(ward.capture.toFixed(1)),
    ward.devices,
    ward.daysWithData,
    n(ward.previousMean),
    n(ward.change),
    ward.changePercent === null ? '' : Number(ward.changePercent.toFixed(1)),
  ]);
  return stringify([headings, ...rows]);
}
