import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaGeography } from '../../core/area.js';
import { ALTRINCHAM, BOWDON, BROADHEATH, COMPARE_NOW, compareSeries, seedCompareData, WARD_NAMES, type CompareData } from '../support/compareData.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';
import { startStoreApp, type StoreApp } from '../support/storeApp.js';

/**
 * The ward comparison end to end on the embedded TimescaleDB: readings written as ingest writes
 * them, the aggregates refreshed, the days worked out by the maintenance pass's job, and every
 * figure read back through GET /api/v1/wards/compare against a hand-worked answer. The readings
 * (test/support/compareData.ts), in February 2026, every 10 minutes:
 * - Altrincham (A): two devices reading NO₂ 30; a year earlier one reading 25; a traffic counter.
 * - Bowdon (B): one device reading 20, but 250 for two hours on the 10th, 200 for an hour on the
 *   11th, and nothing on the 20th.
 * - Broadheath (C): no devices.
 */

const A = ALTRINCHAM;
const B = BOWDON;
const C = BROADHEATH;

const area: AreaGeography = {
  name: 'Test borough',
  synthetic: true,
  notice: null,
  attribution: 'test',
  bounds: [-2.4, 53.4, -2.2, 53.5],
  wards: {
    type: 'FeatureCollection',
    features: [A, B, C].map((code) => ({
      type: 'Feature',
      properties: { code, name: WARD_NAMES[code] as string },
      geometry: { type: 'Polygon', coordinates: [[[-2.4, 53.4], [-2.2, 53.4], [-2.2, 53.5], [-2.4, 53.4]]] },
    })),
  },
  streets: { type: 'FeatureCollection', features: [] },
};

let t: TestDatabase;
let app: StoreApp;
let data: CompareData;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
async function get(query: string): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const response = await fetch(`${app.base}/wards/compare${query}`);
  const text = await response.text();
  return { status: response.status, text, headers: response.headers, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
}

const FEBRUARY = '?period=custom&from=2026-02-01&to=2026-02-28';

beforeAll(async () => {
  t = await startTestDatabase();
  data = await seedCompareData(t.pool);
  app = await startStoreApp(t.pool, () => area, { now: () => COMPARE_NOW });
}, 240_000);

afterAll(async () => {
  app?.close();
  await t?.destroy();
});

describe('comparing wards on NO₂', () => {
  it('gives each ward its hand-worked figures', async () => {
    const { status, body } = await get(`${FEBRUARY}&metric=no2&wards=${A},${B},${C}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ metric: 'no2', label: 'NO₂', unit: 'µg/m³', higherIsWorse: true, all: false, selected: [A, B, C] });
    expect(body.period).toEqual({ preset: 'custom', from: '2026-02-01', to: '2026-02-28', days: 28, start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z' });
    expect(body.previousPeriod).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    const [altrincham, bowdonWard, broadheath] = body.wards;
    // Every device read 30: the ward is 30, whatever the statistic.
    expect(altrincham).toMatchObject({ code: A, rank: 1, devices: 2, daysWithData: 28, mean: 30, median: 30, p95: 30, ukExceedances: 0, whoExceedances: 28, capture: 100 });
    expect(altrincham.daqiDays).toEqual({ Low: 28, Moderate: 0, High: 0, 'Very High': 0 });
    // A year earlier one device read 25: +5, +20 %.
    expect(altrincham).toMatchObject({ previousMean: 25, change: 5, changePercent: 20 });
    // Bowdon: 648 valid hours (a day missing); 645 at 20, two at 250, one at 200. Two hours over
    // 200; two days over 25 (the 10th's mean is 39.17, the 11th's 27.5).
    expect(bowdonWard).toMatchObject({ code: B, rank: 2, devices: 1, daysWithData: 27, ukExceedances: 2, whoExceedances: 2, previousMean: null, change: null });
    expect(bowdonWard.mean).toBeCloseTo(13_600 / 648, 10);
    expect(bowdonWard.capture).toBeCloseTo((100 * 648) / 672, 10);
    // Daily means: 25 days of 20, the 11th 27.5, the 10th 39.17. Median 20; the 95th percentile
    // lies 0.7 of the way from the 25th to the 26th value (h = 26 × 0.95 = 24.7): 20 + 0.7 × 7.5.
    expect(bowdonWard.median).toBe(20);
    expect(bowdonWard.p95).toBeCloseTo(25.25, 10);
    // The 10th's highest hour (250) is DAQI 4, Moderate; 200 on the 11th is still 3, Low.
    expect(bowdonWard.daqiDays).toEqual({ Low: 26, Moderate: 1, High: 0, 'Very High': 0 });
    expect(broadheath).toMatchObject({ code: C, rank: null, devices: 0, capture: null, mean: null, median: null, p95: null, ukExceedances: null, daqiDays: null, daysWithData: 0 });
    expect(body.exceedances).toEqual({
      uk: { label: 'Hours over 200 µg/m³', note: "UK objective: no more than 18 hours a year, at the ward's worst device" },
      who: { label: 'Days with a daily mean over 25 µg/m³', note: "WHO 2021 guideline: no more than 3–4 days a year, at the ward's worst device" },
    });
  });

  it('says how far apart two wards are, with an interval, and when they cannot be compared', async () => {
    const { body } = await get(`${FEBRUARY}&metric=no2&wards=${A},${B},${C}`);
    const [ab, ac] = body.comparisons;
    // Paired days: 25 × (30 − 20), the 11th 2.5, the 10th −9.17 → 243.33 / 27.
    expect(ab).toMatchObject({ a: A, b: B, supported: true, pairedDays: 27 });
    expect(ab.difference).toBeCloseTo((250 + 2.5 - (940 / 24 - 30)) / 27, 10);
    expect(ab.low).toBeLessThan(ab.difference);
    expect(ab.high).toBeGreaterThan(ab.difference);
    expect(ab.sentence).toMatch(/^Altrincham's NO₂ was 9\.0 µg\/m³ higher than Bowdon's \(95% interval \d+\.\d to \d+\.\d\), from 2 devices and 1 device with 100% and 96% data capture\.$/);
    expect(ac).toMatchObject({ a: A, b: C, supported: false, difference: null, sentence: 'Altrincham and Broadheath cannot be compared on NO₂ for this period: Broadheath has no devices with NO₂ data.' });
  });

  it("gives the chosen wards twelve months of trend", async () => {
    const { body } = await get(`${FEBRUARY}&metric=no2&wards=${A},${B}`);
    const monthly = body.wards.find((w: { code: string }) => w.code === A).monthly;
    expect(monthly.map((m: { month: string }) => m.month)).toEqual(['2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthly.at(-1)).toEqual({ month: '2026-02', mean: 30, days: 28 });
    expect(monthly[0]).toEqual({ month: '2025-03', mean: null, days: 0 });
  });

  it('ranks every ward, worst first, and compares none when all are asked for', async () => {
    const { body } = await get(`${FEBRUARY}&metric=no2`);
    expect(body.all).toBe(true);
    expect(body.wards.map((w: { code: string; rank: number | null }) => [w.code, w.rank])).toEqual([[A, 1], [B, 2], [C, null]]);
    expect(body.comparisons).toEqual([]);
    expect(body.wards.every((w: object) => !('monthly' in w))).toBe(true);
  });

  it('exports the table as CSV', async () => {
    const { status, text, headers } = await get(`${FEBRUARY}&metric=no2&wards=${A},${B}&format=csv`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('content-disposition')).toBe('attachment; filename="wards-no2-2026-02-01-to-2026-02-28.csv"');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(
      'Rank,Ward code,Ward,Selected,Mean (µg/m³),Median of daily values (µg/m³),95th percentile of daily values (µg/m³),Hours over 200 µg/m³ (UK objective),Days with a daily mean over 25 µg/m³ (WHO guideline),DAQI days Low,DAQI days Moderate,DAQI days High,DAQI days Very High,Data capture (%),Devices,Days with data,Mean a year earlier (µg/m³),Change (µg/m³),Change (%)',
    );
    expect(lines[1]).toBe(`1,${A},Altrincham,yes,30,30,30,0,28,28,0,0,0,100,2,28,25,5,20`);
    expect(lines[2]).toBe(`2,${B},Bowdon,yes,20.99,20,25.25,2,2,26,1,0,0,96.4,1,27,,,`);
    expect(lines[3]).toBe(`,${C},Broadheath,no,,,,,,,,,,,0,0,,,`);
  });
});

describe('other metrics', () => {
  it('gives the DAQI as the mean daily index of the worst device', async () => {
    const { body } = await get(`${FEBRUARY}&metric=daqi&wards=${A},${B}`);
    const bowdonWard = body.wards.find((w: { code: string }) => w.code === B);
    // 25 days of index 1, the 10th 4, the 11th 3.
    expect(bowdonWard.mean).toBeCloseTo(32 / 27, 10);
    expect(bowdonWard).toMatchObject({ median: 1, ukExceedances: null, capture: (100 * 27) / 28 });
    expect(body.exceedances).toBeNull();
  });

  it('gives traffic flow in motor vehicles an hour and congestion against the night-time speed', async () => {
    const flow = await get(`${FEBRUARY}&metric=traffic_flow&wards=${A},${B}`);
    expect(flow.body.wards[0]).toMatchObject({ code: A, mean: 300, median: 300, devices: 1, daqiDays: null });
    expect(flow.body.unit).toBe('vehicles per hour');
    const congestion = await get(`${FEBRUARY}&metric=congestion&wards=${A},${B}`);
    // (5 h × 48 + 19 h × 24) / 24 = 29 km/h against 48 free-flowing.
    expect(congestion.body.higherIsWorse).toBe(false);
    expect(congestion.body.wards[0].code).toBe(A);
    expect(congestion.body.wards[0].mean).toBeCloseTo((100 * 29) / 48, 10);
    expect(congestion.body.wards[0].median).toBeCloseTo((100 * 29) / 48, 10);
  });
});

describe('bad requests', () => {
  it.each([
    [`?wards=${ALTRINCHAM},nonsense`, 'wards'],
    ['?period=custom&from=2026-02-01', 'to'],
    ['?period=custom&from=2026-02-10&to=2026-02-01', 'from'],
    ['?period=custom&from=2026-02-01&to=2026-03-01', 'to'],
    ['?period=custom&from=2025-01-01&to=2026-02-28', 'to'],
    ['?period=custom&from=2026-02-30&to=2026-02-28', 'from'],
    ['?period=30d&from=2026-02-01', 'from'],
    ['?metric=so3', 'metric'],
    ['?colour=red', 'colour'],
  ])('%s is a 400 naming %s', async (query, parameter) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe('api.invalid_query');
    expect(body.error.details.map((d: { parameter: string }) => d.parameter)).toContain(parameter);
  });

  it('is a 404 naming the wards that are not in the area', async () => {
    const { status, body } = await get(`?wards=${ALTRINCHAM},E05999999`);
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'api.ward_not_found', message: 'There is no ward E05999999 in this area.', details: { wards: ['E05999999'] } });
  });
});

describe('keeping the days up to date', () => {
  it('works out a day again when a late reading changes it', async () => {
    await data.store(compareSeries('aq-b1', '2026-02-20T00:00:00Z', 1, () => ({ no2: 20 })));
    await data.workOutDays();
    const { body } = await get(`${FEBRUARY}&metric=no2&wards=${A},${B}`);
    expect(body.wards.find((w: { code: string }) => w.code === B)).toMatchObject({ daysWithData: 28, capture: 100 });
  });
});
