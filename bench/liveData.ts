import type { Device } from '../core/device.js';
import type { Reading } from '../core/reading.js';
import { applyGeographyChange, GeographyStore } from '../db/geographyStore.js';
import { seedDemoGeography } from '../db/demoGeography.js';
import { DevicesRepository } from '../db/devicesRepository.js';
import { PropertiesRepository } from '../db/propertiesRepository.js';
import { ReadingsRepository } from '../db/readingsRepository.js';
import { StreetsRepository } from '../db/streetsRepository.js';
import { WardsRepository } from '../db/wardsRepository.js';
import { generateDemoArea } from '../geo/demoArea.js';
import type { JoinDistances } from '../geo/geographyIndex.js';
import type { Db } from '../db/pool.js';
import { startTestDatabase } from '../test/support/database.js';
import { generateLargeArea, scatterDevices, type DenseDevices, type LargeArea } from './liveArea.js';

/**
 * Writes the live-map benchmark's data directories before the product starts on them, with the
 * product's own repositories (as `smartplace import` and the demo seeding do). The product then
 * runs with DEMO=false, so nothing replaces this geography or adds the demo devices.
 */

/** The product's defaults (STREET_MAX_DISTANCE_M, PROPERTY_MAX_DISTANCE_M). */
const DISTANCES: JoinDistances = { streetMaxDistanceM: 50, propertyMaxDistanceM: 100 };

/** The demo borough, with `count` air-quality monitors scattered over it (the last one the probe). */
export async function prepareDenseEstate(dataDir: string, count: number): Promise<DenseDevices> {
  const database = await startTestDatabase({ dir: dataDir });
  try {
    const demo = generateDemoArea();
    await seedDemoGeography(database.pool, demo, DISTANCES);
    // The probe sits in the north-east ward, in a clearing of 250 m (about 25 px on the bench's map).
    const estate = scatterDevices(demo.geography.bounds, count, { probeAt: [0.78, 0.7], clearM: 250 });
    const places = await register(database.pool, estate.devices);
    // A reading each from the last minute (DAQI 1–6; the probe at index 1), as a running estate has.
    const now = Date.now();
    await new ReadingsRepository(database.pool).insertBatch(
      estate.devices.map((device, i) => ({
        deviceId: device.id,
        time: new Date(now - 60_000 + ((i * 7) % 60_000)).toISOString(),
        values: device.id === estate.probe.id ? { no2: 20 } : { no2: 5 + ((i * 37) % 390), pm25: 1 + ((i * 13) % 29) },
        place: places.get(device.id) ?? { wardCode: null, usrn: null },
      })),
    );
    return estate;
  } finally {
    await database.stop();
  }
}

/** A large synthetic estate: ~`streets` street segments and `devices` devices, each with one reading. */
export async function prepareLargeEstate(dataDir: string, streets: number, devices: number): Promise<LargeArea> {
  const area = generateLargeArea({ streets, devices, airQualityShare: 0.8 });
  const database = await startTestDatabase({ dir: dataDir });
  try {
    const { geography } = area;
    await applyGeographyChange(database.pool, DISTANCES, async (tx) => {
      await new WardsRepository(tx).replaceAll(geography.wards.features.map((ward) => ({ code: ward.properties.code, name: ward.properties.name, geometry: ward.geometry })));
      const repository = new StreetsRepository(tx);
      await repository.replaceAll(
        geography.streets.features.map((street) => ({ usrn: street.properties.usrn, streetType: street.properties.streetType, main: street.properties.main, geometry: street.geometry })),
      );
      await repository.replaceNames(geography.streets.features.map((street) => ({ usrn: street.properties.usrn, name: street.properties.name ?? '', locality: null, town: geography.name })));
      await new PropertiesRepository(tx).replaceAll(area.properties);
      return { name: geography.name, synthetic: true, notice: geography.notice, attribution: geography.attribution };
    });
    const located = await register(database.pool, area.devices);
    // One recent reading each (the last minute), as ingest would have stored it.
    const now = Date.now();
    const readings: Reading[] = area.devices.map((device, i) => ({
      deviceId: device.id,
      time: new Date(now - 60_000 + ((i * 7) % 60_000)).toISOString(),
      values:
        device.kind === 'air_quality'
          ? { no2: 5 + ((i * 37) % 390), pm25: 1 + ((i * 13) % 29) }
          : { cars_and_taxis: (i * 7) % 200, lgvs: (i * 3) % 40, all_hgvs: i % 10, speed_kmh: 5 + ((i * 11) % 60) },
      ...(device.kind === 'traffic' ? { periodS: 900 } : {}),
      place: located.get(device.id) ?? { wardCode: null, usrn: null },
    }));
    const repository = new ReadingsRepository(database.pool);
    for (let i = 0; i < readings.length; i += 1000) await repository.insertBatch(readings.slice(i, i + 1000));
    return area;
  } finally {
    await database.stop();
  }
}

/** Registers devices where the joins put them; returns each one's ward and street. */
async function register(pool: Db, devices: readonly Device[]): Promise<Map<string, { wardCode: string | null; usrn: number | null }>> {
  const store = new GeographyStore(pool, DISTANCES);
  const geography = await store.load();
  if (!geography) throw new Error('the benchmark geography did not load');
  const places = new Map<string, { wardCode: string | null; usrn: number | null }>();
  const located = devices.map((device) => {
    const place = geography.locate(device.lon, device.lat);
    places.set(device.id, { wardCode: place.wardCode, usrn: place.usrn });
    return { ...device, place };
  });
  const repository = new DevicesRepository(pool);
  for (let i = 0; i < located.length; i += 2000) await repository.upsertMany(located.slice(i, i + 2000));
  return places;
}
