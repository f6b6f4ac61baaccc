import mqtt from 'mqtt';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaGeography } from '../../core/area.js';
import type { DeviceLocation, LocatedDevice } from '../../core/device.js';
import { topicsFor } from '../../core/topics.js';
import { DevicesRepository } from '../../db/devicesRepository.js';
import { startTestDatabase, tempDir } from '../support/database.js';
import { getJson, runToExit, startProduct, type RunningProduct } from '../support/product.js';
import { fixture, sharedDataFile, TRAFFORD_WARDS } from '../support/sharedData.js';

/**
 * A council's own area end to end: `smartplace import` the real Trafford wards and streets in the
 * OS formats, then `smartplace start` shows Trafford instead of the demo, puts the demo devices on
 * its streets, and joins a mobile sensor's reading to the ward and street where it was taken (a
 * fixed device's reading stays at its device's place, whatever position it carries).
 */

describe('an imported area', () => {
  let dataDir: string;
  let product: RunningProduct | undefined;
  const topics = topicsFor('smartplace');

  beforeAll(async () => {
    dataDir = await tempDir('imported-area');
    const env = { DATA_DIR: dataDir };
    const steps = [
      ['import', 'wards', sharedDataFile(TRAFFORD_WARDS), '--code-property', 'area_code', '--name-property', 'area_name', '--name', 'Trafford'],
      ['import', 'usrn', fixture('osopenusrn.gpkg')],
      ['import', 'street-names', fixture('street-names.csv')],
      ['import', 'uprn', fixture('osopenuprn.csv')],
    ];
    for (const step of steps) {
      const { code, output } = await runToExit(step, env);
      if (code !== 0) throw new Error(`smartplace ${step.join(' ')} failed:\n${output}`);
    }
    // A mobile sensor (say, on a refuse lorry), registered before the product starts.
    const database = await startTestDatabase({ dir: dataDir, migrate: false });
    try {
      const nowhere = { wardCode: null, usrn: null, streetDistanceM: null, uprn: null, uprnDistanceM: null };
      await new DevicesRepository(database.pool).upsertMany([
        { id: 'mob-001', name: 'Refuse lorry air monitor', kind: 'air_quality', lon: -2.3, lat: 53.45, expectedIntervalS: 60, place: nowhere, mobile: true },
      ]);
    } finally {
      await database.stop();
    }
    product = await startProduct({ env: { ...env, PORT: '0', MQTT_PORT: '0' }, args: ['--no-simulator'] });
  });

  afterAll(async () => {
    await product?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the imported area, with its licence statements, instead of the synthetic demo', async () => {
    const running = product as RunningProduct;
    expect(running.output()).toContain('geography: Trafford');
    const area = await getJson<AreaGeography>(`${running.mapUrl}api/v1/area`);
    expect(area).toMatchObject({ name: 'Trafford', synthetic: false, notice: null });
    expect(area.attribution).toContain('Contains National Statistics data © Crown copyright and database right');
    expect(area.attribution).toContain('Contains OS data © Crown copyright and database right');
    expect(area.wards.features).toHaveLength(21);
    expect(area.streets.features.find((street) => street.properties.usrn === 12900001)?.properties).toMatchObject({ name: 'STAMFORD NEW ROAD', uprnCount: 1 });
  });

  it("puts the demo devices on the area's streets, each joined to a Trafford ward and street", async () => {
    const all = await getJson<LocatedDevice[]>(`${(product as RunningProduct).mapUrl}api/v1/devices`);
    const devices = all.filter((device) => device.id !== 'mob-001');
    expect(devices).toHaveLength(20);
    const usrns = new Set((await getJson<AreaGeography>(`${(product as RunningProduct).mapUrl}api/v1/area`)).streets.features.map((s) => s.properties.usrn));
    for (const device of devices) {
      expect(device.location.wardCode, device.id).toMatch(/^E05\d{6}$/);
      expect(usrns.has(device.location.usrn as number), device.id).toBe(true);
      expect(device.location.streetDistanceM, device.id).toBeLessThan(1);
    }
  });

  it('joins a mobile reading to where it was taken and a fixed one to its device', async () => {
    const running = product as RunningProduct;
    // Sale town centre: a Trafford ward other than aq-001's.
    const at = { lon: -2.3215, lat: 53.4245 };
    const expected = await getJson<DeviceLocation>(`${running.mapUrl}api/v1/locate?lon=${at.lon}&lat=${at.lat}`);
    const device = (await getJson<LocatedDevice[]>(`${running.mapUrl}api/v1/devices`)).find((d) => d.id === 'aq-001') as LocatedDevice;
    expect(expected.wardCode).toMatch(/^E05/);
    expect(expected.wardCode).not.toBe(device.location.wardCode);

    const fixed = new Date(Date.now() - 120_000).toISOString();
    const mobile = new Date(Date.now() - 60_000).toISOString();
    const client = await mqtt.connectAsync(running.mqttUrl);
    await client.publishAsync(topics.readings('aq-001'), JSON.stringify({ time: fixed, values: { no2: 20 }, position: at }), { qos: 1 });
    await client.publishAsync(topics.readings('mob-001'), JSON.stringify({ time: mobile, values: { no2: 30 }, position: at }), { qos: 1 });
    await client.endAsync();
    // QoS 1 is acknowledged only once stored: both are in the database now.
    await running.stop();
    product = undefined;

    const database = await startTestDatabase({ dir: dataDir, migrate: false });
    try {
      const rows = await database.pool.query<{ device_id: string; time: Date; ward_code: string | null; usrn: string | null; lon: number | null; lat: number | null }>(
        "SELECT device_id, time, ward_code, usrn, lon, lat FROM readings WHERE device_id IN ('aq-001', 'mob-001') ORDER BY time",
      );
      expect(rows.rows.map((row) => [row.device_id, row.time.toISOString(), row.ward_code, row.usrn === null ? null : Number(row.usrn), row.lon, row.lat])).toEqual([
        ['aq-001', fixed, device.location.wardCode, device.location.usrn, null, null],
        ['mob-001', mobile, expected.wardCode, expected.usrn, at.lon, at.lat],
      ]);
    } finally {
      await database.stop();
    }
  });
});
