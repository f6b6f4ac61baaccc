import mqtt from 'mqtt';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * A private Mosquitto for tests and benchmarks, on a free port of 127.0.0.1, never the shared one
 * on 1883. `config: 'project'` runs deploy/mosquitto/mosquitto.conf (the tuned settings compose
 * uses) with only the listener, the persistence directory and the log destination changed;
 * `'defaults'` runs Mosquitto's own defaults plus a listener, to compare against.
 */

export const MOSQUITTO_BINARY = process.env.MOSQUITTO_BINARY ?? '/usr/sbin/mosquitto';
const PROJECT_CONFIG = fileURLToPath(new URL('../../deploy/mosquitto/mosquitto.conf', import.meta.url));

export interface MosquittoOptions {
  config?: 'project' | 'defaults';
  /** Kept after stop(); without it a temporary directory is made and removed by stop(). */
  dataDir?: string;
  /** Without it a free port is chosen (and another one tried if it is taken meanwhile). */
  port?: number;
  readyTimeoutMs?: number;
}

export interface RunningMosquitto {
  port: number;
  url: string;
  dataDir: string;
  /** The current broker process (a restart changes it). */
  readonly pid: number;
  /** What the broker has logged (its last 64 KiB). */
  output(): string;
  /** SIGTERM and wait: Mosquitto writes its persistence file on the way out. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash, with nothing saved since the last autosave. */
  kill(): Promise<void>;
  /** Stops (if running) and starts again on the same port and data directory. */
  restart(): Promise<void>;
}

/** Every line of the project file except those the launcher replaces. */
function projectSettings(): string[] {
  const replaced = /^\s*(listener|port|bind_address|persistence_location|log_dest|pid_file|user)\b/;
  return readFileSync(PROJECT_CONFIG, 'utf8')
    .split('\n')
    .filter((line) => !replaced.test(line));
}

export function mosquittoConfig(kind: 'project' | 'defaults', port: number, dataDir: string): string {
  const lines = [
    `# Written by test/support/mosquitto.ts (${kind === 'project' ? `from ${PROJECT_CONFIG}` : "Mosquitto's defaults"})`,
    `listener ${port} 127.0.0.1`,
    // Mosquitto 2 refuses anonymous clients on a configured listener unless told otherwise.
    ...(kind === 'defaults' ? ['allow_anonymous true'] : projectSettings()),
    `persistence_location ${dataDir}/`,
    'log_dest stderr',
    // Started as root, Mosquitto would switch to the "mosquitto" user and lose access to the data directory.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
  ];
  return `${lines.join('\n')}\n`;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('could not find a free port');
  return address.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

class AddressInUseError extends Error {}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<RunningMosquitto> {
  const kind = options.config ?? 'project';
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(`${tmpdir()}/smartplace-mosquitto-`);
  mkdirSync(dataDir, { recursive: true });
  const configFile = `${dataDir}/mosquitto.conf`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';
  // A broker left behind by a test process that exits without stopping it.
  const killOnExit = () => child?.kill('SIGKILL');

  const spawnOn = async (port: number): Promise<void> => {
    writeFileSync(configFile, mosquittoConfig(kind, port, dataDir));
    const started = spawn(MOSQUITTO_BINARY, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    const append = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-65_536);
    };
    started.stderr?.on('data', append);
    let exitCode: number | null | undefined;
    exited = new Promise((resolve) =>
      started.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    started.once('error', (error) => append(Buffer.from(`\n${error.message}\n`)));
    const deadline = performance.now() + readyTimeoutMs;
    while (!(await canConnect(port))) {
      if (exitCode !== undefined || started.exitCode !== null) {
        await exited;
        const message = `mosquitto exited with code ${exitCode ?? started.exitCode} on port ${port}:\n${log}`;
        throw /Address already in use/i.test(log) ? new AddressInUseError(message) : new Error(message);
      }
      if (performance.now() > deadline) {
        started.kill('SIGKILL');
        await exited;
        throw new Error(`mosquitto did not accept connections on port ${port} within ${readyTimeoutMs} ms:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  let port = options.port ?? (await freePort());
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await spawnOn(port);
        break;
      } catch (error) {
        // Another process took the free port between our check and Mosquitto's bind: try another.
        if (!(error instanceof AddressInUseError) || options.port !== undefined || attempt >= 5) throw error;
        port = await freePort();
      }
    }
  } catch (error) {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  process.on('exit', killOnExit);

  const signal = async (name: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };

  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dataDir,
    get pid() {
      return child?.pid ?? -1;
    },
    output: () => log,
    async stop() {
      await signal('SIGTERM');
      process.off('exit', killOnExit);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => signal('SIGKILL'),
    async restart() {
      await signal('SIGTERM');
      mkdirSync(dataDir, { recursive: true });
      await spawnOn(port);
      process.off('exit', killOnExit);
      process.on('exit', killOnExit);
    },
  };
}

/** Ends a client's session on a broker (clean start, no expiry), so a test leaves none behind on a shared broker. */
export async function endMqttSession(url: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId, clean: true, properties: { sessionExpiryInterval: 0 } });
  await client.endAsync();
}

/** Removes a retained message (an ingest process's status, say) from a broker. */
export async function clearRetained(url: string, topic: string): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5 });
  await client.publishAsync(topic, '', { retain: true, qos: 1 });
  await client.endAsync();
}
