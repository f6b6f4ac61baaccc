import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Runs `smartplace start` the way `npm start` does (same entry point, same defaults), as a child
 * process, and reads the URLs it prints. Tests pass only what they must change through `env`.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface RunningProduct extends RunningCommand {
  mapUrl: string;
  mqttUrl: string;
}

export interface StartOptions {
  env?: Record<string, string>;
  args?: string[];
  readyTimeoutMs?: number;
}

export function runSmartplace(command: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, 'cli/smartplace.ts', ...command], {
    cwd: ROOT,
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a command to completion: exit code and everything it printed. */
export function runToExit(command: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const child = runSmartplace(command, env);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`smartplace ${command.join(' ')} did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export interface RunningCommand {
  process: ChildProcess;
  output(): string;
  /** Ctrl-C: a clean shutdown. Resolves with the exit code. */
  stop(): Promise<number | null>;
  /** kill -9 of the process (an embedded database child then shuts itself down). */
  kill(): Promise<void>;
}

/** Starts any `smartplace` command and waits until it prints `ready`. */
export async function startCommand(command: string[], env: Record<string, string>, ready: RegExp, readyTimeoutMs = 60_000): Promise<RunningCommand> {
  const child = runSmartplace(command, env);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smartplace ${command.join(' ')} did not become ready:\n${output}`)), readyTimeoutMs);
    const check = () => {
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`smartplace exited with code ${code} before it was ready:\n${output}`));
    });
  });

  return {
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function startProduct(options: StartOptions = {}): Promise<RunningProduct> {
  const running = await startCommand(['start', ...(options.args ?? [])], options.env ?? {}, /Ready in [\d.]+ s/, options.readyTimeoutMs);
  const output = running.output();
  const mapUrl = /Map:\s+(http:\/\/\S+)/.exec(output)?.[1];
  const mqttUrl = /MQTT:\s+(mqtts?:\/\/\S+)/.exec(output)?.[1];
  if (!mapUrl || !mqttUrl) throw new Error(`could not read the URLs from the start-up banner:\n${output}`);
  return { ...running, mapUrl, mqttUrl };
}

/** After a kill -9 the orphaned database host closes itself; wait until it has let go of the directory. */
export async function waitForDataDirRelease(dataDir: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(`${dataDir}/smartplace.lock`)) {
    if (Date.now() > deadline) throw new Error(`${dataDir} is still locked after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Polls until `probe` returns something other than undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
