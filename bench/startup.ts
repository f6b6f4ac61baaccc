import { PGlite } from '@electric-sql/pglite';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { DAQI_COLOURS } from '../core/daqi.js';
import { countColour, launchBrowser } from '../test/support/browser.js';
import { commandOf, descendants, memoryOf } from '../test/support/processes.js';

/**
 * Start-up and idle memory of `npm start`, as a newcomer runs it (simulator on, everything
 * embedded). Each run spawns `npm start` and times, from the spawn:
 *   ready   — the "Ready in" line (database started and migrated, broker, ingest, server up);
 *   socket  — the first live reading on a socket.io client that connects as soon as the URL is printed;
 *   map     — the first DAQI-coloured marker on the map in Chromium (browser launched beforehand,
 *             page opened as soon as the URL is printed).
 * Cold runs use a fresh data directory (first start: migrations); warm runs reuse it.
 * Baseline, measured in the same run: opening PGlite + TimescaleDB alone in this process.
 * Idle memory: resident set of the product's processes after IDLE_S seconds of the demo running.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 30);

interface Run {
  readyMs: number;
  socketMs: number;
  mapMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function describeMs(values: number[]): string {
  return `${(median(values) / 1000).toFixed(2)} s (${(Math.min(...values) / 1000).toFixed(2)}–${(Math.max(...values) / 1000).toFixed(2)})`;
}

function startNpm(dataDir: string): { child: ChildProcess; output: () => string; url: Promise<string> } {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so the whole tree can be signalled
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Map:\s+(http:\/\/\S+)/.exec(output);
      if (match && /Ready in/.test(output)) resolve(match[1] as string);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
  return { child, output: () => output, url };
}

async function stopTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-(child.pid as number), 'SIGINT');
  await exited;
}

async function onceRun(dataDir: string, browser: Browser): Promise<Run> {
  const started = performance.now();
  const product = startNpm(dataDir);
  try {
    const url = await product.url;
    const readyMs = performance.now() - started;
    const socket = io(url, { transports: ['websocket'] });
    const socketMs = new Promise<number>((resolve) => socket.once('readings:v1', () => resolve(performance.now() - started)));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    let mapMs: number | undefined;
    while (mapMs === undefined && performance.now() - started < 60_000) {
      const shot = await page.locator('#map').screenshot();
      if (DAQI_COLOURS.some((colour) => countColour(shot, colour, 0) > 30)) mapMs = performance.now() - started;
    }
    await page.close();
    const result = { readyMs, socketMs: await socketMs, mapMs: mapMs ?? Number.NaN };
    socket.close();
    return result;
  } finally {
    await stopTree(product.child);
  }
}

async function databaseOpenMs(dataDir: string): Promise<number> {
  const started = performance.now();
  const db = await PGlite.create({ dataDir, extensions: { timescaledb } });
  await db.exec("CREATE EXTENSION IF NOT EXISTS timescaledb; LOAD 'timescaledb'");
  const elapsed = performance.now() - started;
  await db.close();
  return elapsed;
}

export async function benchStartup(): Promise<void> {
  const browser = await launchBrowser();
  const coldDir = await mkdtemp(`${tmpdir()}/smartplace-bench-`);
  const baselineDir = await mkdtemp(`${tmpdir()}/smartplace-bench-pglite-`);
  try {
    const baselineCold = await databaseOpenMs(baselineDir);
    const baselineWarm = [await databaseOpenMs(baselineDir), await databaseOpenMs(baselineDir)];
    const cold: Run[] = [];
    const warm: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = `${coldDir}/cold-${i}`;
      cold.push(await onceRun(dir, browser));
      warm.push(await onceRun(dir, browser));
    }

    console.log(`\nStart-up of npm start (${RUNS} cold + ${RUNS} warm runs; median (min–max), from spawning npm start)`);
    console.log(`  ${'phase'.padEnd(44)}${'cold (fresh ./data)'.padEnd(26)}warm (existing ./data)`);
    const row = (label: string, key: keyof Run) =>
      console.log(`  ${label.padEnd(44)}${describeMs(cold.map((r) => r[key])).padEnd(26)}${describeMs(warm.map((r) => r[key]))}`);
    row('"Ready" printed', 'readyMs');
    row('first live reading on socket.io', 'socketMs');
    row('first live reading drawn on the map', 'mapMs');
    console.log(`  baseline: PGlite + TimescaleDB open alone     ${(baselineCold / 1000).toFixed(2)} s cold, ${(median(baselineWarm) / 1000).toFixed(2)} s warm`);
    console.log(
      `  ratio "Ready" / baseline                     ${(median(cold.map((r) => r.readyMs)) / baselineCold).toFixed(2)} cold, ${(median(warm.map((r) => r.readyMs)) / median(baselineWarm)).toFixed(2)} warm`,
    );

    // Idle memory: the demo running (simulator on), no browser connected.
    const product = startNpm(`${coldDir}/cold-0`);
    try {
      await product.url;
      await new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000));
      console.log(`\nMemory after ${IDLE_S} s of the demo running, no browser connected (resident / peak, MiB)`);
      // By now the client-build check has long exited: the node processes left are the product's.
      let productTotal = 0;
      for (const pid of descendants(product.child.pid as number)) {
        const command = commandOf(pid);
        if (!command.startsWith(process.execPath) && !command.startsWith('node ')) continue;
        const role = command.includes('embedded/hostProcess.ts') ? 'embedded TimescaleDB (child process)' : 'Smartplace (broker, ingest, server, simulator)';
        const { rss, hwm } = memoryOf(pid);
        productTotal += rss;
        console.log(`  ${role.padEnd(50)}${rss.toFixed(0).padStart(6)} / ${hwm.toFixed(0)}`);
      }
      const npm = memoryOf(product.child.pid as number);
      console.log(`  ${'total of the two'.padEnd(50)}${productTotal.toFixed(0).padStart(6)}`);
      console.log(`  ${'(npm itself, the parent of `npm start`)'.padEnd(50)}${npm.rss.toFixed(0).padStart(6)} / ${npm.hwm.toFixed(0)}`);
    } finally {
      await stopTree(product.child);
    }
  } finally {
    await browser.close();
    await rm(coldDir, { recursive: true, force: true });
    await rm(baselineDir, { recursive: true, force: true });
  }
}
