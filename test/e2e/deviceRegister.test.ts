import mqtt from 'mqtt';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveReading } from '../../core/reading.js';
import { startTestDatabase, tempDir } from '../support/database.js';
import { getJson, runToExit, startProduct } from '../support/product.js';

/**
 * A council registers its own devices from a CSV (`smartplace devices import`), lists them, retires
 * one, and then `smartplace start` takes a ChirpStack uplink from a device known by its DevEUI and
 * refuses the retired device's message.
 */

const REGISTER = [
  'id,name,kind,lon,lat,expected_interval_s,payload_format,mobile,keys',
  'lora-101,Station Road monitor,air_quality,-2.2426,53.4808,900,chirpstack-v4,false,chirpstack-v4:0004A30B001C0530',
  'old-102,Old monitor,air_quality,-2.2430,53.4810,900,,,',
].join('\n');

describe('the device register', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await tempDir('device-register');
    env = { DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a register with problems, naming each line, and registers nothing', async () => {
    const file = join(dataDir, 'bad.csv');
    await writeFile(file, `${REGISTER}\nbad/id,Broken,air_quality,-2.2,53.4,60,,,\n`);
    const { code, output } = await runToExit(['devices', 'import', file], env);
    expect(code).toBe(1);
    expect(output).toContain('nothing was registered');
    expect(output).toContain('line 4: id: a device id is 1–64 letters');
    expect((await runToExit(['devices', 'list'], env)).output).not.toContain('lora-101');
  });

  it('registers, lists and retires devices', async () => {
    const file = join(dataDir, 'devices.csv');
    await writeFile(file, REGISTER);
    const imported = await runToExit(['devices', 'import', file], env);
    expect(imported.output).toContain('Registered 2 devices');
    expect(imported.code).toBe(0);
    expect((await runToExit(['devices', 'retire', 'old-102'], env)).code).toBe(0);
    expect((await runToExit(['devices', 'retire', 'nope'], env)).output).toContain('No device has the id "nope"');
    const listed = await runToExit(['devices', 'list'], env);
    expect(listed.output).toMatch(/lora-101\s+air_quality\s+chirpstack-v4\s+fixed\s+in service\s+\S.*chirpstack-v4:0004A30B001C0530/);
    expect(listed.output).toMatch(/old-102\s+air_quality\s+smartplace\s+fixed\s+retired/);
  });

  it('takes a registered ChirpStack device by its DevEUI and refuses the retired one', async () => {
    const product = await startProduct({ env: { ...env, PORT: '0', MQTT_PORT: '0' }, args: ['--no-simulator'] });
    const time = new Date(Date.now() - 60_000).toISOString();
    try {
      const client = await mqtt.connectAsync(product.mqttUrl);
      const uplink = { time, deduplicationId: 'x', deviceInfo: { devEui: '0004a30b001c0530', deviceName: 'station-road' }, object: { no2_ppb: 20, pm2_5: 7 } };
      // QoS 1: the embedded broker acknowledges each only once ingest has stored it.
      await client.publishAsync('application/c1a0/device/0004a30b001c0530/event/up', JSON.stringify(uplink), { qos: 1 });
      await client.publishAsync('smartplace/v1/devices/old-102/readings', JSON.stringify({ time, values: { no2: 5 } }), { qos: 1 });
      await client.endAsync();
      const series = await getJson<{ readings: LiveReading[] }>(`${product.mapUrl}api/v1/devices/lora-101/readings?from=${encodeURIComponent(time)}`);
      expect(series.readings.map((reading) => reading.values)).toEqual([{ no2: 38.2, pm25: 7 }]);
    } finally {
      expect(await product.stop()).toBe(0);
    }
    const database = await startTestDatabase({ dir: dataDir, migrate: false });
    try {
      const rejects = await database.pool.query('SELECT device_id, reason, payload_format FROM rejects');
      expect(rejects.rows).toEqual([{ device_id: 'old-102', reason: 'ingest.retired_device', payload_format: 'smartplace' }]);
    } finally {
      await database.stop();
    }
  });
});
