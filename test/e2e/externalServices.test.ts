import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../core/health.js';
import type { LiveReading } from '../../core/reading.js';
import { topicsFor } from '../../core/topics.js';
import { tempDir } from '../support/database.js';
import { commandOf, descendants } from '../support/processes.js';
import { eventually, getJson, runSmartplace, startProduct, type RunningProduct } from '../support/product.js';

/**
 * DATABASE_URL and MQTT_URL set: the same `smartplace start` uses them and starts nothing embedded.
 * The database server here is TimescaleDB served over the Postgres wire protocol by
 * `smartplace db` in a separate process (this machine has no TimescaleDB server package); to the
 * product it is just a TimescaleDB at a URL. It takes one connection, hence DATABASE_POOL_SIZE=1.
 * The broker is the machine's Mosquitto.
 */

describe('all external: DATABASE_URL and MQTT_URL', () => {
  const prefix = `ext-${randomBytes(4).toString('hex')}`;
  const topics = topicsFor(prefix);
  let dataDir: string;
  let databaseServer: ChildProcess;
  let product: RunningProduct;

  beforeAll(async () => {
    dataDir = await tempDir('external-db');
    databaseServer = runSmartplace(['db'], { DATA_DIR: dataDir });
    let printed = '';
    const port = await new Promise<string>((resolve, reject) => {
      databaseServer.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const match = /psql -h 127\.0\.0\.1 -p (\d+)/.exec(printed);
        if (match) resolve(match[1] as string);
      });
      databaseServer.once('exit', (code) => reject(new Error(`smartplace db exited (${code}): ${printed}`)));
    });
    product = await startProduct({
      env: {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
        DATABASE_POOL_SIZE: '1',
        MQTT_URL: 'mqtt://127.0.0.1:1883',
        MQTT_TOPIC_PREFIX: prefix,
        INGEST_INSTANCE_ID: prefix,
        DEMO: 'true',
        PORT: '0',
      },
    });
  });

  afterAll(async () => {
    await product?.stop();
    if (databaseServer && databaseServer.exitCode === null) {
      const exited = new Promise((resolve) => databaseServer.once('exit', resolve));
      databaseServer.kill('SIGINT');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await client.publishAsync(topics.ingestStatus(prefix), '', { retain: true, qos: 1 });
    await client.endAsync();
  });

  it('says it uses both services, and starts no process or broker of its own', async () => {
    expect(product.output()).toMatch(/Database:\s+TimescaleDB server from DATABASE_URL \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable\)/);
    expect(product.output()).toMatch(/MQTT:\s+mqtt:\/\/127\.0\.0\.1:1883\s+external broker from MQTT_URL/);
    expect(descendants(product.process.pid as number).map(commandOf)).toEqual([]);
    const health = await getJson<HealthReport>(`${product.mapUrl}health`);
    expect(health).toMatchObject({ status: 'ok', database: { state: 'up', embedded: false }, broker: { state: 'up', embedded: false } });
  });

  it('migrated the database server and stores readings in its hypertable', async () => {
    const time = new Date(Date.now() - 30_000).toISOString();
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    await client.publishAsync(topics.readings('aq-010'), JSON.stringify({ time, values: { no2: 22.2, o3: 51 } }), { qos: 1 });
    await client.endAsync();
    const stored = await eventually(async () => {
      const series = await getJson<{ readings: LiveReading[] }>(`${product.mapUrl}api/v1/devices/aq-010/readings?from=${encodeURIComponent(time)}&limit=1`);
      return series.readings[0]?.time === time ? series.readings[0] : undefined;
    }, 'the reading in the hypertable');
    expect(stored.values).toEqual({ no2: 22.2, o3: 51 });
  });
});
