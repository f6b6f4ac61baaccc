import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DevicesRepository } from '../../db/devicesRepository.js';
import { loadMigrations, migrate } from '../../db/migrate.js';
import { startTestDatabase, tempDir } from '../support/database.js';
import { DeviceFleet, MAX_PAYLOAD_BYTES, NATIVE_REASONS, tally, type TestMessage } from '../support/deviceMessages.js';
import { DevicePublisher, type PlannedMessage } from '../support/devicePublisher.js';
import {
  INGEST_METRICS,
  loggedErrors,
  scrapeMetrics,
  startIngestCommand,
  startStandaloneDatabase,
  storedCounts,
  waitForIngestIdle,
  withDatabase,
  type RunningIngest,
  type StandaloneDatabase,
  type StoredCounts,
} from '../support/ingestRig.js';
import { freePort, startMosquitto, type RunningMosquitto } from '../support/mosquitto.js';
import { memoryOf } from '../support/processes.js';
import { eventually, waitForDataDirRelease } from '../support/product.js';

/**
 * `smartplace ingest` under the faults the issue names: killed with kill -9 mid-stream, the database
 * gone for 30 s (and ingest told to stop meanwhile), the broker restarted, a flood of malformed
 * messages. Each test has its own Mosquitto (the project's settings, a free port), a database
 * (`smartplace db` on its own, so ingest can be killed and the database stopped independently, or
 * ingest's own embedded one) and a device-like publisher in this process. Afterwards, with ingest
 * stopped cleanly, `readings` holds exactly the valid messages sent and `rejects` one row per
 * refused message, whose `times_received` add up to the refused messages sent. The all-in-one
 * mode's embedded broker is in allInOneFaults.test.ts, several ingest processes sharing a
 * subscription in sharedSubscription.test.ts.
 */

interface Rig {
  prefix: string;
  dataDir: string;
  fleet: DeviceFleet;
  mosquitto: RunningMosquitto;
  /** `smartplace db` on its own, or undefined when ingest runs its own embedded database in DATA_DIR. */
  database: StandaloneDatabase | undefined;
  ingest: RunningIngest | undefined;
  env: Record<string, string>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/**
 * A data directory with the fleet registered, the database (`smartplace db` on its own, or left to
 * ingest) and a private Mosquitto. Ingest is not started.
 */
async function rig(name: string, database: 'standalone' | 'ingest', env: Record<string, string> = {}): Promise<Rig> {
  const prefix = `${name}-${randomBytes(3).toString('hex')}`;
  const dataDir = await tempDir(name);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const fleet = new DeviceFleet(prefix);
  const handle: Rig = { prefix, dataDir, fleet, database: undefined, mosquitto: undefined as unknown as RunningMosquitto, ingest: undefined, env: {} };
  if (database === 'standalone') {
    handle.database = await startStandaloneDatabase(dataDir, await freePort());
    cleanups.push(async () => handle.database?.stop());
    await withDatabase(handle.database.url, async (db) => {
      await migrate(db, await loadMigrations());
      await fleet.register(new DevicesRepository(db));
    });
  } else {
    const db = await startTestDatabase({ dir: dataDir });
    await fleet.register(new DevicesRepository(db.pool));
    await db.stop();
  }
  handle.mosquitto = await startMosquitto({ config: 'project' });
  cleanups.push(() => handle.mosquitto.stop());
  handle.env = {
    MQTT_URL: handle.mosquitto.url,
    ...(handle.database
      ? // The embedded database serves one connection.
        { DATABASE_URL: handle.database.url, DATABASE_POOL_SIZE: '1' }
      : { DATA_DIR: dataDir, DEMO: 'false' }),
    MQTT_TOPIC_PREFIX: prefix,
    // Fixed per test, so a restarted ingest resumes the same broker session.
    INGEST_INSTANCE_ID: prefix,
    INGEST_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
    ...env,
  };
  cleanups.push(async () => {
    await handle.ingest?.kill();
    // Its embedded database, if any, closes itself once ingest is gone.
    if (!handle.database) await waitForDataDirRelease(dataDir);
  });
  return handle;
}

async function startIngest(rig: Rig): Promise<RunningIngest> {
  rig.ingest = await startIngestCommand(rig.env);
  return rig.ingest;
}

async function publisher(rig: Rig, maxInFlight = 500): Promise<DevicePublisher> {
  const client = await DevicePublisher.connect({ url: rig.mosquitto.url, clientId: `${rig.prefix}-device`, maxInFlight });
  cleanups.push(() => client.end());
  return client;
}

async function countStored(rig: Rig): Promise<StoredCounts> {
  if (rig.database) return withDatabase(rig.database.url, storedCounts);
  const db = await startTestDatabase({ dir: rig.dataDir, migrate: false });
  try {
    return await storedCounts(db.pool);
  } finally {
    await db.stop();
  }
}

/** Waits for ingest to go quiet, stops it cleanly (it flushes and acknowledges) and counts what the database holds. */
async function finish(rig: Rig) {
  const ingest = rig.ingest as RunningIngest;
  const metrics = await waitForIngestIdle(ingest.metricsUrl);
  const errors = loggedErrors(ingest.output());
  expect(await ingest.stop(), ingest.output().slice(-4000)).toBe(0);
  rig.ingest = undefined;
  return { metrics, errors, counts: await countStored(rig) };
}

/** kill -9 of ingest once 40 % is published, and a restart with the same instance id; then the exact counts. */
async function killMidStream(r: Rig): Promise<void> {
  const messages = r.fleet.mixed(3000, 160);
  const expected = tally(messages);
  const first = await startIngest(r);
  const device = await publisher(r);
  const run = device.publish(messages, 600);
  await run.reached(Math.floor(messages.length * 0.4));
  const before = await scrapeMetrics(first.metricsUrl);
  await first.kill();
  // Mid-stream: it had taken some of the messages, not all.
  expect(before.get(INGEST_METRICS.received)).toBeGreaterThan(0);
  expect(before.get(INGEST_METRICS.received)).toBeLessThan(messages.length);
  if (!r.database) await waitForDataDirRelease(r.dataDir);

  // The same instance id, so the same broker session: what it had not acknowledged comes again.
  await startIngest(r);
  await run.done;
  const { counts, errors, metrics } = await finish(r);
  console.log(
    `kill -9: the first ingest had taken ${before.get(INGEST_METRICS.received)} messages and stored ${before.get(INGEST_METRICS.stored)} readings; ` +
      `the second took ${metrics.get(INGEST_METRICS.received)}, ${metrics.get(INGEST_METRICS.duplicates)} of them readings already stored`,
  );

  expect(errors).toEqual([]);
  expect(counts.readings).toBe(expected.valid); // 3,000
  expect(counts.rejects).toBe(expected.invalid); // 160, one row per distinct refused message
  expect(counts.byReason).toEqual(expected.byReason); // 20 of each of the 8 reasons
  // The publisher never lost its connection, so each refused message reached the broker once; a
  // redelivery to the restarted ingest carries DUP from Mosquitto and is not counted again.
  expect(device.connectionsLost).toBe(0);
  expect(counts.timesReceived).toBe(expected.invalid);
}

const keyOf = (message: PlannedMessage) => `${message.topic}\u0000${message.payload.toString('base64')}`;

describe('ingest under faults, against its own Mosquitto and database', () => {
  it('loses and doubles nothing when killed with kill -9 mid-stream and started again (its own embedded database)', async () => {
    await killMidStream(await rig('kill9', 'ingest'));
  });

  it('loses and doubles nothing when killed with kill -9 mid-stream and started again (`smartplace db` on its own)', async () => {
    // The database outlives ingest here: the restarted ingest must be able to connect to it again.
    // It cannot when the killed one left with a reset; see the next test.
    await killMidStream(await rig('kill9db', 'standalone'));
  });

  it('`smartplace db` takes a new connection after its one client vanished with a TCP reset, as a killed ingest does', async () => {
    // Why the test above fails about half the time: a process killed while a reply from the database
    // sits unread in its socket leaves with a reset (RST), not a FIN. Here the reset is sent on purpose.
    const dataDir = await tempDir('dbreset');
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const database = await startStandaloneDatabase(dataDir, await freePort());
    cleanups.push(() => database.stop());
    const client = new pg.Client({ connectionString: database.url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('SELECT 1');
    (client.connection.stream as Socket).resetAndDestroy();

    // Tried for 10 s: refused throughout means the one session is never given back.
    await expect(withDatabase(database.url, async () => 'connected', 10_000)).resolves.toBe('connected');
  });

  it('holds the stream while the database is stopped for 30 s, with bounded memory, and stores it all once the database is back', async () => {
    // A low INGEST_MAX_PENDING so the outage fills it: ingest must stop reading and leave the backlog in the broker.
    const r = await rig('dbdown', 'standalone', { INGEST_MAX_PENDING: '1000' });
    const messages = r.fleet.mixed(12_000, 400);
    const expected = tally(messages);
    const ingest = await startIngest(r);
    const device = await publisher(r);
    const run = device.publish(messages, 300);
    await run.reached(1500);
    const rssBefore = memoryOf(ingest.pid).rss;

    const database = r.database as StandaloneDatabase;
    await database.stop();
    const outageStarted = Date.now();
    let sawPaused = false;
    let peakPending = 0;
    while (Date.now() - outageStarted < 30_000) {
      const metrics = await scrapeMetrics(ingest.metricsUrl);
      sawPaused ||= metrics.get(INGEST_METRICS.paused) === 1;
      peakPending = Math.max(peakPending, metrics.get(INGEST_METRICS.pending) ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const publishedDuringOutage = run.published - 1500;
    r.database = await startStandaloneDatabase(database.dataDir, database.port);

    await run.done;
    const peakRss = memoryOf(ingest.pid).hwm;
    const ingestOutput = ingest.output();
    const { counts, errors } = await finish(r);
    console.log(
      `database outage: ${publishedDuringOutage} messages published during the 30 s; ingest paused: ${sawPaused}; ` +
        `peak pending ${peakPending}; RSS ${rssBefore.toFixed(0)} MiB before, peak ${peakRss.toFixed(0)} MiB`,
    );

    expect(publishedDuringOutage).toBeGreaterThan(5000);
    expect(ingestOutput).toContain('ingest: batch write failed; retrying');
    expect(sawPaused).toBe(true);
    // Pausing stops intake at INGEST_MAX_PENDING plus what one message adds; the broker held the rest.
    expect(peakPending).toBeLessThan(1100);
    // Loose on purpose: an unbounded backlog of 9,000+ messages would not show in RSS at this size, but a leak per retry would.
    expect(peakRss).toBeLessThan(rssBefore + 300);
    expect(errors).toEqual([]);
    expect(counts.readings).toBe(expected.valid); // 12,000
    expect(counts.rejects).toBe(expected.invalid); // 400
    expect(counts.byReason).toEqual(expected.byReason); // 50 of each reason
    expect(counts.timesReceived).toBe(expected.invalid);
  }, 180_000);

  it('stops cleanly when told to while paused by a database outage, and a restart takes the rest', async () => {
    const r = await rig('stopdown', 'standalone', { INGEST_MAX_PENDING: '200' });
    const messages = r.fleet.mixed(3000, 160);
    const expected = tally(messages);
    const first = await startIngest(r);
    const device = await publisher(r);
    const run = device.publish(messages, 1000);
    await run.reached(500);
    const database = r.database as StandaloneDatabase;
    await database.stop();
    await eventually(async () => ((await scrapeMetrics(first.metricsUrl)).get(INGEST_METRICS.paused) === 1 ? true : undefined), 'ingest to pause');
    // Ctrl-C now: ingest must wait to write what it holds, and take nothing more meanwhile.
    const stopping = first.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    r.database = await startStandaloneDatabase(database.dataDir, database.port);
    // Soft, so that what was stored is checked either way.
    expect.soft(await stopping, first.output().slice(-6000)).toBe(0);
    r.ingest = undefined;

    await startIngest(r);
    await run.done;
    const { counts } = await finish(r);
    expect(counts.readings).toBe(expected.valid); // 3,000
    expect(counts.rejects).toBe(expected.invalid); // 160
    expect(counts.byReason).toEqual(expected.byReason);
    expect(counts.timesReceived).toBe(expected.invalid);
  });

  it('loses and doubles no reading when the broker is restarted mid-stream', async () => {
    const r = await rig('brokerrestart', 'standalone');
    const messages = r.fleet.mixed(3000, 160);
    const expected = tally(messages);
    const invalid = new Set(messages.filter((m) => m.reason !== undefined).map(keyOf));
    await startIngest(r);
    const device = await publisher(r);
    const run = device.publish(messages, 600);
    await run.reached(Math.floor(messages.length * 0.4));
    // SIGTERM: Mosquitto saves its sessions and queues, then starts again on the same port and directory.
    await r.mosquitto.restart();
    await run.done;
    const { counts, errors } = await finish(r);

    expect(device.connectionsLost).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
    expect(counts.readings).toBe(expected.valid); // 3,000
    expect(counts.rejects).toBe(expected.invalid); // 160
    expect(counts.byReason).toEqual(expected.byReason);
    // The publisher resends what Mosquitto had not acknowledged when it went (marked DUP). If
    // Mosquitto had taken one of those before stopping, it now has it twice and passes the second
    // copy on as a fresh message (it does not forward a publisher's DUP flag): that copy counts again.
    // So the honest bound is: each refused message once, plus at most the refused ones resent.
    const resentInvalid = device.resent.filter((m) => invalid.has(keyOf(m))).length;
    console.log(`broker restart: the publisher resent ${device.resent.length} messages (${resentInvalid} refused ones)`);
    expect(counts.timesReceived).toBeGreaterThanOrEqual(expected.invalid);
    expect(counts.timesReceived).toBeLessThanOrEqual(expected.invalid + resentInvalid);
  });

  it('refuses a flood of malformed messages, each for its reason, and stays healthy', async () => {
    const r = await rig('flood', 'standalone');
    const messages: TestMessage[] = r.fleet.mixed(1000, 5000);
    const expected = tally(messages);
    const ingest = await startIngest(r);
    const device = await publisher(r, 1000);
    const started = performance.now();
    const run = device.publish(messages, Number.POSITIVE_INFINITY);
    await run.done;
    const metrics = await waitForIngestIdle(ingest.metricsUrl);
    const seconds = (performance.now() - started) / 1000;
    console.log(`flood: ${messages.length} messages published and taken in ${seconds.toFixed(1)} s`);

    // Healthy: still connected, reading, nothing waiting, and it counted every message exactly once.
    expect(metrics.get(INGEST_METRICS.connected)).toBe(1);
    expect(metrics.get(INGEST_METRICS.paused)).toBe(0);
    expect(metrics.get(INGEST_METRICS.received)).toBe(6000);
    expect(metrics.get(INGEST_METRICS.rejected)).toBe(5000);
    expect(metrics.get(INGEST_METRICS.stored)).toBe(1000);
    const { counts, errors } = await finish(r);

    expect(errors).toEqual([]);
    expect(Object.keys(counts.byReason).sort()).toEqual([...NATIVE_REASONS].sort());
    expect(counts.byReason).toEqual(expected.byReason); // 625 for each of the 8 reasons
    expect(counts.readings).toBe(1000);
    expect(counts.rejects).toBe(5000);
    expect(counts.timesReceived).toBe(5000);
  });
});
