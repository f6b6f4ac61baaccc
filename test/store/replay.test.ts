import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../core/device.js';
import type { Reading } from '../../core/reading.js';
import { DevicesRepository, type DevicePlace } from '../../db/devicesRepository.js';
import { ReadingsRepository } from '../../db/readingsRepository.js';
import { StoreJobsRepository } from '../../db/storeJobsRepository.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';
import { startStoreApp, type StoreApp } from '../support/storeApp.js';

/**
 * GET /api/v1/replay on the embedded TimescaleDB: readings stored as ingest stores them, every
 * device's hourly means read back through the HTTP API and compared with hand-worked ones. The
 * clock is fixed at 10:20 UTC on 2 April 2026, so the last three whole hours are 07:00, 08:00 and
 * 09:00, and 10:00 is the hour under way.
 */

const NOW = new Date('2026-04-02T10:20:00Z');
const place: DevicePlace = { wardCode: null, usrn: null, streetDistanceM: null, uprn: null, uprnDistanceM: null };
const devices: (Device & { place: DevicePlace })[] = [
  { id: 'aq-1', name: 'AQ one', kind: 'air_quality', lon: -2.3, lat: 53.45, expectedIntervalS: 600, place },
  { id: 'aq-2', name: 'AQ two', kind: 'air_quality', lon: -2.3, lat: 53.45, expectedIntervalS: 600, place },
  { id: 'tr-1', name: 'Counter one', kind: 'traffic', lon: -2.3, lat: 53.45, expectedIntervalS: 600, place },
];

const reading = (deviceId: string, time: string, values: Reading['values'], periodS?: number): Reading => ({
  deviceId,
  time,
  values,
  ...(periodS === undefined ? {} : { periodS }),
  place: { wardCode: null, usrn: null },
});

let t: TestDatabase;
let app: StoreApp;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.base}${path}`);
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  t = await startTestDatabase();
  await new DevicesRepository(t.pool).upsertMany(devices);
  await new ReadingsRepository(t.pool).insertBatch([
    // Before the period (hours=3): left out.
    reading('aq-1', '2026-04-02T06:59:00Z', { no2: 99 }),
    // 07:00: NO2 10 and 30 → 20; PM2.5 5 and 6 → 5.5.
    reading('aq-1', '2026-04-02T07:10:00Z', { no2: 10, pm25: 5 }),
    reading('aq-1', '2026-04-02T07:40:00Z', { no2: 30, pm25: 6 }),
    // 08:00: nothing from aq-1. 09:00: NO2 40, and 500 flagged as suspect (left out) → 40.
    reading('aq-1', '2026-04-02T09:05:00Z', { no2: 40 }),
    reading('aq-1', '2026-04-02T09:30:00Z', { no2: 500 }),
    // aq-2 at 09:00: one reading whose only value is flagged → listed, with no values.
    reading('aq-2', '2026-04-02T09:45:00Z', { no2: 600 }),
    // tr-1 at 08:00: 100 then 200 cars in 10 minutes → flows 600 and 1,200 an hour → 900; speed 30 and 40 → 35.
    reading('tr-1', '2026-04-02T08:00:00Z', { cars_and_taxis: 100, speed_kmh: 30 }, 600),
    reading('tr-1', '2026-04-02T08:50:00Z', { cars_and_taxis: 200, speed_kmh: 40 }, 600),
    // The hour under way: left out.
    reading('aq-1', '2026-04-02T10:05:00Z', { no2: 70 }),
  ]);
  // As the quality scan marks a suspect NO2 value: bit 1 of flags.
  await t.pool.query(`UPDATE readings SET flags = flags | 1 WHERE no2 >= 500`);
  app = await startStoreApp(t.pool, () => null, { now: () => NOW });
});

afterAll(async () => {
  app?.close();
  await t?.destroy();
});

const expected = {
  from: '2026-04-02T07:00:00.000Z',
  to: '2026-04-02T10:00:00.000Z',
  hours: [
    { hour: '2026-04-02T07:00:00.000Z', readings: [{ deviceId: 'aq-1', values: { no2: 20, pm25: 5.5 }, readings: 2 }] },
    { hour: '2026-04-02T08:00:00.000Z', readings: [{ deviceId: 'tr-1', values: { cars_and_taxis: 900, speed_kmh: 35 }, readings: 2 }] },
    {
      hour: '2026-04-02T09:00:00.000Z',
      readings: [
        { deviceId: 'aq-1', values: { no2: 40 }, readings: 2 },
        { deviceId: 'aq-2', values: {}, readings: 1 },
      ],
    },
  ],
};

describe('GET /api/v1/replay', () => {
  it('gives every whole hour of the period, oldest first, with each device’s hourly means', async () => {
    const answer = await get('/replay?hours=3');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(expected);
  });

  it('answers the same from the refreshed aggregates as from real-time aggregation', async () => {
    await new StoreJobsRepository(t.pool).runAll();
    expect((await get('/replay?hours=3')).body).toEqual(expected);
  });

  it('covers the last 24 whole hours by default, empty hours included', async () => {
    const answer = await get('/replay');
    expect(answer.body.from).toBe('2026-04-01T10:00:00.000Z');
    expect(answer.body.to).toBe('2026-04-02T10:00:00.000Z');
    expect(answer.body.hours).toHaveLength(24);
    expect(answer.body.hours.filter((hour: { readings: unknown[] }) => hour.readings.length > 0).map((hour: { hour: string }) => hour.hour)).toEqual([
      '2026-04-02T06:00:00.000Z',
      '2026-04-02T07:00:00.000Z',
      '2026-04-02T08:00:00.000Z',
      '2026-04-02T09:00:00.000Z',
    ]);
  });

  it.each([
    ['hours=0', 'hours'],
    ['hours=49', 'hours'],
    ['hours=1.5', 'hours'],
    ['hours=many', 'hours'],
    ['hours=2&hours=3', 'hours'],
    ['from=2026-04-01T00:00:00Z', 'from'],
  ])('refuses ?%s naming %s', async (query, parameter) => {
    const answer = await get(`/replay?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('api.invalid_query');
    expect(answer.body.error.details.map((d: { parameter: string }) => d.parameter)).toEqual([parameter]);
  });
});
