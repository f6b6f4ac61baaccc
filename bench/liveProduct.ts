import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './ingestProcesses.js';

/**
 * `npm start -- --no-simulator` as the live-map benchmark runs it: its own process group (npm, the
 * shell, Smartplace and the embedded database's host), so stopping signals the whole tree; a tree
 * that has not exited 30 s after Ctrl-C is killed. Registered with the benchmarks' cleanup.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface NpmProduct {
  url: string;
  mqttUrl: string;
  /** Milliseconds from the spawn to "Ready in". */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function stopGroup(pid: number, exited: Promise<void>): Promise<void> {
  if (!groupAlive(pid)) return;
  signalGroup(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  // npm may be gone before its children: wait for the whole group, then force it.
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
}

export async function startNpmProduct(env: Record<string, string>, readyTimeoutMs = 180_000): Promise<NpmProduct> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent', '--', '--no-simulator'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', MQTT_PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid as number;
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-500_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const forget = onCleanup('npm start', () => stopGroup(pid, exited));
  const ready = await new Promise<{ url: string; mqttUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not become ready within ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const check = () => {
      const url = /Map:\s+(http:\/\/\S+)/.exec(output)?.[1];
      const mqttUrl = /MQTT:\s+(mqtt:\/\/\S+)/.exec(output)?.[1];
      if (!url || !mqttUrl || !/Ready in/.test(output)) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve({ url, mqttUrl });
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (code ${child.exitCode}) before it was ready:\n${output}`));
    });
  });
  return {
    ...ready,
    readyMs: performance.now() - started,
    output: () => output,
    async stop() {
      await stopGroup(pid, exited);
      forget();
    },
  };
}
