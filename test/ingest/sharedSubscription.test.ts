import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { topicsFor } from '../../core/topics.js';
import { DevicesRepository } from '../../db/devicesRepository.js';
import { startTestDatabase, tempDir } from '../support/database.js';
import { DeviceFleet } from '../support/deviceMessages.js';
import { DevicePublisher } from '../support/devicePublisher.js';
import { INGEST_METRICS, startIngestCommand, waitForIngestIdle, type RunningIngest } from '../support/ingestRig.js';
import { clearRetained, endMqttSession } from '../support/mosquitto.js';

/**
 * Several ingest processes share one MQTT 5 shared subscription (`$share/{group}/…`,
 * INGEST_SHARED_GROUP) on the machine's Mosquitto (127.0.0.1:1883, its default settings): the broker
 * gives each message to one of them, so together they store every reading once. Each process has its
 * own embedded database (it takes one connection), so the proof is that the two databases' readings
 * add up to what was sent, with no (device, time) in both.
 */

const BROKER = 'mqtt://127.0.0.1:1883';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

describe('a shared subscription on the machine’s Mosquitto', () => {
  it('splits the stream between two ingest processes, each storing a real share, with no reading stored twice', async () => {
    const prefix = `shared-${randomBytes(3).toString('hex')}`;
    const fleet = new DeviceFleet(prefix);
    const instances = ['a', 'b'].map((name) => `${prefix}-${name}`);
    const dataDirs = await Promise.all(instances.map((instance) => tempDir(instance)));
    cleanups.push(() => Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true }))));
    await Promise.all(
      dataDirs.map(async (dir) => {
        const db = await startTestDatabase({ dir });
        await fleet.register(new DevicesRepository(db.pool));
        await db.stop();
      }),
    );
    // Leave nothing on the shared broker: the ingest sessions (7-day expiry), the device's, and the retained statuses.
    const deviceId = `${prefix}-device`;
    cleanups.push(async () => {
      for (const instance of instances) {
        await endMqttSession(BROKER, `smartplace-ingest-${instance}`);
        await clearRetained(BROKER, topicsFor(prefix).ingestStatus(instance));
      }
      await endMqttSession(BROKER, deviceId);
    });

    const ingests: RunningIngest[] = [];
    cleanups.push(() => Promise.all(ingests.map((ingest) => ingest.kill())));
    await Promise.all(
      instances.map(async (instance, i) => {
        const ingest = await startIngestCommand({
          MQTT_URL: BROKER,
          DATA_DIR: dataDirs[i] as string,
          DEMO: 'false',
          MQTT_TOPIC_PREFIX: prefix,
          INGEST_INSTANCE_ID: instance,
          INGEST_SHARED_GROUP: prefix,
        });
        ingests.push(ingest);
      }),
    );

    const messages = Array.from({ length: 2500 }, () => fleet.valid());
    // The machine's Mosquitto runs its defaults: a modest rate, and no more in flight than its 20.
    const device = await DevicePublisher.connect({ url: BROKER, clientId: deviceId, maxInFlight: 20 });
    cleanups.push(() => device.end());
    await device.publish(messages, 300).done;
    const received = [];
    for (const ingest of ingests) received.push((await waitForIngestIdle(ingest.metricsUrl)).get(INGEST_METRICS.received) ?? 0);
    for (const ingest of ingests) expect(await ingest.stop(), ingest.output().slice(-4000)).toBe(0);
    ingests.length = 0;

    const stored = await Promise.all(
      dataDirs.map(async (dir) => {
        const db = await startTestDatabase({ dir, migrate: false });
        try {
          const rows = await db.pool.query<{ device_id: string; time: Date }>('SELECT device_id, time FROM readings');
          const rejects = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rejects');
          return { readings: new Set(rows.rows.map((row) => `${row.device_id} ${row.time.toISOString()}`)), rejects: rejects.rows[0]?.n };
        } finally {
          await db.stop();
        }
      }),
    );
    expect(stored.map((db) => db.rejects)).toEqual([0, 0]);
    const [a, b] = stored.map((db) => db.readings) as [Set<string>, Set<string>];
    console.log(`shared subscription: ${a.size} + ${b.size} readings stored (messages taken: ${received.join(' + ')})`);
    expect(a.size + b.size).toBe(messages.length); // 2,500
    expect([...a].filter((key) => b.has(key))).toEqual([]);
    expect(new Set([...a, ...b]).size).toBe(messages.length);
    expect(a.size).toBeGreaterThan(messages.length * 0.1);
    expect(b.size).toBeGreaterThan(messages.length * 0.1);
  });
});
