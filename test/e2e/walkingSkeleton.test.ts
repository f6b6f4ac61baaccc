import mqtt from 'mqtt';
import { rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, LiveSnapshot, ServerToClientEvents } from '../../core/events.js';
import type { HealthReport } from '../../core/health.js';
import type { LiveReading } from '../../core/reading.js';
import { topicsFor } from '../../core/topics.js';
import { countColour, distinctColours, launchBrowser } from '../support/browser.js';
import { startTestDatabase, tempDir } from '../support/database.js';
import { eventually, getJson, startProduct, type RunningProduct } from '../support/product.js';

/**
 * The walking skeleton end to end, started the way `npm start` starts it (embedded TimescaleDB,
 * embedded broker, demo devices), with the simulator off so every reading is the test's own:
 * device → MQTT (3.1.1 and 5) → ingest → hypertable → server → socket.io → the map in Chromium.
 */

const topics = topicsFor('smartplace');
const NOW = () => new Date().toISOString();

describe('walking skeleton, all embedded', () => {
  let dataDir: string;
  let product: RunningProduct;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const live: LiveReading[] = [];
  let snapshot: LiveSnapshot | undefined;

  beforeAll(async () => {
    dataDir = await tempDir('e2e');
    product = await startProduct({ args: ['--no-simulator'], env: { DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0' } });
    socket = io(product.mapUrl, { transports: ['websocket'] });
    socket.on('snapshot:v2', (value) => (snapshot = value));
    socket.on('readings:v1', (readings) => live.push(...readings));
    await eventually(async () => snapshot, 'the socket.io snapshot');
  });

  afterAll(async () => {
    socket?.close();
    await product?.stop();
    if (!process.env.KEEP_E2E) await rm(dataDir, { recursive: true, force: true });
  });

  it('prints where everything is', () => {
    expect(product.output()).toMatch(/Smartplace is running \(demo mode: synthetic borough, simulator off\)/);
    expect(product.output()).toMatch(/MQTT:\s+mqtt:\/\/127\.0\.0\.1:\d+\s+embedded broker/);
    expect(product.output()).toMatch(/Database:\s+embedded TimescaleDB in /);
  });

  it('sends a snapshot of the demo devices on connect', () => {
    expect(snapshot?.devices).toHaveLength(20);
    expect(snapshot?.latest).toEqual([]);
    // No device has reported, so none is offline: a device that never reported raises no alert.
    expect(snapshot?.alerts).toEqual([]);
    expect(snapshot?.health).toEqual({ offlineAfterS: 1800 });
  });

  it.each([4, 5] as const)('carries a reading published over MQTT %s.x to the hypertable and to socket.io', async (protocolVersion) => {
    const deviceId = protocolVersion === 5 ? 'aq-005' : 'aq-004';
    const time = NOW();
    const client = await mqtt.connectAsync(product.mqttUrl, { protocolVersion });
    await client.publishAsync(topics.readings(deviceId), JSON.stringify({ time, values: { no2: 41.5, pm25: 9.2 } }), { qos: 1 });
    await client.endAsync();

    const expected = { deviceId, time: new Date(time).toISOString(), values: { no2: 41.5, pm25: 9.2 } };
    await eventually(async () => live.find((reading) => reading.deviceId === deviceId), `${deviceId} on socket.io`);
    expect(live.filter((reading) => reading.deviceId === deviceId)).toEqual([expected]);
    const stored = await getJson<{ readings: LiveReading[] }>(`${product.mapUrl}api/v1/devices/${deviceId}/readings`);
    expect(stored.readings).toEqual([expected]);
  });

  it('resyncs a client that reconnects with a fresh snapshot holding what it missed', async () => {
    const snapshots: LiveSnapshot[] = [];
    const other: Socket<ServerToClientEvents, ClientToServerEvents> = io(product.mapUrl, { transports: ['websocket'] });
    other.on('snapshot:v2', (value) => snapshots.push(value));
    await eventually(async () => snapshots[0], 'the first snapshot');
    other.disconnect();
    const time = NOW();
    const client = await mqtt.connectAsync(product.mqttUrl, { protocolVersion: 5 });
    await client.publishAsync(topics.readings('aq-007'), JSON.stringify({ time, values: { no2: 12.5 } }), { qos: 1 });
    await client.endAsync();
    await eventually(async () => live.find((reading) => reading.deviceId === 'aq-007'), 'aq-007 on the connected socket');
    other.connect();
    const again = await eventually(async () => snapshots[1], 'the snapshot after reconnecting');
    other.close();
    expect(again.latest.find((reading) => reading.deviceId === 'aq-007')).toEqual({ deviceId: 'aq-007', time: new Date(time).toISOString(), values: { no2: 12.5 } });
  });

  it('keeps bad messages out of the readings and reports them in health', async () => {
    const client = await mqtt.connectAsync(product.mqttUrl, { protocolVersion: 5 });
    await client.publishAsync(topics.readings('aq-006'), '{"time": "yesterday"}', { qos: 1 });
    await client.publishAsync(topics.readings('not-a-device'), JSON.stringify({ time: NOW(), values: { no2: 1 } }), { qos: 1 });
    await client.publishAsync(topics.readings('aq-006'), JSON.stringify({ time: NOW(), values: { no2: -3 } }), { qos: 1 });
    await client.endAsync();
    const health = await eventually(async () => {
      const report = await getJson<HealthReport>(`${product.mapUrl}health`);
      return report.ingest.instances[0]?.rejected === 3 ? report : undefined;
    }, 'three rejects in /health');
    expect(health.status).toBe('ok');
    expect(health.ingest.instances[0]?.rejectedByReason).toEqual({
      'ingest.invalid_payload': 1,
      'ingest.unknown_device': 1,
      'ingest.out_of_range': 1,
    });
    expect(health.database).toMatchObject({ state: 'up', embedded: true });
    expect(health.broker).toMatchObject({ state: 'up', embedded: true });
    const stored = await getJson<{ readings: LiveReading[] }>(`${product.mapUrl}api/v1/devices/aq-006/readings`);
    expect(stored.readings).toEqual([]);
  });

  describe('in the browser', () => {
    let page: Page;
    const external: string[] = [];
    let browser: Awaited<ReturnType<typeof launchBrowser>>;

    beforeAll(async () => {
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith('http://127.0.0.1') && !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith('ws://127.0.0.1')) {
          external.push(url);
        }
      });
      await page.goto(product.mapUrl);
      await page.locator('#device-table tbody tr').nth(19).waitFor();
      await page.locator('#connection[data-live="true"]').waitFor();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('renders the map with the demo geography and devices, fetching nothing from the internet', async () => {
      await page.waitForTimeout(1500); // let MapLibre and deck.gl draw
      const map = await page.locator('#map').screenshot({ path: `${dataDir}/map.png` });
      expect(distinctColours(map)).toBeGreaterThan(50); // not blank: fills, streets, labels, markers
      expect(countColour(map, '#f8f8f4')).toBeGreaterThan(10_000); // the wards' fill
      expect(await page.locator('#area-notice').textContent()).toContain('Synthetic demo borough');
      expect(external).toEqual([]);
    });

    it('recolours a device within a second of its reading being published', async () => {
      // NO2 555 µg/m³ is DAQI index 9, #990000: nothing else on the demo map is that colour.
      const before = countColour(await page.locator('#map').screenshot(), '#990000');
      const client = await mqtt.connectAsync(product.mqttUrl, { protocolVersion: 5 });
      const published = Date.now();
      await client.publishAsync(topics.readings('aq-002'), JSON.stringify({ time: NOW(), values: { no2: 555 } }), { qos: 1 });
      await client.endAsync();
      const row = page.locator('#device-table tr[data-device-id="aq-002"]');
      await row.getByText('DAQI 9 High (NO₂), indicative').waitFor({ timeout: 5000 });
      const elapsed = Date.now() - published;
      await page.waitForTimeout(300);
      const after = countColour(await page.locator('#map').screenshot({ path: `${dataDir}/map-after.png` }), '#990000');
      expect(before).toBe(0);
      expect(after).toBeGreaterThan(50);
      expect(elapsed).toBeLessThan(1000);
    });

    it('lets a keyboard user select a device from the table', async () => {
      await page.locator('#device-table button', { hasText: 'Station Road air monitor 3' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#selected-device').textContent()).toContain('Station Road air monitor 3');
      expect(await page.locator('#device-table tr[aria-selected="true"]').getAttribute('data-device-id')).toBe('aq-003');
    });
  });

  it('stops cleanly on Ctrl-C, leaving the readings and rejects in the hypertable', async () => {
    socket.close();
    expect(await product.stop()).toBe(0);
    const database = await startTestDatabase({ dir: dataDir });
    try {
      const readings = await database.pool.query('SELECT device_id, no2 FROM readings ORDER BY device_id');
      expect(readings.rows).toEqual([
        { device_id: 'aq-002', no2: 555 },
        { device_id: 'aq-004', no2: 41.5 },
        { device_id: 'aq-005', no2: 41.5 },
        { device_id: 'aq-007', no2: 12.5 },
      ]);
      const rejects = await database.pool.query('SELECT reason, device_id FROM rejects ORDER BY reason');
      expect(rejects.rows).toEqual([
        { reason: 'ingest.invalid_payload', device_id: 'aq-006' },
        { reason: 'ingest.out_of_range', device_id: 'aq-006' },
        { reason: 'ingest.unknown_device', device_id: 'not-a-device' },
      ]);
      const hypertable = await database.pool.query("SELECT count(*)::int AS n FROM timescaledb_information.hypertables WHERE hypertable_name = 'readings'");
      expect(hypertable.rows[0]).toEqual({ n: 1 });
    } finally {
      await database.stop();
    }
  });
});
