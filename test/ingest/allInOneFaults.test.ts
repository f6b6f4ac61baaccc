import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DevicesRepository } from '../../db/devicesRepository.js';
import { startTestDatabase, tempDir } from '../support/database.js';
import { DeviceFleet, MAX_PAYLOAD_BYTES, tally } from '../support/deviceMessages.js';
import { DevicePublisher, publishFromAll } from '../support/devicePublisher.js';
import { INGEST_METRICS, loggedErrors, scrapeMetrics, storedCounts, waitForIngestIdle } from '../support/ingestRig.js';
import { freePort } from '../support/mosquitto.js';
import { startProduct, waitForDataDirRelease, type RunningProduct } from '../support/product.js';

/**
 * The all-in-one mode (`smartplace start`: embedded broker, ingest and database in one process)
 * killed with kill -9, or stopped cleanly, mid-stream and started again on the same MQTT port and
 * data directory: the embedded broker's restart. The embedded broker acknowledges a device's
 * message only once ingest has committed it, so whatever a device has no PUBACK for when the
 * product goes, it still has, and sends again to the new product: nothing is lost and nothing is
 * stored twice.
 */

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

describe('the all-in-one mode under faults', () => {
  it.each([
    { stop: 'kill -9', rate: 600, how: (product: RunningProduct) => product.kill() },
    // Its broker stops too: what arrives once ingest has flushed is never acknowledged, and comes
    // again. As fast as the devices can, so messages keep arriving throughout the shutdown. The exit
    // code is a soft check, so that what was stored is checked whether or not the stop was clean.
    {
      stop: 'a clean stop',
      rate: Number.POSITIVE_INFINITY,
      how: async (product: RunningProduct) => expect.soft(await product.stop(), product.output().slice(-6000)).toBe(0),
    },
  ])('loses and doubles nothing when the whole product is stopped by $stop mid-stream and started again', async ({ stop, rate, how }) => {
    const prefix = `allinone-${randomBytes(3).toString('hex')}`;
    const dataDir = await tempDir('allinone');
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const fleet = new DeviceFleet(prefix);
    const setup = await startTestDatabase({ dir: dataDir });
    await fleet.register(new DevicesRepository(setup.pool));
    await setup.stop();
    // An explicit MQTT port, so the devices reconnect to the same address after the restart.
    const env = {
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: String(await freePort()),
      DEMO: 'false',
      MQTT_TOPIC_PREFIX: prefix,
      INGEST_INSTANCE_ID: prefix,
      INGEST_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
    };
    let product: RunningProduct | undefined = await startProduct({ env, args: ['--no-simulator'] });
    cleanups.push(async () => {
      await product?.kill();
      await waitForDataDirRelease(dataDir);
    });

    const messages = fleet.mixed(3000, 160);
    const expected = tally(messages);
    // Four connections, as four gateways (or devices) would have: the broker reads each on its own.
    const url = product.mqttUrl;
    const devices = await Promise.all([1, 2, 3, 4].map((n) => DevicePublisher.connect({ url, clientId: `${prefix}-gateway-${n}`, maxInFlight: 200 })));
    cleanups.push(() => Promise.all(devices.map((device) => device.end())));
    const run = publishFromAll(devices, messages, rate);
    await run.reached(Math.floor(messages.length * 0.4));
    const before = await scrapeMetrics(`${product.mapUrl}metrics`);
    const acknowledgedBefore = run.acknowledged;
    await how(product);
    product = undefined;
    expect(before.get(INGEST_METRICS.received)).toBeGreaterThan(0);
    await waitForDataDirRelease(dataDir);

    product = await startProduct({ env, args: ['--no-simulator'] });
    await run.done;
    const metrics = await waitForIngestIdle(`${product.mapUrl}metrics`);
    const errors = loggedErrors(product.output());
    expect(await product.stop(), product.output().slice(-4000)).toBe(0);
    product = undefined;
    const resent = devices.reduce((total, device) => total + device.resent.length, 0);
    console.log(
      `all-in-one, ${stop}: ${acknowledgedBefore} messages acknowledged before it stopped; the devices resent ${resent}; ` +
        `the new product took ${metrics.get(INGEST_METRICS.received)}, ${metrics.get(INGEST_METRICS.duplicates)} of them readings already stored`,
    );

    const database = await startTestDatabase({ dir: dataDir, migrate: false });
    const counts = await storedCounts(database.pool).finally(() => database.stop());
    expect(devices.every((device) => device.connectionsLost >= 1)).toBe(true);
    // The broker held PUBACKs until commit (or, stopping, for good), so the devices had messages to send again.
    expect(resent).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(counts.readings).toBe(expected.valid); // 3,000
    expect(counts.rejects).toBe(expected.invalid); // 160
    expect(counts.byReason).toEqual(expected.byReason); // 20 of each of the 8 reasons
    // A refused message the old product had committed but not yet acknowledged comes again, marked
    // DUP by the device; the embedded broker passes the flag on, so it is not counted twice.
    expect(counts.timesReceived).toBe(expected.invalid);
  });
});
