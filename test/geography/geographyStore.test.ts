import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoGeography } from '../../db/demoGeography.js';
import { DevicesRepository } from '../../db/devicesRepository.js';
import { GeographyMetaRepository } from '../../db/geographyMetaRepository.js';
import { applyGeographyChange, GeographyStore, loadGeographyData } from '../../db/geographyStore.js';
import { StreetsRepository } from '../../db/streetsRepository.js';
import { WardsRepository } from '../../db/wardsRepository.js';
import { generateDemoArea } from '../../geo/demoArea.js';
import { DEFAULT_JOIN_DISTANCES } from '../../geo/geographyIndex.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';

/** The geography tables on the real embedded TimescaleDB: seeding, loading, and all-or-nothing changes. */

const demo = generateDemoArea();

describe('geography in the database', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('seeds the demo borough once, and loads back exactly what was written', async () => {
    const devices = new DevicesRepository(database.pool);
    await devices.upsertMany(demo.devices.map((device) => ({ ...device, place: { wardCode: null, usrn: null, streetDistanceM: null, uprn: null, uprnDistanceM: null } })));
    const first = await seedDemoGeography(database.pool, demo, DEFAULT_JOIN_DISTANCES);
    expect(first).toMatchObject({ version: 1, wards: 6, streets: 23, properties: demo.properties.uprns.length, devicesRejoined: 20 });
    // The same edition again: nothing to do.
    expect(await seedDemoGeography(database.pool, demo, DEFAULT_JOIN_DISTANCES)).toBeNull();

    const data = await loadGeographyData(database.pool);
    expect(data?.meta).toMatchObject({ name: 'Demoford', synthetic: true, version: 1 });
    expect(data?.wards.map((ward) => ward.code)).toEqual(demo.geography.wards.features.map((ward) => ward.properties.code));
    expect(data?.wards[0]?.geometry).toEqual(demo.geography.wards.features[0]?.geometry);
    expect(data?.streets.map((street) => [street.usrn, street.name, street.main, street.uprnCount])).toEqual(
      demo.geography.streets.features.map((street) => [street.properties.usrn, street.properties.name, street.properties.main, street.properties.uprnCount]),
    );
    expect(data?.properties.uprns).toEqual(demo.properties.uprns);
    expect(data?.properties.lons).toEqual(demo.properties.lons);
  });

  it('re-joined every device: each demo device is in a ward, on its street, next to a property', async () => {
    const devices = await new DevicesRepository(database.pool).list();
    expect(devices).toHaveLength(20);
    for (const device of devices) {
      expect(device.location.wardCode, device.id).toMatch(/^X05/);
      expect(device.location.wardName, device.id).toBeTruthy();
      expect(device.location.usrn, device.id).not.toBeNull();
      // Devices are placed on a street's line: 0 m, give or take the 1e-7° rounding.
      expect(device.location.streetDistanceM, device.id).toBeLessThan(0.2);
      expect(device.location.streetName, device.id).toBe(device.name.replace(/ (air monitor|traffic counter) \d+$/, ''));
      expect(device.location.uprn, device.id).toBeGreaterThanOrEqual(990_000_000_001);
      expect(device.location.uprnDistanceM, device.id).toBeLessThan(30);
    }
  });

  it('leaves the previous geography exactly as it was when a change fails part-way', async () => {
    const before = await loadGeographyData(database.pool);
    const devicesBefore = await new DevicesRepository(database.pool).list();
    await expect(
      applyGeographyChange(database.pool, DEFAULT_JOIN_DISTANCES, async (tx) => {
        await new WardsRepository(tx).replaceAll([]);
        await new StreetsRepository(tx).replaceAll([]);
        throw new Error('the file was bad after all');
      }),
    ).rejects.toThrow('the file was bad after all');
    expect(await loadGeographyData(database.pool)).toEqual(before);
    expect(await new DevicesRepository(database.pool).list()).toEqual(devicesBefore);
  });

  it('a running process notices a new version and reloads', async () => {
    const store = new GeographyStore(database.pool, DEFAULT_JOIN_DISTANCES);
    expect((await store.load())?.area.wards.features).toHaveLength(6);
    const changes: (number | undefined)[] = [];
    store.watch(
      20,
      (geography) => changes.push(geography?.version),
      (error) => {
        throw error;
      },
    );
    await applyGeographyChange(database.pool, DEFAULT_JOIN_DISTANCES, async (tx, current) => {
      const wards = await new WardsRepository(tx).list();
      await new WardsRepository(tx).replaceAll(wards.slice(0, 2));
      return { name: current?.name ?? '', synthetic: true, notice: current?.notice ?? null, attribution: 'changed' };
    });
    const deadline = Date.now() + 5000;
    while (changes.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    store.stop();
    expect(changes).toEqual([2]);
    expect(store.current?.area.wards.features).toHaveLength(2);
    expect(await new GeographyMetaRepository(database.pool).version()).toBe(2);
    // Devices in the wards that went are now in no ward.
    const located = await new DevicesRepository(database.pool).list();
    expect(new Set(located.map((device) => device.location.wardCode))).toEqual(new Set([null, 'X05000001', 'X05000002']));
  });
});
