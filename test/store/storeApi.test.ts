import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaGeography } from '../../core/area.js';
import type { Device } from '../../core/device.js';
import type { MetricValues } from '../../core/metrics.js';
import type { Reading } from '../../core/reading.js';
import { DevicesRepository, type DevicePlace } from '../../db/devicesRepository.js';
import { QualityFlagsRepository } from '../../db/qualityFlagsRepository.js';
import { ReadingsRepository } from '../../db/readingsRepository.js';
import { StoreJobsRepository } from '../../db/storeJobsRepository.js';
import { scanQuality } from '../../ingest/qualityScan.js';
import { AggregatesRepository } from '../../db/aggregatesRepository.js';
import { TrafficService } from '../../server/trafficService.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';
import { startStoreApp, type StoreApp } from '../support/storeApp.js';

/**
 * The store end to end on the embedded TimescaleDB: readings written as ingest writes them, the
 * store's own jobs run, and every figure read back through the HTTP API compared with a hand-worked
 * answer. Each case uses its own device(s) and days, so the cases do not see each other's data.
 */

const WARD = 'E05000001';
const OTHER_WARD = 'E05000002';
const USRN = 12345678;

const area: AreaGeography = {
  name: 'Test borough',
  synthetic: true,
  notice: null,
  attribution: 'test',
  bounds: [-2.4, 53.4, -2.2, 53.5],
  wards: {
    type: 'FeatureCollection',
    features: [WARD, OTHER_WARD].map((code) => ({
      type: 'Feature',
      properties: { code, name: `Ward ${code}` },
      geometry: { type: 'Polygon', coordinates: [[[-2.4, 53.4], [-2.2, 53.4], [-2.2, 53.5], [-2.4, 53.4]]] },
    })),
  },
  streets: {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { usrn: USRN, name: 'High Street', streetType: null, main: true, uprnCount: 10 },
        geometry: { type: 'LineString', coordinates: [[-2.3, 53.45], [-2.29, 53.45]] },
      },
    ],
  },
};

const place = (wardCode: string | null, usrn: number | null): DevicePlace => ({ wardCode, usrn, streetDistanceM: 5, uprn: null, uprnDistanceM: null });

const devices: (Device & { place: DevicePlace })[] = [
  // Hourly means and the ward: every minute.
  { id: 'aq-1', name: 'AQ one', kind: 'air_quality', lon: -2.3, lat: 53.45, expectedIntervalS: 60, place: place(WARD, USRN) },
  { id: 'aq-2', name: 'AQ two', kind: 'air_quality', lon: -2.3, lat: 53.45, expectedIntervalS: 60, place: place(WARD, null) },
  // DAQI, objectives, quality: every 10 minutes (6 readings an hour).
  { id: 'aq-3', name: 'AQ three', kind: 'air_quality', lon: -2.3, lat: 53.45, expectedIntervalS: 600, place: place(OTHER_WARD, null) },
  { id: 'aq-4', name: 'AQ four', kind: 'air_quality', lon: -2.3, lat: 53.45, expectedIntervalS: 600, place: place(OTHER_WARD, null) },
  { id: 'tr-1', name: 'Counter one', kind: 'traffic', lon: -2.3, lat: 53.45, expectedIntervalS: 600, place: place(null, null) },
];

let t: TestDatabase;
let app: StoreApp;
let base: string;
let readings: ReadingsRepository;
let jobs: StoreJobsRepository;

const MINUTE = 60_000;

/** Readings every `stepMs` from `start` for `count` steps, values from `valueAt(i)`. */
function series(deviceId: string, start: string, stepMs: number, count: number, valueAt: (i: number) => MetricValues, periodS?: number): Reading[] {
  const t0 = Date.parse(start);
  const device = devices.find((d) => d.id === deviceId);
  return Array.from({ length: count }, (_, i) => ({
    deviceId,
    time: new Date(t0 + i * stepMs).toISOString(),
    values: valueAt(i),
    ...(periodS === undefined ? {} : { periodS }),
    place: { wardCode: device?.place.wardCode ?? null, usrn: device?.place.usrn ?? null },
  }));
}

async function store(batch: Reading[]): Promise<void> {
  for (let i = 0; i < batch.length; i += 5000) await readings.insertBatch(batch.slice(i, i + 5000));
}

/** As the app's maintenance pass does: the catch-up (these readings are months old), then every job. */
async function runJobs(): Promise<void> {
  await jobs.runAll();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
async function get(path: string): Promise<{ status: number; body: any; text: string; type: string | null }> {
  const response = await fetch(`${base}${path}`);
  const text = await response.text();
  const type = response.headers.get('content-type');
  return { status: response.status, text, type, body: type?.includes('json') ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  t = await startTestDatabase();
  readings = new ReadingsRepository(t.pool);
  jobs = new StoreJobsRepository(t.pool);
  await new DevicesRepository(t.pool).upsertMany(devices);
  app = await startStoreApp(t.pool, () => area);
  base = app.base;
});

afterAll(async () => {
  app?.close();
  await t?.destroy();
});

describe('hourly and daily series', () => {
  beforeAll(async () => {
    // aq-1, 15 Jan 2026 (GMT): 10:00–11:00 every minute, NO2 alternating 20 and 40 → mean 30, min 20,
    // max 40, 60 values; 11:00–11:30 every minute at 50 → mean 50 from 30 values (half the hour).
    await store(series('aq-1', '2026-01-15T10:00:00Z', MINUTE, 60, (i) => ({ no2: i % 2 ? 40 : 20 })));
    await store(series('aq-1', '2026-01-15T11:00:00Z', MINUTE, 30, (i) => ({ no2: i % 2 ? 49 : 51 })));
    // aq-2, same ward, 10:00–11:00 at 59/61 → ward hour 10:00 = (60 × 30 + 60 × 60) ÷ 120 = 45.
    await store(series('aq-2', '2026-01-15T10:00:00Z', MINUTE, 60, (i) => ({ no2: i % 2 ? 61 : 59 })));
  });

  it('answers from real-time aggregation before any refresh, and the same after', async () => {
    const before = await get('/devices/aq-1/series?metric=no2&bucket=hour&from=2026-01-15T00:00:00Z&to=2026-01-16T00:00:00Z');
    await runJobs();
    const after = await get('/devices/aq-1/series?metric=no2&bucket=hour&from=2026-01-15T00:00:00Z&to=2026-01-16T00:00:00Z');
    expect(before.status).toBe(200);
    expect(after.body).toEqual(before.body);
    expect(after.body).toMatchObject({ scope: 'device', id: 'aq-1', name: 'AQ one', metric: 'no2', unit: 'µg/m³', bucket: 'hour' });
    expect(after.body.points).toEqual([
      { start: '2026-01-15T10:00:00.000Z', mean: 30, min: 20, max: 40, values: 60, flagged: 0, readings: 60 },
      { start: '2026-01-15T11:00:00.000Z', mean: 50, min: 49, max: 51, values: 30, flagged: 0, readings: 30 },
    ]);
  });

  it('gives a ward the mean of all its readings, and a street only its own devices', async () => {
    const ward = await get(`/wards/${WARD}/series?metric=no2&bucket=hour&from=2026-01-15T00:00:00Z&to=2026-01-16T00:00:00Z`);
    expect(ward.body.points.map((p: { start: string; mean: number; values: number }) => [p.start, p.mean, p.values])).toEqual([
      ['2026-01-15T10:00:00.000Z', 45, 120],
      ['2026-01-15T11:00:00.000Z', 50, 30],
    ]);
    // The street has only aq-1: its day is (60 × 30 + 30 × 50) ÷ 90 = 36.67 (London day = UTC day in January).
    const street = await get(`/streets/${USRN}/series?metric=no2&bucket=day&from=2026-01-15T00:00:00Z&to=2026-01-16T00:00:00Z`);
    expect(street.body.points).toHaveLength(1);
    expect(street.body.points[0].start).toBe('2026-01-15T00:00:00.000Z');
    expect(street.body.points[0].mean).toBeCloseTo(3300 / 90, 10);
    expect(street.body.points[0].values).toBe(90);
  });

  it('lands late readings in the aggregates at the next refresh, after the chunk was compressed', async () => {
    // The jobs have run: January's chunks are more than a week old, so they are compressed now.
    const compressed = await t.pool.query(`SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'readings' AND is_compressed`);
    expect(compressed.rows[0].n).toBeGreaterThan(0);
    // 30 more readings for 11:30–12:00 at 49/51: hour 11:00 becomes 60 values, still mean 50.
    await store(series('aq-1', '2026-01-15T11:30:00Z', MINUTE, 30, (i) => ({ no2: i % 2 ? 49 : 51 })));
    // A repeat of one already stored changes nothing.
    await store(series('aq-1', '2026-01-15T11:30:00Z', MINUTE, 1, () => ({ no2: 999 })));
    await runJobs();
    const after = await get('/devices/aq-1/series?metric=no2&bucket=hour&from=2026-01-15T11:00:00Z&to=2026-01-15T12:00:00Z');
    expect(after.body.points).toEqual([{ start: '2026-01-15T11:00:00.000Z', mean: 50, min: 49, max: 51, values: 60, flagged: 0, readings: 60 }]);
  });

  it('streams raw readings page by page, in order, as JSON or CSV', async () => {
    // 7,200 readings (more than one 5,000-row page) over five days.
    await store(series('aq-2', '2026-02-01T00:00:00Z', MINUTE, 7200, (i) => ({ pm25: (i % 100) / 10 })));
    const raw = await get('/devices/aq-2/series?metric=pm25&bucket=raw&from=2026-02-01T00:00:00Z&to=2026-02-06T00:00:00Z');
    expect(raw.status).toBe(200);
    expect(raw.body.points).toHaveLength(7200);
    expect(raw.body.points[5000]).toEqual({ time: '2026-02-04T11:20:00.000Z', deviceId: 'aq-2', value: 0 });
    const times = raw.body.points.map((p: { time: string }) => p.time);
    expect([...times].sort()).toEqual(times);
    const csv = await get('/devices/aq-2/series?metric=pm25&bucket=raw&from=2026-02-01T00:00:00Z&to=2026-02-01T00:03:00Z&format=csv');
    expect(csv.type).toContain('text/csv');
    expect(csv.text).toBe('time,device_id,value\n2026-02-01T00:00:00.000Z,aq-2,0\n2026-02-01T00:01:00.000Z,aq-2,0.1\n2026-02-01T00:02:00.000Z,aq-2,0.2\n');
  });

  it('stops a stream whose client went away, and goes on serving others', async () => {
    const url = `${base}/devices/aq-2/series?metric=pm25&bucket=raw&from=2026-02-01T00:00:00Z&to=2026-02-06T00:00:00Z`;
    const firstChunk = await new Promise<number>((resolve, reject) => {
      const request = http.get(url, (response) => {
        response.once('data', (chunk: Buffer) => {
          request.destroy();
          resolve(chunk.length);
        });
      });
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    });
    expect(firstChunk).toBeGreaterThan(0);
    const again = await get('/devices/aq-2/series?metric=pm25&bucket=raw&from=2026-02-01T00:00:00Z&to=2026-02-06T00:00:00Z');
    expect(again.body.points).toHaveLength(7200);
  });
});

describe('DAQI', () => {
  beforeAll(async () => {
    // aq-3, 10 March 2026 (GMT), every 10 minutes: PM2.5 42/44 all day → daily mean 43 → index 5
    // (Moderate: 42–47 µg/m³). NO2 at 100/101 except 13:00–14:00 at 210/220 → the day's highest
    // hourly mean is 215 → index 4 (201–267 µg/m³). Overall: the higher, PM2.5's 5.
    await store(series('aq-3', '2026-03-10T00:00:00Z', 10 * MINUTE, 144, (i) => ({ pm25: i % 2 ? 44 : 42, no2: i >= 78 && i < 84 ? (i % 2 ? 220 : 210) : 100 + (i % 2) })));
    // 11 March: 14 hours only (58 %, under 75 %): PM2.5's daily mean is not valid; NO2's maximum
    // (40.5 → index 1) still counts.
    await store(series('aq-3', '2026-03-11T00:00:00Z', 10 * MINUTE, 84, (i) => ({ pm25: i % 2 ? 44 : 42, no2: 40 + (i % 2) })));
    // aq-4, 25 October 2026: the clocks go back, a 25-hour London day (23:00 UTC on the 24th to
    // 00:00 UTC on the 26th). PM10 at 50/52 for all 25 hours → daily mean 51 → index 4 (51–58? no:
    // PM10 bands 0–16, 17–33, 34–50 are Low; 51–58 is 4 Moderate).
    await store(series('aq-4', '2026-10-24T23:00:00Z', 10 * MINUTE, 150, (i) => ({ pm10: i % 2 ? 52 : 50 })));
    // …and 26 October has 18 hours of PM10 at 20/22 (75 %, exactly enough) → mean 21 → index 2.
    await store(series('aq-4', '2026-10-26T00:00:00Z', 10 * MINUTE, 108, (i) => ({ pm10: i % 2 ? 22 : 20 })));
    await runJobs();
  });

  it('gives the daily DAQI with the right averaging per pollutant, and says when data is too thin', async () => {
    const history = await get('/devices/aq-3/daqi/history?from=2026-03-10&to=2026-03-11');
    expect(history.status).toBe(200);
    // 366 days is the most a history may cover (2025-01-01 to 2026-01-01 inclusive).
    expect((await get('/devices/aq-3/daqi/history?from=2025-01-01&to=2026-01-01')).body.days).toHaveLength(366);
    const [tenth, eleventh] = history.body.days;
    expect(tenth.date).toBe('2026-03-10');
    expect(tenth.overall).toMatchObject({ index: 5, band: 'Moderate', pollutant: 'pm25', colour: '#FFCF00', deviceId: 'aq-3', devices: 1 });
    const sub = Object.fromEntries(tenth.devices[0].subIndices.map((s: { pollutant: string }) => [s.pollutant, s]));
    expect(sub.pm25).toMatchObject({ index: 5, concentration: 43, averaging: 'daily_mean', validValues: 24, possibleValues: 24 });
    expect(sub.no2).toMatchObject({ index: 4, concentration: 215, averaging: 'daily_max_hourly_mean' });
    expect(eleventh.devices[0].insufficientData).toEqual(['pm25']);
    expect(eleventh.overall).toMatchObject({ index: 1, pollutant: 'no2' });
  });

  it('counts the 25 hours of the autumn clock-change day, and 18 of 24 hours as enough', async () => {
    const history = await get('/devices/aq-4/daqi/history?from=2026-10-25&to=2026-10-26');
    const [change, next] = history.body.days;
    expect(change.devices[0].subIndices[0]).toMatchObject({ pollutant: 'pm10', index: 4, concentration: 51, validValues: 25, possibleValues: 25 });
    expect(next.devices[0].subIndices[0]).toMatchObject({ pollutant: 'pm10', index: 2, concentration: 21, validValues: 18, possibleValues: 24 });
  });

  it('gives a ward the index of its worst device', async () => {
    const history = await get(`/wards/${OTHER_WARD}/daqi/history?from=2026-03-10&to=2026-03-10`);
    expect(history.body.days).toHaveLength(1);
    expect(history.body.days[0].overall).toMatchObject({ index: 5, deviceId: 'aq-3', devices: 1 });
    expect(history.body.days[0].devices.map((d: { deviceId: string }) => d.deviceId)).toEqual(['aq-3', 'aq-4']);
  });

  it('gives the DAQI now from the latest complete hour', async () => {
    const now = await get('/devices/aq-3/daqi');
    expect(now.status).toBe(200);
    expect(now.body.asOf).toMatch(/T\d\d:00:00\.000Z$/);
    // Nothing from aq-3 in the last day: no index, and it does not pretend otherwise.
    expect(now.body.overall).toBeNull();
    expect(now.body.devices).toEqual([expect.objectContaining({ deviceId: 'aq-3', hasData: false, index: null })]);
  });
});

describe('UK objectives', () => {
  it('counts hours over 200 µg/m³ strictly and reports data capture', async () => {
    const report = await get('/devices/aq-3/objectives?from=2026-03-10&to=2026-03-11');
    expect(report.status).toBe(200);
    const byId = Object.fromEntries(report.body.devices[0].objectives.map((o: { id: string }) => [o.id, o]));
    // One hour (13:00) over 200; 38 valid hours of 48 possible → 79.2 %, below the 90 % target.
    expect(byId['uk.no2.1h']).toMatchObject({ value: 1, allowedPerYear: 18, status: 'partial_period', dataCapture: { valid: 38, possible: 48, percent: 79.2, flag: 'below_target' } });
    // Annual mean over the valid hours: (23 × 100.5 + 215 + 14 × 40.5) ÷ 38 = 81.4.
    expect(byId['uk.no2.annual'].value).toBeCloseTo((23 * 100.5 + 215 + 14 * 40.5) / 38, 1);
    // PM2.5 days: the 10th valid, the 11th not.
    expect(byId['uk.pm25.annual'].dataCapture).toMatchObject({ valid: 38, possible: 48 });
  });
});

describe('data quality', () => {
  beforeAll(async () => {
    // aq-4 on 1 June 2026: 12 hours every 10 minutes (72 of 144 expected = 50 %); O3 stuck at 80.0
    // for the first 4 hours (24 readings), then varying. Each arrives a minute after it was taken,
    // except two that arrive 20 minutes late (stored now, so their arrival is set afterwards).
    const batch = series('aq-4', '2026-06-01T00:00:00Z', 10 * MINUTE, 72, (i) => ({ o3: i < 24 ? 80 : 60 + (i % 5) }));
    await store(batch);
    await t.pool.query(
      `UPDATE readings SET received_at = time + CASE WHEN time IN ('2026-06-01T06:00:00Z', '2026-06-01T06:10:00Z') THEN interval '20 minutes' ELSE interval '1 minute' END
       WHERE device_id = 'aq-4' AND time >= '2026-06-01' AND time < '2026-06-02'`,
    );
    await scanQuality(
      {
        readings,
        flags: new QualityFlagsRepository(t.pool),
        intervals: async () => new Map(devices.map((d) => [d.id, d.expectedIntervalS])),
      },
      new Date('2026-06-01T13:00:00Z'),
    );
    await runJobs();
  });

  it('flags a stuck sensor, leaves its values out of the aggregates and counts them', async () => {
    const hours = await get('/devices/aq-4/series?metric=o3&bucket=hour&from=2026-06-01T00:00:00Z&to=2026-06-01T06:00:00Z');
    expect(hours.body.points.slice(0, 4)).toEqual(
      ['00', '01', '02', '03'].map((h) => ({ start: `2026-06-01T${h}:00:00.000Z`, mean: null, min: null, max: null, values: 0, flagged: 6, readings: 6 })),
    );
    expect(hours.body.points[4]).toMatchObject({ values: 6, flagged: 0 });
  });

  it('reports completeness, timeliness and the suspect stretch', async () => {
    const quality = await get('/devices/aq-4/quality?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z');
    expect(quality.status).toBe(200);
    expect(quality.body.completeness).toEqual({ received: 72, expected: 144, percent: 50 });
    expect(quality.body.timeliness).toEqual({ received: 72, onTime: 70, withinSeconds: 900, percent: 97.2 });
    expect(quality.body.devices[0].flaggedValues).toEqual({ o3: 24 });
    expect(quality.body.suspectStretchesTruncated).toBe(false);
    expect(quality.body.suspectStretches).toEqual([
      { deviceId: 'aq-4', metric: 'o3', reason: 'stuck', start: '2026-06-01T00:00:00.000Z', end: '2026-06-01T04:00:00.000Z', value: 80, readings: 24 },
    ]);
  });
});

describe('traffic', () => {
  beforeAll(async () => {
    // tr-1, 2–4 May 2026 (BST): every 10 minutes. Night (00:00–05:00 London = 23:00–04:00 UTC):
    // 50 km/h, 10 cars. 08:00–09:00 London (07:00 UTC): 20 km/h, 200 cars and 10 HGVs per 10 minutes
    // → 1,200 + 60 vehicles per hour. Other hours: 45 km/h, 50 cars.
    const start = Date.parse('2026-05-01T23:00:00Z');
    const batch: Reading[] = [];
    for (let i = 0; i < 3 * 144; i++) {
      const at = start + i * 10 * MINUTE;
      const londonHour = (new Date(at).getUTCHours() + 1) % 24;
      const values: MetricValues =
        londonHour < 5 ? { cars_and_taxis: 10, all_hgvs: 0, speed_kmh: 50 } : londonHour === 8 ? { cars_and_taxis: 200, all_hgvs: 10, speed_kmh: 20 } : { cars_and_taxis: 50, all_hgvs: 0, speed_kmh: 45 };
      batch.push({ deviceId: 'tr-1', time: new Date(at).toISOString(), values, periodS: 600, place: { wardCode: null, usrn: null } });
    }
    await store(batch);
    await runJobs();
  });

  it('takes whole hours: a period from 07:20 covers the hour from 07:00', async () => {
    const traffic = await get('/devices/tr-1/traffic?from=2026-05-02T07:20:00Z&to=2026-05-02T07:40:00Z');
    expect(traffic.body).toMatchObject({ from: '2026-05-02T07:00:00.000Z', to: '2026-05-02T08:00:00.000Z', hoursWithData: 1 });
  });

  it('gives flows per hour, free-flow speed from the night, congestion and the busiest hour', async () => {
    const traffic = await get('/devices/tr-1/traffic?from=2026-05-01T23:00:00Z&to=2026-05-04T23:00:00Z');
    expect(traffic.status).toBe(200);
    // 15 night hours at 50 km/h → free flow 50; the 08:00 hour at 20 → ratio 0.4, 'congested'.
    expect(traffic.body.freeFlowSpeedKmh).toBe(50);
    expect(traffic.body.freeFlowNightHours).toBe(15);
    // The live alerts learn it the same way, from the 28 days before a moment.
    const service = new TrafficService(new AggregatesRepository(t.pool));
    expect(await service.freeFlow({ scope: 'device', id: 'tr-1', name: 'tr-1' }, new Date('2026-05-04T23:00:00Z'))).toEqual({ speedKmh: 50, nightHours: 15 });
    expect(traffic.body.busiestHours[0]).toEqual({ hour: 8, label: '08:00–09:00', meanMotorVehiclesPerHour: 1260, hoursCounted: 3 });
    expect(traffic.body.congestedHours).toBe(3);
    const eight = traffic.body.hours.find((h: { start: string }) => h.start === '2026-05-02T07:00:00.000Z');
    expect(eight).toEqual({ start: '2026-05-02T07:00:00.000Z', flowPerHour: { cars_and_taxis: 1200, all_hgvs: 60 }, speedKmh: 20 });
    expect(traffic.body.hoursWithData).toBe(72);
  });
});

describe('every ward for a period', () => {
  it('summarises each ward from the daily aggregates for whole London days', async () => {
    const summary = await get('/wards/summary?metric=no2&from=2026-01-15T00:00:00Z&to=2026-01-16T00:00:00Z');
    expect(summary.status).toBe(200);
    expect(summary.body.source).toBe('daily aggregates');
    // aq-1 (90 + 30 readings at means 30 and 50) and aq-2 (60 at 60): (1800 + 3000 + 3600) ÷ 180.
    expect(summary.body.wards).toEqual([{ wardCode: WARD, wardName: `Ward ${WARD}`, mean: 46.7, min: 20, max: 61, values: 180, flagged: 0, readings: 180, buckets: 1 }]);
  });
});

describe('bad requests', () => {
  it.each([
    ['/devices/aq-1/series?metric=nox', 400, 'api.invalid_query', 'metric'],
    ['/devices/aq-1/series?metric=no2&bucket=minute', 400, 'api.invalid_query', 'bucket'],
    ['/devices/aq-1/series?metric=no2&bucket=raw&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 400, 'api.invalid_query', 'to'],
    ['/devices/aq-1/series?metric=no2&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 400, 'api.invalid_query', 'from'],
    ['/devices/aq-1/series?metric=no2&colour=red', 400, 'api.invalid_query', 'colour'],
    ['/devices/aq-1/daqi/history?from=2026-02-30', 400, 'api.invalid_query', 'from'],
    ['/devices/aq-1/objectives?year=2026&from=2026-01-01', 400, 'api.invalid_query', 'year'],
    ['/devices/aq-1/daqi/history?to=2026-02-30', 400, 'api.invalid_query', 'to'],
    ['/devices/aq-1/daqi/history?from=2026-03-01&to=2026-02-30', 400, 'api.invalid_query', 'to'],
    ['/devices/aq-1/daqi/history?from=2025-01-01&to=2026-01-02', 400, 'api.invalid_query', 'to'],
    ['/devices/nope/daqi', 404, 'api.device_not_found', undefined],
    ['/wards/E05999999/daqi', 404, 'api.ward_not_found', undefined],
    ['/wards/high-street/daqi', 400, 'api.invalid_ward_code', undefined],
    ['/streets/0/traffic', 400, 'api.invalid_usrn', undefined],
    ['/streets/99/traffic', 404, 'api.street_not_found', undefined],
  ])('%s → %i %s', async (path, status, code, parameter) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    if (parameter) expect(response.body.error.details.map((d: { parameter: string }) => d.parameter)).toContain(parameter);
  });
});
