import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../core/health.js';
import type { LiveReading } from '../../core/reading.js';
import { topicsFor } from '../../core/topics.js';
import { tempDir } from '../support/database.js';
import { eventually, getJson, runToExit, startCommand } from '../support/product.js';

/**
 * `smartplace ingest`, `simulate` and `serve` each run on their own, talking through the machine's
 * Mosquitto. The embedded database takes one process at a time, so ingest and the simulator run
 * first, and the server then reads what they stored.
 */

const BROKER = 'mqtt://127.0.0.1:1883';

describe('the parts as separate processes', () => {
  const prefix = `sep-${randomBytes(4).toString('hex')}`;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await tempDir('separate');
    env = { DATA_DIR: dataDir, MQTT_URL: BROKER, MQTT_TOPIC_PREFIX: prefix, INGEST_INSTANCE_ID: prefix, DEMO: 'true', SIMULATOR_INTERVAL_MS: '300' };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    const client = await mqtt.connectAsync(BROKER);
    await client.publishAsync(topicsFor(prefix).ingestStatus(prefix), '', { retain: true, qos: 1 });
    await client.endAsync();
  });

  it('ingest stores what the simulator publishes, and the server then serves it', async () => {
    const ingest = await startCommand(['ingest'], env, /Smartplace ingest is running \(instance sep-/);
    const simulate = await startCommand(['simulate'], env, /Smartplace simulator is publishing to mqtt:\/\/127\.0\.0\.1:1883/);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await simulate.stop()).toBe(0);
    expect(await ingest.stop()).toBe(0);

    const serve = await startCommand(['serve'], { ...env, PORT: '0' }, /Smartplace web server: http:\/\/\S+/);
    try {
      const url = /Smartplace web server: (http:\/\/\S+)/.exec(serve.output())?.[1] as string;
      const latest = await getJson<LiveReading[]>(`${url}api/v1/latest`);
      expect(new Set(latest.map((reading) => reading.deviceId)).size).toBe(20);
      // Ingest said goodbye on its retained status topic: the server sees it stopped, and is degraded without it.
      const health = await eventually(async () => {
        const response = await fetch(`${url}health`);
        const report = (await response.json()) as HealthReport;
        return report.ingest.instances.length > 0 ? { status: response.status, report } : undefined;
      }, 'the ingest status');
      expect(health.status).toBe(503);
      expect(health.report.ingest).toMatchObject({ state: 'down', instances: [{ instanceId: prefix, state: 'stopped' }] });
      expect(health.report.ingest.instances[0]?.stored).toBeGreaterThanOrEqual(40);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  it.each(['ingest', 'serve', 'simulate'])('refuses to run %s on its own without an external broker', async (command) => {
    const { code, output } = await runToExit([command], { DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toContain(`\`smartplace ${command}\` runs on its own only with an external broker: set MQTT_URL`);
  });
});
