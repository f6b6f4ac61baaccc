import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CDPSession } from 'playwright-core';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';
import { commandOf, descendants } from '../test/support/processes.js';

/**
 * Where the live-map benchmark's time goes: CPU used by each process of the set-up (from /proc,
 * Linux), and the page's JavaScript time by source file (a V8 CPU profile mapped back through the
 * client build's source maps; source-map-js comes with Vite).
 */

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const ASSETS = fileURLToPath(new URL('../client/dist/assets/', import.meta.url));

function label(pid: number): string {
  if (pid === process.pid) return 'bench (Playwright, 19 socket.io clients, probes)';
  let command: string;
  try {
    command = commandOf(pid);
  } catch {
    return 'gone';
  }
  if (command.includes('--type=renderer')) return 'Chromium renderer (the page)';
  if (command.includes('--type=gpu-process')) return 'Chromium GPU process (WebGL in SwiftShader)';
  if (command.includes('--type=')) return 'Chromium other (network, utility…)';
  if (command.includes('chromium')) return 'Chromium browser process';
  if (command.includes('hostProcess.ts')) return 'product: embedded TimescaleDB';
  if (command.includes('cli/smartplace.ts')) return 'product: Smartplace (broker, ingest, server)';
  if (command.includes('livePublisher.ts')) return 'bench: load publisher';
  return 'other (npm, sh, esbuild)';
}

function ticksOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
  } catch {
    return 0;
  }
}

function machineTicks(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuSample {
  at: number;
  ticks: Map<number, number>;
  machine: { busy: number; total: number };
}

/** CPU ticks of this process and all its descendants (Chromium, npm start's tree, the publisher). */
export function sampleCpu(): CpuSample {
  const pids = [process.pid, ...descendants(process.pid)];
  return { at: performance.now(), ticks: new Map(pids.map((pid) => [pid, ticksOf(pid)])), machine: machineTicks() };
}

/** Share of one core each kind of process used between two samples, and the whole machine's. */
export function cpuShares(before: CpuSample, after: CpuSample): { rows: [string, number][]; machineBusy: number; ours: number } {
  const seconds = (after.at - before.at) / 1000;
  const byLabel = new Map<string, number>();
  for (const [pid, ticks] of after.ticks) {
    const used = (ticks - (before.ticks.get(pid) ?? 0)) / TICKS_PER_SECOND / seconds;
    byLabel.set(label(pid), (byLabel.get(label(pid)) ?? 0) + used);
  }
  const rows = [...byLabel].sort((a, b) => b[1] - a[1]);
  const cores = (after.machine.total - before.machine.total) / TICKS_PER_SECOND / seconds;
  const machineBusy = ((after.machine.busy - before.machine.busy) / TICKS_PER_SECOND / seconds) * (cores > 0 ? 1 : 0);
  return { rows, machineBusy, ours: rows.reduce((sum, [, share]) => sum + share, 0) };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by original source: a package, a client file, or a V8 category such as (program). */
  self: [string, number][];
  /** Time with a client function on the stack (its callees included), by file and function. */
  inclusive: [string, number][];
}

/**
 * The client build's source maps as they are now: read when the page loads, because a rebuild
 * (`npm start` rebuilds when client/ changed) empties client/dist.
 */
export function readSourceMaps(): Map<string, RawSourceMap> {
  const maps = new Map<string, RawSourceMap>();
  if (!existsSync(ASSETS)) return maps;
  for (const name of readdirSync(ASSETS)) {
    if (name.endsWith('.js.map')) maps.set(name.slice(0, -'.map'.length), JSON.parse(readFileSync(`${ASSETS}${name}`, 'utf8')) as RawSourceMap);
  }
  return maps;
}

/** The page's main thread over the profile, mapped back to original sources. */
export async function stopProfile(cdp: CDPSession, sourceMaps: ReadonlyMap<string, RawSourceMap>): Promise<ProfileSummary> {
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  const maps = new Map<string, SourceMapConsumer | null>();
  const consumer = (url: string) => {
    const file = url.split('/assets/')[1];
    if (!file) return null;
    if (!maps.has(file)) {
      const raw = sourceMaps.get(file);
      maps.set(file, raw ? new SourceMapConsumer(raw) : null);
    }
    return maps.get(file) ?? null;
  };
  const sourceOf = new Map<number, string>();
  const clientFunctionOf = new Map<number, string>();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parentOf.set(child, node.id);
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    let source: string;
    if (!url) source = functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
    else {
      const original = consumer(url)?.originalPositionFor({ line: lineNumber + 1, column: columnNumber });
      source = original?.source ? simplify(original.source) : url.replace(/^https?:\/\/[^/]+\//, '');
      if (source.startsWith('client/')) clientFunctionOf.set(node.id, `${source} ${original?.name ?? functionName ?? ''}`.trim());
    }
    sourceOf.set(node.id, source);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const source = sourceOf.get(id) ?? '?';
    self.set(source, (self.get(source) ?? 0) + ms);
    const onStack = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
      const name = clientFunctionOf.get(node);
      if (name) onStack.add(name);
    }
    for (const name of onStack) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
  });
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { totalMs, self: sorted(self), inclusive: sorted(inclusive) };
}

/** `../../node_modules/@deck.gl/core/dist/lib/deck.js` → `@deck.gl/core`; `../src/layers.ts` → `client/src/layers.ts`. */
function simplify(source: string): string {
  const modules = source.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = source.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
  }
  const trimmed = source.replace(/^(\.\.\/)+/, '');
  return trimmed.startsWith('src/') ? `client/${trimmed}` : trimmed;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Self time by trace event on the page's main thread (CrRendererMain) from a Chromium trace
 * (devtools.timeline): where the native time a CPU profile calls "(program)" goes — style, layout,
 * paint, GPU command encoding.
 */
export function summariseTrace(trace: Buffer): { spanMs: number; rows: [string, number][] } {
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined && mains.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const byThread = new Map<string, { end: number; event: TraceEvent; children: number }[]>();
  const close = (frame: { event: TraceEvent; children: number }) =>
    self.set(frame.event.name, (self.get(frame.event.name) ?? 0) + ((frame.event.dur ?? 0) - frame.children) / 1000);
  for (const event of complete) {
    const key = `${event.pid}:${event.tid}`;
    const stack = byThread.get(key) ?? [];
    byThread.set(key, stack);
    while (stack.length > 0 && (stack[stack.length - 1] as { end: number }).end <= event.ts) close(stack.pop() as { event: TraceEvent; children: number });
    const parent = stack[stack.length - 1];
    if (parent) parent.children += event.dur ?? 0;
    stack.push({ end: event.ts + (event.dur ?? 0), event, children: 0 });
  }
  for (const stack of byThread.values()) while (stack.length > 0) close(stack.pop() as { event: TraceEvent; children: number });
  const first = complete[0]?.ts ?? 0;
  const last = complete.reduce((max, e) => Math.max(max, e.ts + (e.dur ?? 0)), first);
  return { spanMs: (last - first) / 1000, rows: [...self].sort((a, b) => b[1] - a[1]) };
}
