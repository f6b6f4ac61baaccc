import mqtt from 'mqtt';
import { fork, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { DAQI_COLOURS } from '../core/daqi.js';
import { countColour, launchBrowser } from '../test/support/browser.js';
import { cleanup, loggedProblems, onCleanup } from './ingestProcesses.js';
import { canonical, ClientLedger, connectNodeClient, type NodeClient } from './liveClients.js';
import { cpuShares, readSourceMaps, sampleCpu, startProfile, stopProfile, summariseTrace, type ProfileSummary } from './liveDiagnostics.js';
import { prepareDenseEstate, prepareLargeEstate } from './liveData.js';
import { colourCentroid, loadMarks, pageInstruments, type LoadMarks, type PageConfig } from './livePage.js';
import { measureClockOffset, PROBE_VALUES, ProbeRunner, type ProbeResult } from './liveProbes.js';
import { startNpmProduct, type NpmProduct } from './liveProduct.js';
import type { LivePublisherCommand, LivePublisherMessage, LivePublisherOptions, PublishedReading } from './livePublisher.js';

/**
 * The live operations map's budgets (issue 6; docs/live-performance.md records figures):
 *   bundle  the client's JS and CSS, raw and gzipped, after `npm run build:client`;
 *   live    2,000 devices on the demo borough, `npm start` (embedded database and broker, no
 *           simulator), the map in Chromium plus 19 socket.io clients; probe readings flip one
 *           device's DAQI colour and the page times publish → pixel, first with no other load (the
 *           baseline), then during 200 readings/s; after the load, every client's newest reading of
 *           every device is compared with the newest published;
 *   load    10,000 devices on ~20,000 street segments, each with a reading: navigation → device
 *           table filled and markers drawn, in a fresh browser context each time.
 * `BENCH_LIVE_SECTIONS=live` runs one section. The product's own variables (e.g.
 * LIVE_UPDATES_PER_SECOND) pass through to it.
 */

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DEVICES = env('BENCH_LIVE_DEVICES', 2000);
const RATE = env('BENCH_LIVE_RATE', 200);
const LOAD_S = env('BENCH_LIVE_SECONDS', 75);
const CLIENTS = env('BENCH_LIVE_CLIENTS', 20);
const BASELINE_PROBES = env('BENCH_LIVE_BASELINE_PROBES', 60);
const LARGE_DEVICES = env('BENCH_LIVE_LARGE_DEVICES', 10_000);
const LARGE_STREETS = env('BENCH_LIVE_LARGE_STREETS', 20_000);
const LOADS = env('BENCH_LIVE_LOADS', 3);
/** After the measurements, probes under a CPU profile: this many at rest, then this long under load (0: none). */
const PROFILE_PROBES = env('BENCH_LIVE_PROFILE_PROBES', 15);
const PROFILE_S = env('BENCH_LIVE_PROFILE_SECONDS', 15);
const SECTIONS = (process.env.BENCH_LIVE_SECTIONS ?? 'bundle,live,load').split(',').map((name) => name.trim());
const BUDGET = { publishToPixelP95Ms: 300, usableMapMs: 2000 };
const VIEWPORT = { width: 1280, height: 900 };
const PROBE_SPACING_MS = 500;
const PROBE_JITTER_MS = 250;
const PROBE_TIMEOUT_MS = 5000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = import.meta.resolve('tsx');
const TOPIC_PREFIX = process.env.MQTT_TOPIC_PREFIX ?? 'smartplace';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wallNow = () => performance.timeOrigin + performance.now();
const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const HIGH = '#990000';
const LOW = '#9CFF9C';

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : '–');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const load = () => `load average ${loadavg().map((value) => value.toFixed(2)).join(', ')}`;

/** Diagnostic: the page's tables hidden (display: none), to see what laying them out costs. */
const HIDE_TABLES = process.env.BENCH_LIVE_HIDE_TABLES === '1';
/** How the probe pixel is read: `canvas` (in the page, every animation frame) or `screenshot` (page.screenshot of a clip, from here). */
const PIXEL_METHOD = process.env.BENCH_LIVE_PIXEL === 'screenshot' ? 'screenshot' : 'canvas';
/** Keep the raw Chromium traces of the profiled windows here (open them in chrome://tracing or Perfetto). */
const TRACE_DIR = process.env.BENCH_LIVE_TRACE_DIR;
async function keepTrace(name: string, trace: Buffer): Promise<Buffer> {
  if (TRACE_DIR) await writeFile(`${TRACE_DIR}/${name}.json`, trace);
  return trace;
}

function pageConfig(expectRows: number, probeId: string | null): PageConfig {
  return { expectRows, daqi: DAQI_COLOURS.map(rgb), markerPixels: 50, probeId, hideTables: HIDE_TABLES, high: rgb(HIGH), low: rgb(LOW) };
}

/* ---------------------------------------------------------------------------------------------- */

function benchBundle(): void {
  const build = spawnSync('npm', ['run', 'build:client', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build:client failed:\n${build.stdout}${build.stderr}`);
  const assets = `${ROOT}client/dist/assets`;
  const files = readdirSync(assets).filter((name) => /\.(m?js|css)$/.test(name));
  console.log(`\nClient bundle (client/dist/assets after npm run build:client; gzip level 6, as a server would send it)`);
  const totals = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 } };
  for (const name of files.sort()) {
    const content = readFileSync(`${assets}/${name}`);
    const gzip = gzipSync(content, { level: 6 }).length;
    const kind = name.endsWith('.css') ? 'css' : 'js';
    totals[kind].raw += content.length;
    totals[kind].gzip += gzip;
    console.log(`  ${name.padEnd(48)}${kib(content.length).padStart(12)} raw${kib(gzip).padStart(12)} gzipped`);
  }
  console.log(`  ${'JS total (incl. the MapLibre worker)'.padEnd(48)}${kib(totals.js.raw).padStart(12)} raw${kib(totals.js.gzip).padStart(12)} gzipped`);
  console.log(`  ${'CSS total'.padEnd(48)}${kib(totals.css.raw).padStart(12)} raw${kib(totals.css.gzip).padStart(12)} gzipped`);
  console.log(`  (the server gzips them on the way out: the compression middleware in server/app.ts)`);
}

/* ---------------------------------------------------------------------------------------------- */

interface ProbeTimes extends ProbeResult {
  storedAt: number | undefined;
  pageSocketAt: number | undefined;
  nodeSocketAt: number | undefined;
}

function describeProbes(label: string, probes: readonly ProbeTimes[]): { p50: number; p95: number } {
  const seen = probes.filter((probe) => probe.pixelAt !== null);
  const pixel = seen.map((probe) => (probe.pixelAt as number) - probe.publishedAt);
  const segment = (from: (p: ProbeTimes) => number | undefined, to: (p: ProbeTimes) => number | undefined) =>
    seen.flatMap((probe) => {
      const a = from(probe);
      const b = to(probe);
      return a === undefined || b === undefined ? [] : [b - a];
    });
  const row = (name: string, values: number[]) =>
    console.log(`    ${name.padEnd(48)}p50 ${ms(quantile(values, 0.5)).padStart(7)}   p95 ${ms(quantile(values, 0.95)).padStart(7)}   max ${ms(Math.max(...values)).padStart(7)}`);
  console.log(`  ${label}: ${seen.length} of ${probes.length} probes seen on the canvas within ${PROBE_TIMEOUT_MS / 1000} s`);
  row('publish → pixel', pixel);
  row('  publish → committed (internal stored topic)', segment((p) => p.publishedAt, (p) => p.storedAt));
  row('  committed → frame at the page', segment((p) => p.storedAt, (p) => p.pageSocketAt));
  row('  frame at the page → pixel', segment((p) => p.pageSocketAt, (p) => p.pixelAt ?? undefined));
  row('  (publish → a node socket.io client)', segment((p) => p.publishedAt, (p) => p.nodeSocketAt));
  row('  (resolution: seen − earliest possible draw)', segment((p) => p.pixelEarliest ?? undefined, (p) => p.pixelAt ?? undefined));
  return { p50: quantile(pixel, 0.5), p95: quantile(pixel, 0.95) };
}

async function drainFrameGaps(page: Page): Promise<number[]> {
  if (PIXEL_METHOD === 'screenshot') return screenshotGaps.splice(0);
  return page.evaluate(() => {
    const bench = (globalThis as unknown as { __bench: { frameGaps: number[] } }).__bench;
    const gaps = bench.frameGaps;
    bench.frameGaps = [];
    return gaps;
  });
}

async function pageProbeFrames(page: Page, offsetMs: number): Promise<Map<string, number>> {
  const frames = await page.evaluate(
    () => (globalThis as unknown as { __bench: { probeFrames: { at: number; time: string }[] } }).__bench.probeFrames,
  );
  const byTime = new Map<string, number>();
  for (const frame of frames) if (!byTime.has(frame.time)) byTime.set(frame.time, frame.at - offsetMs);
  return byTime;
}

/** Finds the probe's marker (showing HIGH) in a viewport screenshot and starts the page's pixel watcher on it. */
async function watchProbe(page: Page, runner: ProbeRunner): Promise<{ x: number; y: number; pixels: number }> {
  const { acked } = runner.publish('high');
  await acked;
  const deadline = Date.now() + 20_000;
  let found: ReturnType<typeof colourCentroid> = null;
  while (Date.now() < deadline && (found === null || found.count < 50)) {
    found = colourCentroid(await page.screenshot(), rgb(HIGH));
    if (found === null || found.count < 50) await sleep(200);
  }
  if (found === null || found.count < 50) throw new Error(`the probe's marker never showed ${HIGH} on the map`);
  const box = await page.locator('#map canvas.maplibregl-canvas').boundingBox();
  if (!box) throw new Error('the map has no canvas');
  const position = { x: found.x - box.x, y: found.y - box.y };
  if (PIXEL_METHOD === 'screenshot') {
    watchByScreenshots(page, runner, { x: Math.round(found.x) - 3, y: Math.round(found.y) - 3, width: 6, height: 6 });
    const until = Date.now() + 5000;
    while (runner.lastState !== 'high' && Date.now() < until) await sleep(50);
    return { ...position, pixels: found.count };
  }
  const answer = await page.evaluate(
    ({ x, y }) => (globalThis as unknown as { __bench: { watchProbe(x: number, y: number): string } }).__bench.watchProbe(x, y),
    position,
  );
  if (answer !== 'watching') throw new Error(`the pixel watcher did not start: ${answer}`);
  const until = Date.now() + 5000;
  while (runner.lastState !== 'high' && Date.now() < until) await sleep(50);
  if (runner.lastState !== 'high') throw new Error(`the watched pixel at ${position.x.toFixed(0)},${position.y.toFixed(0)} is not ${HIGH}`);
  return { ...position, pixels: found.count };
}

const screenshotGaps: number[] = [];
let stopScreenshots = false;

/** The probe pixel read from screenshots of a small clip, one after another, until stopped. */
function watchByScreenshots(page: Page, runner: ProbeRunner, clip: { x: number; y: number; width: number; height: number }): void {
  const high = rgb(HIGH);
  const low = rgb(LOW);
  void (async () => {
    let state: string | undefined;
    let previousStart: number | undefined;
    while (!stopScreenshots) {
      const started = wallNow();
      let png: Buffer;
      try {
        png = await page.screenshot({ clip });
      } catch {
        return; // the page closed
      }
      const seen = wallNow();
      screenshotGaps.push(seen - started);
      const next = colourCentroid(png, high, 8) ? 'high' : colourCentroid(png, low, 8) ? 'low' : 'other';
      if (next !== state) {
        state = next;
        runner.observe(next, seen, previousStart ?? started);
      }
      previousStart = started;
    }
  })();
}

async function screenshotClipCost(page: Page, at: { x: number; y: number }): Promise<number[]> {
  const box = await page.locator('#map canvas.maplibregl-canvas').boundingBox();
  const clip = { x: (box?.x ?? 0) + at.x - 10, y: (box?.y ?? 0) + at.y - 10, width: 20, height: 20 };
  const costs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    await page.screenshot({ clip });
    costs.push(performance.now() - started);
  }
  return costs;
}

interface Publisher {
  ready: Promise<void>;
  done: Promise<Extract<LivePublisherMessage, { type: 'done' }>>;
  go(): void;
}

function forkPublisher(options: LivePublisherOptions): Publisher {
  const script = fileURLToPath(new URL('./livePublisher.ts', import.meta.url));
  const child = fork(script, [JSON.stringify(options)], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  const forget = onCleanup('live publisher', async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: LivePublisherMessage) => message.type === 'ready' && resolve());
    child.once('exit', (code) => reject(new Error(`the live publisher exited (code ${code}) before it was ready`)));
  });
  const done = new Promise<Extract<LivePublisherMessage, { type: 'done' }>>((resolve, reject) => {
    child.on('message', (message: LivePublisherMessage) => {
      if (message.type === 'done') {
        forget();
        resolve(message);
      }
    });
    child.once('exit', (code) => reject(new Error(`the live publisher exited (code ${code}) before reporting`)));
  });
  done.catch(() => undefined);
  return { ready, done, go: () => child.send({ type: 'go' } satisfies LivePublisherCommand) };
}

function printCpu(baseline: ReturnType<typeof cpuShares>, loaded: ReturnType<typeof cpuShares>): void {
  console.log(`\nCPU by process during the probes (share of one core; the machine has ${cpus().length})`);
  console.log(`  ${'process'.padEnd(52)}${'baseline'.padStart(10)}${'under load'.padStart(12)}`);
  const names = [...new Set([...loaded.rows.map(([name]) => name), ...baseline.rows.map(([name]) => name)])];
  const share = (rows: [string, number][], name: string) => (rows.find(([row]) => row === name)?.[1] ?? 0).toFixed(2);
  for (const name of names) console.log(`  ${name.padEnd(52)}${share(baseline.rows, name).padStart(10)}${share(loaded.rows, name).padStart(12)}`);
  console.log(`  ${'all of the above'.padEnd(52)}${baseline.ours.toFixed(2).padStart(10)}${loaded.ours.toFixed(2).padStart(12)}`);
  console.log(`  ${'whole machine busy (other users included)'.padEnd(52)}${baseline.machineBusy.toFixed(2).padStart(10)}${loaded.machineBusy.toFixed(2).padStart(12)}`);
}

function printTrace(trace: ReturnType<typeof summariseTrace>): void {
  const top = trace.rows.filter(([name]) => name !== 'RunTask' && name !== 'ThreadControllerImpl::RunTask').slice(0, 10);
  console.log(`    main-thread trace, self time by event over ${(trace.spanMs / 1000).toFixed(1)} s: ${top.map(([name, value]) => `${name} ${value.toFixed(0)} ms`).join(', ')}`);
}

function printProfile(label: string, profile: ProfileSummary): void {
  const idle = profile.self.find(([name]) => name === '(idle)')?.[1] ?? 0;
  console.log(`  ${label}: ${(profile.totalMs / 1000).toFixed(1)} s profiled, main thread busy ${(((profile.totalMs - idle) / profile.totalMs) * 100).toFixed(0)}%`);
  console.log(`    self time by source: ${profile.self.filter(([name]) => name !== '(idle)').slice(0, 10).map(([name, value]) => `${name} ${value.toFixed(0)} ms`).join(', ')}`);
  console.log(`    with a client function on the stack: ${profile.inclusive.slice(0, 8).map(([name, value]) => `${name} ${value.toFixed(0)} ms`).join(', ')}`);
}

async function benchLiveMap(browser: Browser): Promise<void> {
  const dir = await mkdtemp(`${tmpdir()}/smartplace-bench-live-`);
  onCleanup('live data directory', () => rm(dir, { recursive: true, force: true }));
  const prepared = performance.now();
  const estate = await prepareDenseEstate(dir, DEVICES);
  const probeId = estate.probe.id;
  console.log(`\nLive map: ${DEVICES} air-quality devices on the demo borough (registered in ${((performance.now() - prepared) / 1000).toFixed(1)} s)`);
  const product: NpmProduct = await startNpmProduct({ DATA_DIR: dir, DEMO: 'false' });
  const updatesPerSecond = process.env.LIVE_UPDATES_PER_SECOND ?? '4 (default)';
  console.log(`  npm start -- --no-simulator: ready in ${(product.readyMs / 1000).toFixed(1)} s; LIVE_UPDATES_PER_SECOND=${updatesPerSecond}`);
  if (HIDE_TABLES) console.log(`  DIAGNOSTIC: the page's device and street tables are hidden (display: none), so they are not laid out`);

  const mqttClient = await mqtt.connectAsync(product.mqttUrl, { clientId: 'smartplace-bench-live-probe', clean: true, protocolVersion: 4 });
  const forgetProbeClient = onCleanup('probe MQTT client', () => mqttClient.endAsync());
  const stored = new Map<string, number>();
  const storedClient = await mqtt.connectAsync(product.mqttUrl, { clientId: 'smartplace-bench-live-stored', clean: true, protocolVersion: 4 });
  const forgetStoredClient = onCleanup('stored MQTT client', () => storedClient.endAsync());
  storedClient.on('message', (_topic, payload) => {
    const at = wallNow();
    const text = payload.toString();
    if (!text.includes(probeId)) return;
    for (const reading of JSON.parse(text) as { deviceId: string; time: string }[]) {
      if (reading.deviceId === probeId && !stored.has(reading.time)) stored.set(reading.time, at);
    }
  });
  await storedClient.subscribeAsync(`${TOPIC_PREFIX}/internal/v1/stored`, { qos: 0 });

  const context = await browser.newContext({ viewport: VIEWPORT });
  onCleanup('browser context', () => context.close());
  const page = await context.newPage();
  const runner = new ProbeRunner(mqttClient, `${TOPIC_PREFIX}/v1/devices/${probeId}/readings`);
  await runner.attach(page);
  await page.addInitScript({ content: pageInstruments(pageConfig(DEVICES, probeId)) });
  const pageLedger = new ClientLedger(probeId);
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => pageLedger.onFrame(payload)));
  await page.goto(product.url);
  const sourceMaps = readSourceMaps();
  const first = await loadMarks(page, 60_000);
  console.log(
    `  page load (for reference): table filled ${ms(first.tableAt ?? Number.NaN)}, markers drawn ${ms(first.markersAt ?? Number.NaN)}, snapshot ${ms(first.snapshotAt ?? Number.NaN)} (${kib(pageLedger.snapshotBytes)})`,
  );

  const clock = await measureClockOffset(page);
  runner.clockOffsetMs = clock.offsetMs;
  const probeAt = await watchProbe(page, runner);
  await (await runner.probe(PROBE_TIMEOUT_MS)).acked; // back to low
  const frameGapsSetup = await drainFrameGaps(page);
  const clipCosts = await screenshotClipCost(page, probeAt);
  console.log(
    `  probe device at canvas pixel (${probeAt.x.toFixed(0)}, ${probeAt.y.toFixed(0)}), ${probeAt.pixels} px of ${HIGH}; page clock − bench clock ${clock.offsetMs.toFixed(2)} ms (± ${clock.uncertaintyMs.toFixed(2)})`,
  );

  const nodeClients: NodeClient[] = Array.from({ length: CLIENTS - 1 }, () => connectNodeClient(product.url, probeId));
  onCleanup('socket.io clients', async () => nodeClients.forEach((client) => client.socket.close()));
  const connectDeadline = Date.now() + 60_000;
  while (nodeClients.some((client) => client.ledger.snapshotAt === undefined) && Date.now() < connectDeadline) await sleep(100);
  const connected = nodeClients.filter((client) => client.ledger.snapshotAt !== undefined).length;
  console.log(`  clients: the Chromium page + ${connected} of ${CLIENTS - 1} socket.io-client connections (websocket, each its own connection) with a snapshot`);

  const withTimes = async (probes: ProbeResult[]): Promise<ProbeTimes[]> => {
    const pageFrames = await pageProbeFrames(page, runner.clockOffsetMs);
    const node = nodeClients[0]?.ledger.watched;
    return probes.map((probe) => ({
      ...probe,
      storedAt: stored.get(probe.time),
      pageSocketAt: pageFrames.get(probe.time),
      nodeSocketAt: node?.get(probe.time),
    }));
  };

  // Baseline: the same page and clients, no other readings.
  const baselineLoad = load();
  const baselineCpu = sampleCpu();
  const baseline = await withTimes(await runner.run({ count: BASELINE_PROBES, spacingMs: PROBE_SPACING_MS, jitterMs: PROBE_JITTER_MS, timeoutMs: PROBE_TIMEOUT_MS }));
  const baselineGaps = await drainFrameGaps(page);
  const baselineShares = cpuShares(baselineCpu, sampleCpu());

  // The load: RATE readings/s over every device but the probe, with probes among them.
  // Background readings: RATE a second over every device but the probe.
  const others = estate.devices.filter((device) => device.id !== probeId).map((device) => device.id);
  const loadPublisher = (seconds: number) => forkPublisher({ url: product.mqttUrl, topicPrefix: TOPIC_PREFIX, deviceIds: others, rate: RATE, seconds });
  const publisher = loadPublisher(LOAD_S);
  await publisher.ready;
  const ledgers = [pageLedger, ...nodeClients.map((client) => client.ledger)];
  for (const ledger of ledgers) ledger.counting = true;
  const loadStartedAt = Date.now();
  publisher.go();
  await sleep(3000);
  const duringLoad = load();
  const loadCpu = sampleCpu();
  const loaded = await withTimes(
    await runner.run({ untilMs: loadStartedAt + LOAD_S * 1000 - 1500, spacingMs: PROBE_SPACING_MS, jitterMs: PROBE_JITTER_MS, timeoutMs: PROBE_TIMEOUT_MS }),
  );
  const loadGaps = await drainFrameGaps(page);
  const loadShares = cpuShares(loadCpu, sampleCpu());
  const done = await publisher.done;
  const countedS = (Date.now() - loadStartedAt) / 1000;
  for (const ledger of ledgers) ledger.counting = false;
  await sleep(2000);

  // Every client's newest reading per device against the newest published.
  const expected = new Map<string, { timeMs: number; values: string }>();
  for (const reading of done.newest as PublishedReading[]) expected.set(reading.deviceId, { timeMs: reading.timeMs, values: canonical(reading.values) });
  const lastProbe = loaded[loaded.length - 1] ?? baseline[baseline.length - 1];
  if (lastProbe) expected.set(probeId, { timeMs: Date.parse(lastProbe.time), values: canonical({ no2: PROBE_VALUES[lastProbe.target] }) });

  console.log(
    `\nPublish → pixel (probe readings among the others; ${PIXEL_METHOD === 'canvas' ? 'canvas pixel read in the page every animation frame' : 'page.screenshot of a 6×6 px clip round the probe, one after another'})`,
  );
  console.log(`  baseline, no other readings (${baselineLoad}):`);
  const base = describeProbes('  baseline', baseline);
  console.log(`  under load: ${RATE} readings/s over ${DEVICES - 1} devices for ${LOAD_S} s, ${done.sent} sent, ${done.acked} acknowledged (${duringLoad}):`);
  const underLoad = describeProbes('  under load', loaded);
  console.log(
    `  ratio load / baseline                       p50 ${(underLoad.p50 / base.p50).toFixed(2)}   p95 ${(underLoad.p95 / base.p95).toFixed(2)}   budget p95 ≤ ${BUDGET.publishToPixelP95Ms} ms: ${underLoad.p95 <= BUDGET.publishToPixelP95Ms ? 'met' : 'NOT MET'}`,
  );
  const gapRow = (label: string, gaps: number[]) =>
    console.log(`    ${label.padEnd(44)}p50 ${gaps.length ? quantile(gaps, 0.5).toFixed(1) : '–'} ms   p95 ${gaps.length ? quantile(gaps, 0.95).toFixed(1) : '–'} ms   max ${gaps.length ? Math.max(...gaps).toFixed(0) : '–'} ms`);
  console.log(
    PIXEL_METHOD === 'canvas'
      ? `  intervals between animation frames (a canvas read is issued in each, and finished reads collected):`
      : `  time each screenshot took (the interval between looks at the pixel):`,
  );
  gapRow('setup', frameGapsSetup);
  gapRow('baseline', baselineGaps);
  gapRow('under load', loadGaps);
  console.log(`  (for comparison, page.screenshot of a 20×20 px clip: p50 ${ms(quantile(clipCosts, 0.5))}, max ${ms(Math.max(...clipCosts))} each, idle)`);

  console.log(`\n${CLIENTS} live clients during the load (counted over ${countedS.toFixed(1)} s, until the publisher had every acknowledgement), checked 2 s after it ended`);
  console.log(`  ${'client'.padEnd(24)}${'missing'.padStart(8)}${'stale'.padStart(8)}${'differ'.padStart(8)}${'msgs/s'.padStart(9)}${'KiB/s'.padStart(9)}`);
  const rows = [{ name: 'Chromium page', ledger: pageLedger }, ...nodeClients.map((client, i) => ({ name: `socket.io client ${i + 1}`, ledger: client.ledger }))];
  let lossy = 0;
  for (const { name, ledger } of rows) {
    const result = ledger.compare(expected);
    if (result.missing + result.stale + result.different > 0) lossy++;
    console.log(
      `  ${name.padEnd(24)}${String(result.missing).padStart(8)}${String(result.stale).padStart(8)}${String(result.different).padStart(8)}${(ledger.messages / countedS).toFixed(2).padStart(9)}${(ledger.bytes / countedS / 1024).toFixed(1).padStart(9)}`,
    );
  }
  console.log(`  ${expected.size} devices compared per client; clients with any missing, stale or different: ${lossy}`);
  printCpu(baselineShares, loadShares);

  if (PROFILE_PROBES > 0 || PROFILE_S > 0) {
    // Diagnostics, after the measurements (a profiler slows the page): the page's main thread by source.
    const cdp = await context.newCDPSession(page);
    const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'gpu'];
    await browser.startTracing(page, { categories });
    await startProfile(cdp);
    const atRest = await withTimes(await runner.run({ count: PROFILE_PROBES, spacingMs: PROBE_SPACING_MS, jitterMs: PROBE_JITTER_MS, timeoutMs: PROBE_TIMEOUT_MS }));
    const restProfile = await stopProfile(cdp, sourceMaps);
    const restTrace = summariseTrace(await keepTrace('live-at-rest', await browser.stopTracing()));
    const second = loadPublisher(PROFILE_S);
    await second.ready;
    second.go();
    await sleep(2000);
    await browser.startTracing(page, { categories });
    await startProfile(cdp);
    const profiledLoad = await withTimes(await runner.run({ untilMs: Date.now() + (PROFILE_S - 3) * 1000, spacingMs: PROBE_SPACING_MS, jitterMs: PROBE_JITTER_MS, timeoutMs: PROBE_TIMEOUT_MS }));
    const loadProfile = await stopProfile(cdp, sourceMaps);
    const loadTrace = summariseTrace(await keepTrace('live-under-load', await browser.stopTracing()));
    await second.done;
    await cdp.detach();
    console.log(`
Where the page's time goes (V8 CPU profile of the page's main thread, after the measurements; the profiler slows the page)`);
    describeProbes('  at rest, profiled', atRest);
    printProfile(`at rest, ${atRest.length} probes`, restProfile);
    printTrace(restTrace);
    describeProbes(`  under load, profiled`, profiledLoad);
    printProfile(`under load, ${PROFILE_S - 3} s`, loadProfile);
    printTrace(loadTrace);
  }

  const problems = loggedProblems(product.output());
  if (problems.count > 0) console.log(`  the product logged ${problems.count} warnings or errors, e.g. ${problems.first.join(' | ')}`);

  stopScreenshots = true;
  for (const client of nodeClients) client.socket.close();
  await context.close();
  await mqttClient.endAsync();
  forgetProbeClient();
  await storedClient.endAsync();
  forgetStoredClient();
  await product.stop();
  await rm(dir, { recursive: true, force: true });
}

/* ---------------------------------------------------------------------------------------------- */

async function benchInitialLoad(browser: Browser): Promise<void> {
  const dir = await mkdtemp(`${tmpdir()}/smartplace-bench-load-`);
  onCleanup('load data directory', () => rm(dir, { recursive: true, force: true }));
  const prepared = performance.now();
  const area = await prepareLargeEstate(dir, LARGE_STREETS, LARGE_DEVICES);
  const streets = area.geography.streets.features.length;
  console.log(
    `\nInitial load: ${LARGE_DEVICES} devices (4 in 5 air quality), ${streets} street segments, ${area.geography.wards.features.length} wards, each device with a reading (written in ${((performance.now() - prepared) / 1000).toFixed(1)} s)`,
  );
  const product = await startNpmProduct({ DATA_DIR: dir, DEMO: 'false' });
  console.log(`  npm start -- --no-simulator: ready in ${(product.readyMs / 1000).toFixed(1)} s (${load()})`);

  const areaStarted = performance.now();
  const areaBody = Buffer.from(await (await fetch(`${product.url}api/v1/area`)).arrayBuffer());
  const areaMs = performance.now() - areaStarted;
  const areaBytes = areaBody.length;
  const snapshotClient = connectNodeClient(product.url, null);
  const snapshotStarted = Date.now();
  while (snapshotClient.ledger.snapshotAt === undefined && Date.now() - snapshotStarted < 60_000) await sleep(10);
  const nodeSnapshotMs = (snapshotClient.ledger.snapshotAt ?? Number.NaN) - snapshotStarted;
  snapshotClient.socket.close();
  console.log(`  GET /api/v1/area from Node: ${kib(areaBytes)} in ${ms(areaMs)}; snapshot:v2 to a socket.io client: ${kib(snapshotClient.ledger.snapshotBytes)} in ${ms(nodeSnapshotMs)} from connecting`);

  const runs: (LoadMarks & { usable: number; snapshotBytes: number; screenshotDaqiPixels: number })[] = [];
  let snapshotText: string | undefined;
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const forget = onCleanup('browser context', () => context.close());
    const page = await context.newPage();
    await page.addInitScript({ content: pageInstruments(pageConfig(LARGE_DEVICES, null)) });
    const ledger = new ClientLedger();
    ledger.keepSnapshot = i === 0;
    page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => ledger.onFrame(payload)));
    await page.goto(product.url, { waitUntil: 'commit' });
    const marks = await loadMarks(page, 60_000);
    const shot = await page.locator('#map').screenshot();
    const screenshotDaqiPixels = DAQI_COLOURS.reduce((sum, colour) => sum + countColour(shot, colour, 0), 0);
    runs.push({ ...marks, usable: Math.max(marks.tableAt ?? Number.NaN, marks.markersAt ?? Number.NaN), snapshotBytes: ledger.snapshotBytes, screenshotDaqiPixels });
    snapshotText ??= ledger.snapshotText;
    await context.close();
    forget();
  }

  console.log(`  ${LOADS} page loads, each in a fresh browser context (ms from navigation start; ${load()} after):`);
  console.log(`    ${'load'.padEnd(6)}${'DOMContentLoaded'.padStart(17)}${'area JSON'.padStart(11)}${'snapshot'.padStart(10)}${'live'.padStart(7)}${'table filled'.padStart(12)}${'markers'.padStart(9)}${'usable'.padStart(8)}${'long tasks'.padStart(12)}${'DAQI px'.padStart(9)}`);
  runs.forEach((run, i) => {
    const longTasks = run.longTasks.filter((task) => task.start < run.usable).reduce((sum, task) => sum + task.duration, 0);
    console.log(
      `    ${String(i + 1).padEnd(6)}${run.domContentLoaded.toFixed(0).padStart(17)}${(run.areaFetch ? run.areaFetch.end.toFixed(0) : '–').padStart(11)}${(run.snapshotAt?.toFixed(0) ?? '–').padStart(10)}${(run.liveAt?.toFixed(0) ?? '–').padStart(7)}${(run.tableAt?.toFixed(0) ?? '–').padStart(12)}${(run.markersAt?.toFixed(0) ?? '–').padStart(9)}${run.usable.toFixed(0).padStart(8)}${longTasks.toFixed(0).padStart(12)}${String(run.screenshotDaqiPixels).padStart(9)}`,
    );
  });
  const usable = runs.map((run) => run.usable);
  const median = quantile(usable, 0.5);
  console.log(`  usable map (table filled and markers drawn): median ${ms(median)}, max ${ms(Math.max(...usable))}; budget ≤ ${BUDGET.usableMapMs} ms: ${median <= BUDGET.usableMapMs ? 'met' : 'NOT MET'}`);
  console.log(
    `  snapshot: ${runs[0]?.snapshotBytes ?? 0} bytes (${kib(runs[0]?.snapshotBytes ?? 0)}) as the page received it, arriving at median ${ms(quantile(runs.map((run) => run.snapshotAt ?? Number.NaN), 0.5))}, max ${ms(Math.max(...runs.map((run) => run.snapshotAt ?? Number.NaN)))}; /api/v1/area ${runs[0]?.areaFetch?.bytes ?? 0} bytes`,
  );
  // Measured after the loads, so the compression does not compete with a page for the CPU.
  const gzipped = (body: Buffer | string | undefined) => (body === undefined ? Number.NaN : gzipSync(body, { level: 6 }).length);
  console.log(
    `  gzipped (level 6): /api/v1/area ${kib(gzipped(areaBody))}, snapshot ${kib(gzipped(snapshotText))} (the server gzips HTTP answers, and socket.io deflates messages over 1 KiB; the page's byte counts above are what it decoded)`,
  );
  const longest = runs.flatMap((run) => run.longTasks).sort((a, b) => b.duration - a.duration).slice(0, 5);
  console.log(`  longest main-thread tasks (start → duration): ${longest.map((task) => `${task.start.toFixed(0)} → ${task.duration.toFixed(0)} ms`).join(', ')}`);

  if (PROFILE_PROBES > 0 || PROFILE_S > 0) {
    // One more load under a CPU profile and a trace, to see where the time goes (slower for it).
    const context = await browser.newContext({ viewport: VIEWPORT });
    const forget = onCleanup('browser context', () => context.close());
    const page = await context.newPage();
    await page.addInitScript({ content: pageInstruments(pageConfig(LARGE_DEVICES, null)) });
    const cdp = await context.newCDPSession(page);
    const sourceMaps = readSourceMaps();
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'gpu'] });
    await startProfile(cdp);
    await page.goto(product.url, { waitUntil: 'commit' });
    const marks = await loadMarks(page, 90_000);
    const profile = await stopProfile(cdp, sourceMaps);
    const trace = summariseTrace(await keepTrace('initial-load', await browser.stopTracing()));
    console.log(
      `\n  Where the load's time goes (one more load under a V8 CPU profile and a trace, slower for it): table filled ${ms(marks.tableAt ?? Number.NaN)}, markers ${ms(marks.markersAt ?? Number.NaN)}`,
    );
    printProfile('profiled load', profile);
    printTrace(trace);
    await context.close();
    forget();
  }
  await product.stop();
  await rm(dir, { recursive: true, force: true });
}

/* ---------------------------------------------------------------------------------------------- */

export async function benchLive(): Promise<void> {
  console.log(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${load()} at the start`);
  let browser: Browser | undefined;
  try {
    if (SECTIONS.includes('bundle')) benchBundle();
    if (SECTIONS.includes('live') || SECTIONS.includes('load')) {
      browser = await launchBrowser();
      console.log(`Chromium ${browser.version()} (headless, --disable-gpu: WebGL in SwiftShader, software compositing), viewport ${VIEWPORT.width}×${VIEWPORT.height}`);
    }
    if (browser && SECTIONS.includes('live')) await benchLiveMap(browser);
    if (browser && SECTIONS.includes('load')) await benchInitialLoad(browser);
  } finally {
    await cleanup();
    await browser?.close();
  }
}
