import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BaselineCommand, BaselineMessage, BaselineOptions, PublisherCommand, PublisherMessage, PublisherOptions, PublisherResult } from './ingestLoad.js';

/**
 * The processes the ingest benchmark runs: Smartplace commands (`db`, `ingest`, `start`), the
 * publishers and the baseline subscriber. Every one is registered with `cleanup` as it starts, so a
 * failure or Ctrl-C stops them all (in reverse order) and nothing is left running.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = import.meta.resolve('tsx');

type Stopper = () => Promise<void>;
const stoppers = new Map<number, { name: string; stop: Stopper }>();
let nextStopper = 0;
/** Processes SIGSTOPped by the benchmark: continued before anything is stopped. */
export const suspended = new Set<number>();

export function onCleanup(name: string, stop: Stopper): () => void {
  const id = nextStopper++;
  stoppers.set(id, { name, stop });
  return () => stoppers.delete(id);
}

/** Stops everything still registered, newest first. */
export async function cleanup(): Promise<void> {
  for (const pid of suspended) signal(pid, 'SIGCONT');
  suspended.clear();
  for (const [id, { name, stop }] of [...stoppers].reverse()) {
    stoppers.delete(id);
    await stop().catch((error: unknown) => console.error(`  cleanup: stopping ${name} failed: ${(error as Error).message}`));
  }
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** What a Smartplace process logged at warn level or above (its logs are JSON lines): how many, and the first few. */
export function loggedProblems(output: string): { count: number; first: string[] } {
  const problems: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) >= 40) problems.push(`${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`);
    } catch {
      // not a log line
    }
  }
  return { count: problems.length, first: [...new Set(problems)].slice(0, 3) };
}

/** Resident memory of a process in MiB (0 once it has exited). */
export function rssMiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** Sends `first`, waits up to `timeoutMs`, then SIGKILL. */
async function stopChild(child: ChildProcess, first: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitOf(child);
  child.kill(first);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export interface SmartplaceProcess {
  pid: number;
  output(): string;
  running(): boolean;
  /** Ctrl-C (ingest writes what it has first); SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Runs `smartplace <command>` (as `npm run smartplace` does, without npm in between so the pid is
 * Smartplace's own) in its own process group, and resolves when its output matches `ready`.
 */
export async function startSmartplace(name: string, command: string[], env: Record<string, string>, ready: RegExp, readyTimeoutMs = 120_000): Promise<SmartplaceProcess> {
  const child = spawn(process.execPath, ['--import', TSX, 'cli/smartplace.ts', ...command], {
    cwd: ROOT,
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches only the benchmark, which stops things in order.
    detached: true,
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const stop = (timeoutMs = 120_000) => stopChild(child, 'SIGINT', timeoutMs);
  const forget = onCleanup(name, () => stop(30_000));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not become ready within ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const check = () => {
      if (!ready.test(output)) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve();
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code}, signal ${sig}) before it was ready:\n${output}`));
    });
  });
  return {
    pid: child.pid as number,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop(timeoutMs) {
      await stop(timeoutMs);
      forget();
    },
  };
}

export interface EmbeddedDb extends SmartplaceProcess {
  url: string;
}

/** `smartplace db`: the embedded TimescaleDB alone, serving one connection at a time. */
export async function startEmbeddedDb(dataDir: string): Promise<EmbeddedDb> {
  const db = await startSmartplace('embedded database', ['db'], { DATA_DIR: dataDir, EMBEDDED_DB_PORT: '0' }, /psql -h 127\.0\.0\.1 -p \d+/);
  const port = /psql -h 127\.0\.0\.1 -p (\d+)/.exec(db.output())?.[1];
  return { ...db, url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable` };
}

export interface Publishers {
  /** Starts every publisher at the same moment; resolves with their totals when all are done. */
  run(): Promise<PublisherResult & { publishers: number }>;
  /** Ends publishing early (each waits for its acknowledgements, then reports). */
  stop(): void;
}

/**
 * Forks `count` publishers (each in its own process group, like every child here, so a Ctrl-C
 * reaches only the benchmark) sharing the `devices` (each takes a contiguous slice) and `rate`, connected
 * to `url`; resolves once all are connected.
 */
export async function forkPublishers(options: { url: string; devices: number; rate: number; seconds: number; count: number }): Promise<Publishers> {
  const script = fileURLToPath(new URL('./ingestPublisher.ts', import.meta.url));
  const children: ChildProcess[] = [];
  const results: Promise<PublisherResult>[] = [];
  const readies: Promise<void>[] = [];
  const per = Math.ceil(options.devices / options.count);
  for (let i = 0; i < options.count; i++) {
    const publisher: PublisherOptions = {
      url: options.url,
      devices: options.devices,
      from: i * per,
      to: Math.min(options.devices, (i + 1) * per),
      rate: options.rate / options.count,
      seconds: options.seconds,
      maxOutstanding: 20_000,
      clientId: `smartplace-bench-publisher-${i + 1}`,
    };
    const child = fork(script, [JSON.stringify(publisher)], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    children.push(child);
    onCleanup(`publisher ${i + 1}`, () => stopChild(child, 'SIGTERM', 5000));
    readies.push(
      new Promise((resolve, reject) => {
        child.on('message', (message: PublisherMessage) => message.type === 'ready' && resolve());
        child.once('exit', (code) => reject(new Error(`publisher ${i + 1} exited (code ${code}) before it was ready`)));
      }),
    );
    results.push(
      new Promise((resolve, reject) => {
        child.on('message', (message: PublisherMessage) => {
          if (message.type === 'done') resolve({ sent: message.sent, acked: message.acked, firstAt: message.firstAt, lastAt: message.lastAt });
        });
        child.once('exit', (code) => reject(new Error(`publisher ${i + 1} exited (code ${code}) before reporting`)));
      }),
    );
  }
  // An unhandled rejection here would end the benchmark before cleanup; run() reports it instead.
  for (const result of results) result.catch(() => undefined);
  await Promise.all(readies);
  const command = (message: PublisherCommand) => children.forEach((child) => child.connected && child.send(message));
  return {
    async run() {
      command({ type: 'go', startAt: Date.now() + 100 });
      const all = await Promise.all(results);
      await Promise.all(children.map(exitOf));
      return {
        publishers: all.length,
        sent: all.reduce((sum, r) => sum + r.sent, 0),
        acked: all.reduce((sum, r) => sum + r.acked, 0),
        firstAt: Math.min(...all.map((r) => r.firstAt)),
        lastAt: Math.max(...all.map((r) => r.lastAt)),
      };
    },
    stop: () => command({ type: 'stop' }),
  };
}

export interface Baseline {
  pid: number;
  receiveMaximum: number | undefined;
  /** Committed so far, and when the last commit was. */
  progress(): { committed: number; lastCommitAt: number };
  finish(): Promise<Extract<BaselineMessage, { type: 'result' }>>;
}

/** Forks the bare subscriber (bench/ingestBaseline.ts); resolves once it has subscribed. */
export async function forkBaseline(options: BaselineOptions): Promise<Baseline> {
  const script = fileURLToPath(new URL('./ingestBaseline.ts', import.meta.url));
  const child = fork(script, [JSON.stringify(options)], { execArgv: ['--import', TSX], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  const forget = onCleanup('baseline subscriber', () => stopChild(child, 'SIGTERM', 5000));
  let latest = { committed: 0, lastCommitAt: 0 };
  let onResult: (result: Extract<BaselineMessage, { type: 'result' }>) => void = () => undefined;
  const ready = new Promise<number | undefined>((resolve, reject) => {
    child.on('message', (message: BaselineMessage) => {
      switch (message.type) {
        case 'ready':
          resolve(message.receiveMaximum);
          break;
        case 'progress':
          latest = { committed: message.committed, lastCommitAt: message.lastCommitAt };
          break;
        case 'result':
          onResult(message);
          break;
      }
    });
    child.once('exit', (code) => reject(new Error(`the baseline subscriber exited (code ${code})`)));
  });
  const receiveMaximum = await ready;
  return {
    pid: child.pid as number,
    receiveMaximum,
    progress: () => latest,
    async finish() {
      const result = new Promise<Extract<BaselineMessage, { type: 'result' }>>((resolve, reject) => {
        onResult = resolve;
        child.once('exit', (code) => reject(new Error(`the baseline subscriber exited (code ${code}) before reporting`)));
      });
      child.send({ type: 'finish' } satisfies BaselineCommand);
      const message = await result;
      await exitOf(child);
      forget();
      return message;
    },
  };
}

/** Samples the resident memory of some processes every `intervalMs`; stop() returns each one's peak. */
export function sampleRss(pids: Record<string, number>, intervalMs: number): { stop(): Record<string, number>; current(): Record<string, number> } {
  const peaks: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  let current: Record<string, number> = {};
  const sample = () => {
    current = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMiB(pid)]));
    for (const [name, value] of Object.entries(current)) peaks[name] = Math.max(peaks[name] ?? 0, value);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
    current: () => current,
  };
}
