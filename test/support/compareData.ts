import type { AreaGeography } from '../../core/area.js';
import type { Device } from '../../core/device.js';
import type { MetricValues } from '../../core/metrics.js';
import type { Reading } from '../../core/reading.js';
import { AggregatesRepository } from '../../db/aggregatesRepository.js';
import { DeviceDaysRepository } from '../../db/deviceDaysRepository.js';
import { DevicesRepository, type DevicePlace } from '../../db/devicesRepository.js';
import type { Db } from '../../db/pool.js';
import { ReadingsRepository } from '../../db/readingsRepository.js';
import { StoreJobsRepository } from '../../db/storeJobsRepository.js';
import { metresPerDegreeLat } from '../../geo/localMetric.js';
import { DeviceDaysJob } from '../../ingest/deviceDaysJob.js';
import { readTraffordWards } from './sharedData.js';

/**
 * Hand-built readings for the ward comparison's tests (the API's and the page's), in three real
 * Trafford wards. February 2026 (28 days, all GMT), every device every 10 minutes:
 * - Altrincham: two devices reading NO₂ 30 throughout; a year earlier one device reading 25.
 *   A traffic counter: 300 motor vehicles an hour, 48 km/h from 00:00 to 05:00, 24 km/h otherwise.
 * - Bowdon: one device reading NO₂ 20, except 250 from 08:00 to 10:00 on the 10th (two hours over
 *   200), 200 exactly from 08:00 to 09:00 on the 11th (not over: the limit is "more than"), and
 *   nothing on the 20th.
 * - Broadheath: no devices.
 */

export const ALTRINCHAM = 'E05015239';
export const BOWDON = 'E05015241';
export const BROADHEATH = 'E05015242';
export const WARD_NAMES: Readonly<Record<string, string>> = { [ALTRINCHAM]: 'Altrincham', [BOWDON]: 'Bowdon', [BROADHEATH]: 'Broadheath' };
/** The comparison's clock: the day after the data. */
export const COMPARE_NOW = new Date('2026-03-01T12:00:00Z');

/** Bowdon's device stands on this street (for the briefings). */
export const STAMFORD_ROAD = 11_111_111;
/** A street without sensors 150 m north of Altrincham's devices (at -2.35, 53.39). */
export const OAKFIELD_ROAD = 22_222_222;
const NORTH_150M = 150 / metresPerDegreeLat(53.39);

/** The two streets of the briefings' tests. */
export const COMPARE_STREETS: AreaGeography['streets'] = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { usrn: STAMFORD_ROAD, name: 'Stamford Road', streetType: null, main: true, uprnCount: 42 }, geometry: { type: 'LineString', coordinates: [[-2.361, 53.37], [-2.359, 53.37]] } },
    { type: 'Feature', properties: { usrn: OAKFIELD_ROAD, name: 'Oakfield Road', streetType: null, main: false, uprnCount: 18 }, geometry: { type: 'LineString', coordinates: [[-2.352, 53.39 + NORTH_150M], [-2.348, 53.39 + NORTH_150M]] } },
  ],
};

/** Trafford's 21 real wards (ONS 2023, OGL) with the given streets: the pages' tests. */
export function traffordArea(streets: AreaGeography['streets'] = { type: 'FeatureCollection', features: [] }): AreaGeography {
  return {
    name: 'Trafford',
    synthetic: false,
    notice: null,
    attribution: 'Contains National Statistics and OS data © Crown copyright and database right 2023',
    bounds: [-2.48, 53.35, -2.25, 53.48],
    wards: {
      type: 'FeatureCollection',
      features: readTraffordWards().features.map((f) => ({ type: 'Feature', properties: { code: f.properties.area_code, name: f.properties.area_name }, geometry: f.geometry })),
    },
    streets,
  };
}

const place = (wardCode: string, usrn: number | null = null): DevicePlace => ({ wardCode, usrn, streetDistanceM: usrn === null ? null : 4, uprn: null, uprnDistanceM: null });
export const COMPARE_DEVICES: (Device & { place: DevicePlace })[] = [
  { id: 'aq-a1', name: 'A one', kind: 'air_quality', lon: -2.35, lat: 53.39, expectedIntervalS: 600, place: place(ALTRINCHAM) },
  { id: 'aq-a2', name: 'A two', kind: 'air_quality', lon: -2.35, lat: 53.39, expectedIntervalS: 600, place: place(ALTRINCHAM) },
  { id: 'aq-b1', name: 'B one', kind: 'air_quality', lon: -2.36, lat: 53.37, expectedIntervalS: 600, place: place(BOWDON, STAMFORD_ROAD) },
  { id: 'tr-a1', name: 'A counter', kind: 'traffic', lon: -2.35, lat: 53.39, expectedIntervalS: 600, place: place(ALTRINCHAM) },
];

const STEP = 600_000;
const HOUR = 3_600_000;

/** A device's readings every 10 minutes for `days` days from `start`; null leaves a reading out. */
export function compareSeries(deviceId: string, start: string, days: number, valueAt: (at: Date) => MetricValues | null, periodS?: number): Reading[] {
  const t0 = Date.parse(start);
  const wardCode = COMPARE_DEVICES.find((d) => d.id === deviceId)?.place.wardCode ?? null;
  const out: Reading[] = [];
  for (let t = t0; t < t0 + days * 24 * HOUR; t += STEP) {
    const values = valueAt(new Date(t));
    if (values) out.push({ deviceId, time: new Date(t).toISOString(), values, ...(periodS === undefined ? {} : { periodS }), place: { wardCode, usrn: null } });
  }
  return out;
}

function bowdon(at: Date): MetricValues | null {
  const day = at.getUTCDate();
  const hour = at.getUTCHours();
  if (day === 20) return null;
  if (day === 10 && (hour === 8 || hour === 9)) return { no2: 250 };
  if (day === 11 && hour === 8) return { no2: 200 };
  return { no2: 20 };
}

export interface CompareData {
  /** Stores more readings, as ingest does. */
  store(batch: readonly Reading[]): Promise<void>;
  /** As the maintenance pass does: the aggregates, then the days, until nothing is stale. */
  workOutDays(): Promise<void>;
}

/** Registers the devices, stores the readings and works the days out. */
export async function seedCompareData(db: Db): Promise<CompareData> {
  const readings = new ReadingsRepository(db);
  const jobs = new StoreJobsRepository(db);
  const registry = new DevicesRepository(db);
  await registry.upsertMany(COMPARE_DEVICES);
  const job = new DeviceDaysJob({ days: new DeviceDaysRepository(db), aggregates: new AggregatesRepository(db), devices: () => registry.list() });
  const data: CompareData = {
    store: async (batch) => {
      for (let i = 0; i < batch.length; i += 5000) await readings.insertBatch(batch.slice(i, i + 5000));
    },
    workOutDays: async () => {
      await jobs.runAll();
      for (let pass = 0; pass < 5; pass++) {
        if ((await job.run(COMPARE_NOW)).dates.length <= 2) return;
      }
      throw new Error('device days still stale after five passes');
    },
  };
  await data.store([
    ...compareSeries('aq-a1', '2026-02-01T00:00:00Z', 28, () => ({ no2: 30 })),
    ...compareSeries('aq-a2', '2026-02-01T00:00:00Z', 28, () => ({ no2: 30 })),
    ...compareSeries('aq-b1', '2026-02-01T00:00:00Z', 28, bowdon),
    ...compareSeries('aq-a1', '2025-02-01T00:00:00Z', 28, () => ({ no2: 25 })),
    ...compareSeries('tr-a1', '2026-02-01T00:00:00Z', 28, (at) => ({ cars_and_taxis: 50, speed_kmh: at.getUTCHours() < 5 ? 48 : 24 }), 600),
  ]);
  await data.workOutDays();
  return data;
}
