import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/events.js';
import type { HealthReport } from '../../core/health.js';
import type { LiveReading } from '../../core/reading.js';
import { topicsFor } from '../../core/topics.js';
import { tempDir } from '../support/database.js';
import { eventually, getJson, startProduct, type RunningProduct } from '../support/product.js';

/**
 * The same path through the machine's real Mosquitto on 127.0.0.1:1883 (MQTT_URL set, so nothing
 * embedded starts for the broker), with the simulator on. A topic prefix of its own keeps this run
 * apart from anything else using that broker.
 */

const BROKER = 'mqtt://127.0.0.1:1883';

describe('walking skeleton with an external broker (Mosquitto)', () => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const topics = topicsFor(prefix);
  let dataDir: string;
  let product: RunningProduct;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const live: LiveReading[] = [];

  beforeAll(async () => {
    dataDir = await tempDir('external');
    product = await startProduct({
      env: { DATA_DIR: dataDir, PORT: '0', MQTT_URL: BROKER, MQTT_TOPIC_PREFIX: prefix, INGEST_INSTANCE_ID: prefix, SIMULATOR_INTERVAL_MS: '1000' },
    });
    socket = io(product.mapUrl, { transports: ['websocket'] });
    socket.on('readings:v1', (readings) => live.push(...readings));
  });

  afterAll(async () => {
    socket?.close();
    await product?.stop();
    await rm(dataDir, { recursive: true, force: true });
    // Clear the retained ingest status this run left on the shared broker.
    const client = await mqtt.connectAsync(BROKER);
    await client.publishAsync(topics.ingestStatus(prefix), '', { retain: true, qos: 1 });
    await client.endAsync();
  });

  it('uses the broker from MQTT_URL and starts none of its own', async () => {
    expect(product.mqttUrl).toBe(`${BROKER}`);
    expect(product.output()).toContain('external broker from MQTT_URL');
    const health = await eventually(async () => {
      const report = await getJson<HealthReport>(`${product.mapUrl}health`);
      return report.status === 'ok' ? report : undefined;
    }, 'a healthy report');
    expect(health.broker).toEqual({ state: 'up', embedded: false });
    expect(health.ingest.instances.map((instance) => instance.instanceId)).toEqual([prefix]);
  });

  it('streams the simulator’s readings through Mosquitto to socket.io', async () => {
    await eventually(async () => (new Set(live.map((reading) => reading.deviceId)).size >= 12 ? true : undefined), 'readings from most demo devices', 15_000);
    for (const reading of live) expect(reading.deviceId).toMatch(/^(aq|tr)-\d{3}$/);
  });

  it('stores a reading from a plain MQTT 3.1.1 client in the hypertable', async () => {
    const time = new Date(Date.now() - 60_000).toISOString();
    const client = await mqtt.connectAsync(BROKER, { protocolVersion: 4 });
    await client.publishAsync(topics.readings('tr-003'), JSON.stringify({ time, values: { cars_and_taxis: 17, speed_kmh: 33.3 }, period_s: 60 }), { qos: 1 });
    await client.endAsync();
    const stored = await eventually(async () => {
      const series = await getJson<{ readings: LiveReading[] }>(`${product.mapUrl}api/v1/devices/tr-003/readings?from=${encodeURIComponent(time)}&limit=1`);
      return series.readings[0]?.time === new Date(time).toISOString() ? series.readings[0] : undefined;
    }, 'the reading in the hypertable');
    expect(stored.values).toEqual({ cars_and_taxis: 17, speed_kmh: 33.3 });
    expect(stored.periodS).toBe(60);
  });
});
