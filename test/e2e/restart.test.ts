import mqtt from 'mqtt';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveReading } from '../../core/reading.js';
import { topicsFor } from '../../core/topics.js';
import { tempDir } from '../support/database.js';
import { eventually, getJson, startProduct, waitForDataDirRelease } from '../support/product.js';

/**
 * Stop and start the product over the same data directory, cleanly and after kill -9: what was
 * stored before is still there, and the product starts and stores again.
 */

const topics = topicsFor('smartplace');

async function publish(mqttUrl: string, deviceId: string, time: string, no2: number): Promise<void> {
  const client = await mqtt.connectAsync(mqttUrl, { protocolVersion: 5 });
  await client.publishAsync(topics.readings(deviceId), JSON.stringify({ time, values: { no2 } }), { qos: 1 });
  await client.endAsync();
}

async function series(mapUrl: string, deviceId: string): Promise<LiveReading[]> {
  const from = encodeURIComponent(new Date(Date.now() - 3600_000).toISOString());
  return (await getJson<{ readings: LiveReading[] }>(`${mapUrl}api/v1/devices/${deviceId}/readings?from=${from}`)).readings;
}

describe('restarts over the same data directory', () => {
  // Each test has a directory of its own, so one test's readings cannot satisfy another's checks.
  let dataDir: string;
  const env = () => ({ DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0' });

  beforeEach(async () => {
    dataDir = await tempDir('restart');
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps readings through a clean stop and start, with the simulator running', async () => {
    const first = await startProduct({ env: { ...env(), SIMULATOR_INTERVAL_MS: '500' } });
    const time = new Date(Date.now() - 120_000).toISOString();
    await publish(first.mqttUrl, 'aq-007', time, 12.5);
    await eventually(async () => ((await series(first.mapUrl, 'aq-007')).some((r) => r.time === time) ? true : undefined), 'the first reading stored');
    const simulated = await eventually(async () => {
      const readings = await series(first.mapUrl, 'aq-001');
      return readings.length >= 3 ? readings : undefined;
    }, 'simulated readings stored');
    expect(await first.stop()).toBe(0);

    const second = await startProduct({ env: env(), args: ['--no-simulator'] });
    try {
      const after = await series(second.mapUrl, 'aq-001');
      expect(after.slice(0, simulated.length)).toEqual(simulated);
      expect((await series(second.mapUrl, 'aq-007')).find((r) => r.time === time)?.values).toEqual({ no2: 12.5 });
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('keeps committed readings after kill -9, and starts again', async () => {
    const first = await startProduct({ env: env(), args: ['--no-simulator'] });
    const time = new Date(Date.now() - 60_000).toISOString();
    await publish(first.mqttUrl, 'aq-008', time, 77.7);
    await eventually(async () => ((await series(first.mapUrl, 'aq-008')).length === 1 ? true : undefined), 'the reading stored');
    await first.kill();
    await waitForDataDirRelease(dataDir);

    const second = await startProduct({ env: env(), args: ['--no-simulator'] });
    try {
      expect(await series(second.mapUrl, 'aq-008')).toEqual([{ deviceId: 'aq-008', time: new Date(time).toISOString(), values: { no2: 77.7 } }]);
      const later = new Date().toISOString();
      await publish(second.mqttUrl, 'aq-008', later, 10);
      await eventually(async () => ((await series(second.mapUrl, 'aq-008')).length === 2 ? true : undefined), 'a new reading stored after the restart');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('refuses to start a second product on a data directory in use, saying so', async () => {
    const first = await startProduct({ env: env(), args: ['--no-simulator'] });
    try {
      await expect(startProduct({ env: env(), args: ['--no-simulator'] })).rejects.toThrow(/exited with code 1[\s\S]*data directory .* is in use by process \d+/);
    } finally {
      expect(await first.stop()).toBe(0);
    }
  });
});
