import mqtt from 'mqtt';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MOSQUITTO_BINARY, startMosquitto, type RunningMosquitto } from '../test/support/mosquitto.js';
import { descendants } from '../test/support/processes.js';
import { connectDb, deviceIds, LatencyLog, registerDevices, STORED_TOPIC, TOPIC_PREFIX, type LatencySummary } from './ingestLoad.js';
import {
  cleanup,
  forkBaseline,
  forkPublishers,
  loggedProblems,
  onCleanup,
  sampleRss,
  signal,
  startEmbeddedDb,
  startSmartplace,
  suspended,
  type EmbeddedDb,
  type SmartplaceProcess,
} from './ingestProcesses.js';
import { connectRawSubscriber } from './rawMqtt.js';

/**
 * Ingest throughput, latency and behaviour under a database stall (`npm run bench -- ingest`;
 * docs/ingest-performance.md explains each phase and records figures). Publishers are child
 * processes publishing QoS 1 native payloads for DEVICES registered devices; every phase starts
 * from an empty `readings` table and ends by counting its rows against the messages sent, each of
 * which has its own (device, time).
 *   a  baseline: a bare subscriber (bench/ingestBaseline.ts) through the tuned Mosquitto
 *   b  `smartplace ingest` through the tuned Mosquitto, same load
 *   c  `smartplace start --no-simulator` (embedded broker and database), same load
 *   d  latency through b's setup at LATENCY_RATE
 *   e  b's setup at LATENCY_RATE with the database SIGSTOPped for STALL_S seconds
 *   f  Mosquitto's defaults against deploy/mosquitto/mosquitto.conf
 * Commit times of the product are taken from the `{prefix}/internal/v1/stored` messages ingest
 * publishes after each commit, not from its internals.
 */

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = env('BENCH_INGEST_SECONDS', 60);
const RATE = env('BENCH_INGEST_RATE', 25_000);
const DEVICES = env('BENCH_INGEST_DEVICES', 2000);
const PUBLISHERS = env('BENCH_INGEST_PUBLISHERS', 4);
const LATENCY_RATE = env('BENCH_INGEST_LATENCY_RATE', 5000);
const LATENCY_SECONDS = env('BENCH_INGEST_LATENCY_SECONDS', 30);
const STALL_S = env('BENCH_INGEST_STALL_SECONDS', 20);
/** Phase e publishes this long before the stall, and this long after it (long enough to see it catch up). */
const STALL_BEFORE_S = env('BENCH_INGEST_STALL_BEFORE_SECONDS', 10);
const STALL_AFTER_S = env('BENCH_INGEST_STALL_AFTER_SECONDS', 30);
const BROKER_SECONDS = env('BENCH_INGEST_BROKER_SECONDS', 20);
/** Phase f's queue tests publish at LATENCY_RATE for this long while the subscriber is away. */
const QUEUE_SECONDS = env('BENCH_INGEST_QUEUE_SECONDS', 10);
/** After publishing ends, give up waiting for commits once none has come for this long. */
const DRAIN_IDLE_S = env('BENCH_INGEST_DRAIN_IDLE_SECONDS', 20);
const DRAIN_MAX_S = env('BENCH_INGEST_DRAIN_MAX_SECONDS', 600);
const BATCH_SIZE = env('INGEST_BATCH_SIZE', 500);
const BATCH_MAX_DELAY_MS = env('INGEST_BATCH_MAX_DELAY_MS', 50);
const BASELINE_ACK = process.env.BENCH_INGEST_BASELINE_ACK === 'receipt' ? 'receipt' : 'commit';
/** A stall is over once a reading is stored within this long of being published. */
const CAUGHT_UP_MS = 1000;
const ALL_PHASES = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
type Phase = (typeof ALL_PHASES)[number];

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = import.meta.resolve('tsx');
const IDS = deviceIds(DEVICES);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Result {
  phase: Phase;
  label: string;
  offered: number;
  sent: number;
  rows: number;
  /** Stored rows per second, from the first publish to the last commit. */
  rate: number;
  latency?: LatencySummary;
  rssPeakMiB?: number;
  notes: string[];
}

const results: Result[] = [];
const brokerFindings: string[] = [];

function log(message: string): void {
  console.log(`  ${message}`);
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const lossText = (sent: number, rows: number) =>
  rows === sent ? 'zero loss' : `${fmt(sent - rows)} LOST (${fmt((100 * (sent - rows)) / sent, 2)} %)${rows > sent ? ' (more rows than messages!)' : ''}`;

/** Runs `smartplace <command>` to completion. */
function runSmartplace(command: string[], extraEnv: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', TSX, 'cli/smartplace.ts', ...command], {
    cwd: ROOT,
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`smartplace ${command.join(' ')} failed (${code}):\n${output}`)))),
  );
}

/** A fresh embedded database in `dir`, migrated by `smartplace migrate`, with the devices registered. */
async function createDatabase(dir: string): Promise<EmbeddedDb> {
  const db = await startEmbeddedDb(dir);
  await runSmartplace(['migrate'], { DATABASE_URL: db.url, DATABASE_POOL_SIZE: '1', DEMO: 'false' });
  const client = await connectDb(db.url);
  try {
    await registerDevices(client, IDS);
  } finally {
    await client.end();
  }
  return db;
}

/** Empties `readings` and `rejects` (the database is single-session: nothing else may be connected). */
async function emptyTables(url: string): Promise<void> {
  const client = await connectDb(url);
  try {
    await client.query('TRUNCATE readings');
    await client.query('TRUNCATE rejects');
  } finally {
    await client.end();
  }
  // pglite-socket takes a moment to free its one session after a client goes.
  await sleep(300);
}

async function countRows(url: string): Promise<{ rows: number; rejects: number }> {
  const client = await connectDb(url);
  try {
    const rows = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM readings')).rows[0]?.n);
    const rejects = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM rejects')).rows[0]?.n);
    return { rows, rejects };
  } finally {
    await client.end();
  }
}

/** Waits until `committed()` reaches `target`, or nothing more has been committed for DRAIN_IDLE_S. */
async function drain(committed: () => number, target: number): Promise<void> {
  const started = performance.now();
  let last = committed();
  let lastChange = performance.now();
  let lastReport = performance.now();
  while (committed() < target) {
    await sleep(100);
    const now = committed();
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > DRAIN_IDLE_S * 1000) {
      log(`nothing committed for ${DRAIN_IDLE_S} s: stopped waiting at ${fmt(now)} of ${fmt(target)}`);
      return;
    }
    if (performance.now() - started > DRAIN_MAX_S * 1000) {
      log(`still draining after ${DRAIN_MAX_S} s: stopped waiting at ${fmt(now)} of ${fmt(target)}`);
      return;
    }
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`draining: ${fmt(now)} of ${fmt(target)} committed`);
    }
  }
}

/** Prints committed counts every 10 s while publishing. */
function ticker(committed: () => number): () => void {
  const started = performance.now();
  let previous = committed();
  const timer = setInterval(() => {
    const now = committed();
    log(`t=${fmt((performance.now() - started) / 1000)} s: ${fmt(now)} committed (${fmt((now - previous) / 10)}/s over the last 10 s)`);
    previous = now;
  }, 10_000);
  return () => clearInterval(timer);
}

/**
 * Listens to ingest's `stored` messages (one per commit) on the broker: how many readings have been
 * committed, when, and each one's publish→commit latency (arrival here − its `time`).
 */
async function watchStored(url: string) {
  const client = await mqtt.connectAsync(url, { clientId: `smartplace-bench-stored-${process.pid}`, clean: true, protocolVersion: 5 });
  const latencies = new LatencyLog();
  const batches: { at: number; maxLatency: number }[] = [];
  let count = 0;
  let lastAt = 0;
  client.on('message', (_topic, message) => {
    const at = Date.now();
    const readings = JSON.parse(message.toString()) as { deviceId: string; time: string }[];
    let maxLatency = 0;
    for (const reading of readings) {
      if (!reading.deviceId.startsWith('bench-')) continue;
      const latency = at - Date.parse(reading.time);
      latencies.push(latency);
      maxLatency = Math.max(maxLatency, latency);
      count++;
    }
    batches.push({ at, maxLatency });
    lastAt = at;
  });
  await client.subscribeAsync(STORED_TOPIC, { qos: 0 });
  const forget = onCleanup('stored-topic listener', () => client.endAsync());
  return {
    count: () => count,
    lastAt: () => lastAt,
    latencies,
    batches,
    async close() {
      await client.endAsync();
      forget();
    },
  };
}

/** Notes on a Smartplace process that died or logged problems during a phase. */
function healthNotes(name: string, running: SmartplaceProcess): string[] {
  const notes: string[] = [];
  if (!running.running()) {
    notes.push(`${name} exited during the phase`);
    log(`${name} exited during the phase; its last output:\n${running.output().slice(-3000)}`);
  }
  const problems = loggedProblems(running.output());
  if (problems.count > 0) notes.push(`${name} logged ${problems.count} warnings/errors, e.g. ${problems.first.map((p) => `"${p}"`).join(', ')}`);
  return notes;
}

function offeredRate(sent: { sent: number; firstAt: number; lastAt: number }): number {
  return sent.sent / Math.max(0.001, (sent.lastAt - sent.firstAt) / 1000);
}

async function project(dir: string, name: string): Promise<RunningMosquitto> {
  const broker = await startMosquitto({ config: 'project', dataDir: `${dir}/${name}` });
  onCleanup(`mosquitto ${name}`, () => broker.stop());
  return broker;
}

// --- a: baseline -----------------------------------------------------------------------------------

async function phaseBaseline(dir: string, db: EmbeddedDb, options: { config: 'project' | 'defaults'; rate: number; seconds: number; label: string }): Promise<Result> {
  await emptyTables(db.url);
  const broker = await startMosquitto({ config: options.config, dataDir: `${dir}/mosquitto-${options.config}-${Date.now()}` });
  const forgetBroker = onCleanup('mosquitto', () => broker.stop());
  try {
    const baseline = await forkBaseline({ mqttUrl: broker.url, databaseUrl: db.url, ack: BASELINE_ACK, batchSize: BATCH_SIZE, maxDelayMs: BATCH_MAX_DELAY_MS });
    log(`Mosquitto ${options.config} (max_inflight_messages, as announced in CONNACK: ${baseline.receiveMaximum ?? '?'}); the subscriber acknowledges on ${BASELINE_ACK}`);
    const publishers = await forkPublishers({ url: broker.url, devices: DEVICES, rate: options.rate, seconds: options.seconds, count: PUBLISHERS });
    const stopTicker = ticker(() => baseline.progress().committed);
    const sent = await publishers.run();
    stopTicker();
    log(`published ${fmt(sent.sent)} in ${fmt((sent.lastAt - sent.firstAt) / 1000, 1)} s (${fmt(offeredRate(sent))} msg/s offered; ${fmt(sent.acked)} acknowledged by the broker)`);
    await drain(() => baseline.progress().committed, sent.sent);
    const result = await baseline.finish();
    const seconds = (result.lastCommitAt - sent.firstAt) / 1000;
    log(`stored ${fmt(result.rows)} rows: ${lossText(sent.sent, result.rows)}`);
    return {
      phase: 'a',
      label: options.label,
      offered: offeredRate(sent),
      sent: sent.sent,
      rows: result.rows,
      rate: result.rows / seconds,
      latency: result.latency,
      rssPeakMiB: result.rssPeakMiB,
      notes: [
        `${BASELINE_ACK === 'commit' ? 'PUBACK after commit' : 'PUBACK on receipt'}; broker ${options.config}; ` +
          `${fmt(result.writeMs.count)} INSERTs of ${fmt(result.meanBatch)} rows on average, each ${fmt(result.writeMs.p50)} ms (p50) / ${fmt(result.writeMs.p99)} ms (p99); ` +
          `at most ${fmt(result.maxUnacknowledged)} messages unacknowledged at once`,
      ],
    };
  } finally {
    await broker.stop();
    forgetBroker();
  }
}

// --- b, d, e: smartplace ingest through Mosquitto ----------------------------------------------------

async function startIngest(brokerUrl: string, dbUrl: string) {
  return startSmartplace(
    'smartplace ingest',
    ['ingest'],
    {
      MQTT_URL: brokerUrl,
      DATABASE_URL: dbUrl,
      // The embedded database takes one connection: a pool of more is refused.
      DATABASE_POOL_SIZE: '1',
      DEMO: 'false',
      INGEST_INSTANCE_ID: 'bench',
      INGEST_METRICS_PORT: '0',
    },
    /Smartplace ingest is running/,
  );
}

async function phaseIngest(
  dir: string,
  db: EmbeddedDb,
  options: { phase: Phase; label: string; rate: number; seconds: number; stall?: { afterS: number; forS: number } },
): Promise<Result> {
  await emptyTables(db.url);
  const broker = await project(dir, `mosquitto-${options.phase}`);
  const stored = await watchStored(broker.url);
  const ingest = await startIngest(broker.url, db.url);
  const notes: string[] = [];
  const rss = sampleRss({ ingest: ingest.pid, mosquitto: broker.pid }, 200);
  let before = rss.current();
  try {
    const publishers = await forkPublishers({ url: broker.url, devices: DEVICES, rate: options.rate, seconds: options.seconds, count: PUBLISHERS });
    const stopTicker = ticker(stored.count);
    let stall: { stoppedAt: number; continuedAt: number } | undefined;
    const stalling = options.stall
      ? (async () => {
          const { afterS, forS } = options.stall as { afterS: number; forS: number };
          await sleep(afterS * 1000);
          // `smartplace db` runs PGlite in its own process; anything it started goes too.
          const pids = [db.pid, ...descendants(db.pid)];
          for (const pid of pids) {
            suspended.add(pid);
            signal(pid, 'SIGSTOP');
          }
          const stoppedAt = Date.now();
          before = rss.current();
          log(`database SIGSTOPped (pids ${pids.join(', ')}); ingest RSS ${fmt(rss.current().ingest ?? 0)} MiB`);
          await sleep(forS * 1000);
          for (const pid of pids) {
            signal(pid, 'SIGCONT');
            suspended.delete(pid);
          }
          stall = { stoppedAt, continuedAt: Date.now() };
          log(`database SIGCONTinued after ${forS} s; ingest RSS ${fmt(rss.current().ingest ?? 0)} MiB, mosquitto RSS ${fmt(rss.current().mosquitto ?? 0)} MiB`);
        })()
      : Promise.resolve();
    const sent = await publishers.run();
    stopTicker();
    await stalling;
    log(`published ${fmt(sent.sent)} in ${fmt((sent.lastAt - sent.firstAt) / 1000, 1)} s (${fmt(offeredRate(sent))} msg/s offered; ${fmt(sent.acked)} acknowledged by the broker)`);
    await drain(stored.count, sent.sent);
    notes.push(...healthNotes('smartplace ingest', ingest));
    const peaks = rss.stop();
    await ingest.stop();
    await stored.close();
    const { rows, rejects } = await countRows(db.url);
    log(`stored ${fmt(rows)} rows: ${lossText(sent.sent, rows)}${rejects > 0 ? `; ${fmt(rejects)} rejects` : ''}`);
    if (stored.count() !== rows) notes.push(`${fmt(stored.count())} readings seen on the stored topic`);
    if (rejects > 0) notes.push(`${fmt(rejects)} rejects`);
    const lastAt = stored.lastAt();
    const result: Result = {
      phase: options.phase,
      label: options.label,
      offered: offeredRate(sent),
      sent: sent.sent,
      rows,
      rate: rows / ((lastAt - sent.firstAt) / 1000),
      latency: stored.latencies.summary(),
      rssPeakMiB: peaks.ingest ?? 0,
      notes,
    };
    if (stall) {
      const { continuedAt } = stall;
      const caughtUp = stored.batches.find((batch) => batch.at > continuedAt && batch.maxLatency < CAUGHT_UP_MS);
      const catchUp = caughtUp
        ? `caught up ${fmt((caughtUp.at - continuedAt) / 1000, 1)} s after SIGCONT (the first commit after it of readings all published < ${CAUGHT_UP_MS} ms before)`
        : `did not catch up while publishing; the backlog was cleared ${fmt((lastAt - continuedAt) / 1000, 1)} s after SIGCONT`;
      notes.push(
        `RSS when the database stopped: ingest ${fmt(before.ingest ?? 0)} MiB → peak ${fmt(peaks.ingest ?? 0)} MiB, mosquitto ${fmt(before.mosquitto ?? 0)} → peak ${fmt(peaks.mosquitto ?? 0)} MiB`,
        catchUp,
      );
      for (const note of notes.slice(-2)) log(note);
    }
    return result;
  } finally {
    rss.stop();
    await ingest.stop();
    await stored.close().catch(() => undefined);
    await broker.stop();
  }
}

// --- c: all in one -------------------------------------------------------------------------------

async function phaseAllInOne(dir: string): Promise<Result> {
  const dataDir = `${dir}/all-in-one`;
  const setup = await createDatabase(dataDir);
  await setup.stop();
  const product = await startSmartplace(
    'smartplace start',
    ['start', '--no-simulator'],
    { DATA_DIR: dataDir, DEMO: 'false', MQTT_PORT: '0', PORT: '0', EMBEDDED_DB_PORT: '0', INGEST_INSTANCE_ID: 'bench', INGEST_METRICS_PORT: '0' },
    /(Ready|Started) in [\d.]+ s/,
  );
  const notes: string[] = [];
  try {
    const mqttUrl = /MQTT:\s+(mqtts?:\/\/\S+)/.exec(product.output())?.[1];
    if (!mqttUrl) throw new Error(`no MQTT URL in the start-up banner:\n${product.output()}`);
    if (/Started in/.test(product.output())) notes.push('started "not healthy yet"');
    const stored = await watchStored(mqttUrl);
    const rss = sampleRss({ product: product.pid }, 200);
    const publishers = await forkPublishers({ url: mqttUrl, devices: DEVICES, rate: RATE, seconds: SECONDS, count: PUBLISHERS });
    const stopTicker = ticker(stored.count);
    const sent = await publishers.run();
    stopTicker();
    log(`published ${fmt(sent.sent)} in ${fmt((sent.lastAt - sent.firstAt) / 1000, 1)} s (${fmt(offeredRate(sent))} msg/s offered; ${fmt(sent.acked)} acknowledged by the broker)`);
    await drain(stored.count, sent.sent);
    notes.push(...healthNotes('smartplace start', product));
    const peaks = rss.stop();
    await product.stop();
    await stored.close();
    const counter = await startEmbeddedDb(dataDir);
    const { rows, rejects } = await countRows(counter.url).finally(() => counter.stop());
    log(`stored ${fmt(rows)} rows: ${lossText(sent.sent, rows)}${rejects > 0 ? `; ${fmt(rejects)} rejects` : ''}`);
    if (stored.count() !== rows) notes.push(`${fmt(stored.count())} readings seen on the stored topic`);
    if (rejects > 0) notes.push(`${fmt(rejects)} rejects`);
    notes.push('RSS is the Smartplace process (broker, ingest, server; not the database child)');
    return {
      phase: 'c',
      label: 'product, all-in-one (`smartplace start`)',
      offered: offeredRate(sent),
      sent: sent.sent,
      rows,
      rate: rows / ((stored.lastAt() - sent.firstAt) / 1000),
      latency: stored.latencies.summary(),
      rssPeakMiB: peaks.product ?? 0,
      notes,
    };
  } finally {
    await product.stop();
  }
}

// --- f: Mosquitto defaults against the project's settings ----------------------------------------------

/**
 * A persistent-session subscriber goes away; QOS 1 messages are published meanwhile; it comes back
 * (optionally after a broker restart) and counts what it is given.
 */
/**
 * How long Mosquitto stops answering while it writes its persistence file (what autosave_interval
 * costs): the longest PUBACK round trip of a probe publishing every 5 ms, around a SIGUSR1 (save now).
 */
async function savePauseMs(broker: RunningMosquitto): Promise<number> {
  const probe = await mqtt.connectAsync(broker.url, { clientId: 'smartplace-bench-probe', clean: true });
  let longest = 0;
  let running = true;
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      await probe.publishAsync('smartplace-bench/probe', 'x', { qos: 1 });
      longest = Math.max(longest, performance.now() - started);
      await sleep(5);
    }
  })();
  await sleep(500);
  longest = 0;
  signal(broker.pid, 'SIGUSR1');
  await sleep(3000);
  running = false;
  await probing;
  await probe.endAsync();
  return longest;
}

async function offlineQueue(
  dir: string,
  config: 'project' | 'defaults',
  restartBroker: 'no' | 'stop' | 'kill',
): Promise<{ sent: number; received: number; brokerRssMiB: number; savePauseMs?: number }> {
  const broker = await startMosquitto({ config, dataDir: `${dir}/mosquitto-queue-${config}-${restartBroker}` });
  const forget = onCleanup('mosquitto', () => broker.stop());
  try {
    const filter = `${TOPIC_PREFIX}/v1/devices/+/readings`;
    const session = { url: broker.url, clientId: 'smartplace-bench-away', clean: false, protocolVersion: 4 as const, filter };
    const away = await connectRawSubscriber({ ...session, onPublish: () => undefined });
    await away.close();
    const publishers = await forkPublishers({ url: broker.url, devices: DEVICES, rate: LATENCY_RATE, seconds: QUEUE_SECONDS, count: 2 });
    const sent = await publishers.run();
    const brokerRssMiB = sampleRss({ broker: broker.pid }, 1000).stop().broker ?? 0;
    const pause = config === 'project' && restartBroker === 'no' ? await savePauseMs(broker) : undefined;
    if (restartBroker === 'stop') await broker.restart();
    if (restartBroker === 'kill') {
      await broker.kill();
      await broker.restart();
    }
    let received = 0;
    const toAck: number[] = [];
    // Queued messages can arrive before connectRawSubscriber resolves: acknowledge them in a loop.
    const back = await connectRawSubscriber({
      ...session,
      onPublish: (packet) => {
        received++;
        toAck.push(packet.messageId ?? 0);
      },
    });
    let previous = -1;
    while (received !== previous) {
      previous = received;
      for (let i = 0; i < 20; i++) {
        back.ack(toAck.splice(0));
        await sleep(50);
      }
    }
    await back.close();
    return { sent: sent.sent, received, brokerRssMiB, ...(pause === undefined ? {} : { savePauseMs: pause }) };
  } finally {
    await broker.stop();
    forget();
  }
}

async function phaseBroker(dir: string, db: EmbeddedDb): Promise<void> {
  for (const config of ['defaults', 'project'] as const) {
    log(`— ${config}: ack-after-commit subscriber at ${fmt(LATENCY_RATE)} msg/s for ${BROKER_SECONDS} s`);
    const result = await phaseBaseline(dir, db, { config, rate: LATENCY_RATE, seconds: BROKER_SECONDS, label: `bare subscriber, Mosquitto ${config}` });
    results.push({ ...result, phase: 'f' });
  }
  for (const config of ['defaults', 'project'] as const) {
    for (const restart of ['no', 'stop', 'kill'] as const) {
      const { sent, received, brokerRssMiB, savePauseMs } = await offlineQueue(dir, config, restart);
      const when = { no: '', stop: ', broker restarted (SIGTERM)', kill: ', broker killed (SIGKILL) and restarted' }[restart];
      const save = savePauseMs === undefined ? '' : `; saving them (SIGUSR1) paused the broker ${fmt(savePauseMs)} ms`;
      const line = `${config}: subscriber away while ${fmt(sent)} messages were published${when}: ${fmt(received)} delivered on its return (${lossText(sent, received)}); broker RSS with them queued ${fmt(brokerRssMiB)} MiB${save}`;
      log(line);
      brokerFindings.push(line);
    }
  }
}

// --- report --------------------------------------------------------------------------------------------

function printSummary(): void {
  const baseline = results.find((r) => r.phase === 'a');
  console.log(`\nIngest benchmark summary (${DEVICES} devices, ${PUBLISHERS} publisher processes, QoS 1; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(
    `  ${'phase'.padEnd(50)}${'offered/s'.padStart(10)}${'stored/s'.padStart(10)}${'sent'.padStart(11)}${'stored'.padStart(11)}${'lost'.padStart(9)}${'vs a'.padStart(7)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(10)}${'RSS MiB'.padStart(9)}`,
  );
  for (const r of results) {
    const ratio = baseline && (r.phase === 'b' || r.phase === 'c') ? (r.rate / baseline.rate).toFixed(2) : '';
    console.log(
      `  ${`${r.phase}  ${r.label}`.padEnd(50)}${fmt(r.offered).padStart(10)}${fmt(r.rate).padStart(10)}${fmt(r.sent).padStart(11)}${fmt(r.rows).padStart(11)}${fmt(r.sent - r.rows).padStart(9)}${ratio.padStart(7)}` +
        `${fmt(r.latency?.p50 ?? Number.NaN).padStart(9)}${fmt(r.latency?.p95 ?? Number.NaN).padStart(9)}${fmt(r.latency?.p99 ?? Number.NaN).padStart(10)}${fmt(r.rssPeakMiB ?? Number.NaN).padStart(9)}`,
    );
    for (const note of r.notes) console.log(`  ${''.padEnd(4)}${note}`);
  }
  for (const finding of brokerFindings) console.log(`  f  ${finding}`);
  console.log('  stored/s: rows stored ÷ seconds from the first publish to the last commit. Latency: publish → commit. RSS: peak of the measured process.');
}

export async function benchIngest(): Promise<void> {
  const phases = (process.env.BENCH_INGEST_PHASES ?? ALL_PHASES.join(','))
    .split(',')
    .map((p) => p.trim())
    .filter((p): p is Phase => (ALL_PHASES as readonly string[]).includes(p));
  const dir = mkdtempSync(`${tmpdir()}/smartplace-bench-ingest-`);
  let interrupting: Promise<void> | undefined;
  const onSignal = () => {
    if (interrupting) process.exit(130);
    console.log('\nInterrupted: stopping everything the benchmark started…');
    interrupting = cleanup().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const mosquittoVersion = /mosquitto version (\S+)/.exec(spawnSync(MOSQUITTO_BINARY, ['-h'], { encoding: 'utf8' }).stdout)?.[1] ?? '?';
  console.log(
    `Ingest: Mosquitto ${mosquittoVersion}; phases ${phases.join(',')}; ${fmt(RATE)} msg/s for ${SECONDS} s (a–c), ${fmt(LATENCY_RATE)} msg/s (d: ${LATENCY_SECONDS} s; e: ${STALL_BEFORE_S}+${STALL_S}+${STALL_AFTER_S} s; f: ${BROKER_SECONDS} s, queues ${QUEUE_SECONDS} s); batches of ${BATCH_SIZE}`,
  );
  let db: EmbeddedDb | undefined;
  const sharedDb = async () => (db ??= await createDatabase(`${dir}/database`));
  try {
    for (const phase of phases) {
      console.log(`\n[${phase}] ${new Date().toISOString()} load average ${loadavg()[0]?.toFixed(1)}`);
      switch (phase) {
        case 'a':
          results.push(await phaseBaseline(dir, await sharedDb(), { config: 'project', rate: RATE, seconds: SECONDS, label: 'baseline: bare subscriber, tuned Mosquitto' }));
          break;
        case 'b':
          results.push(await phaseIngest(dir, await sharedDb(), { phase, label: 'product: `smartplace ingest` + tuned Mosquitto', rate: RATE, seconds: SECONDS }));
          break;
        case 'c':
          results.push(await phaseAllInOne(dir));
          break;
        case 'd':
          results.push(await phaseIngest(dir, await sharedDb(), { phase, label: `latency at ${fmt(LATENCY_RATE)} msg/s (b's setup)`, rate: LATENCY_RATE, seconds: LATENCY_SECONDS }));
          break;
        case 'e':
          results.push(
            await phaseIngest(dir, await sharedDb(), {
              phase,
              label: `database stalled ${STALL_S} s at ${fmt(LATENCY_RATE)} msg/s`,
              rate: LATENCY_RATE,
              seconds: STALL_BEFORE_S + STALL_S + STALL_AFTER_S,
              stall: { afterS: STALL_BEFORE_S, forS: STALL_S },
            }),
          );
          break;
        case 'f':
          await phaseBroker(dir, await sharedDb());
          break;
      }
    }
    printSummary();
  } catch (error) {
    // Interrupted: whatever failed because its processes went away is not worth reporting.
    if (interrupting) await interrupting;
    throw error;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(dir, { recursive: true, force: true });
  }
}
