import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PortSetting } from '../../core/config.js';
import type { HostMessage, HostOptions, ParentMessage } from './protocol.js';

/**
 * Starts the embedded TimescaleDB host as a child process and keeps it running: if it exits
 * unexpectedly it is started again on the same port, so the connection pool reconnects to the same
 * URL. Stopping asks it to close PostgreSQL cleanly.
 */

export interface EmbeddedDatabaseEvents {
  onUnexpectedExit(detail: { code: number | null; signal: NodeJS.Signals | null; restartInMs: number }): void;
  onRestarted(detail: { startupMs: number }): void;
  onRestartFailed(error: Error): void;
}

export class EmbeddedDatabaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const HOST_SCRIPT = fileURLToPath(new URL('./hostProcess.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

export class EmbeddedDatabase {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartDelayMs = 500;

  private constructor(
    private readonly dataDir: string,
    readonly port: number,
    readonly fellBackFrom: number | undefined,
    private readonly events: Partial<EmbeddedDatabaseEvents>,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres?sslmode=disable`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  static async start(dataDir: string, port: PortSetting, events: Partial<EmbeddedDatabaseEvents> = {}): Promise<EmbeddedDatabase> {
    const { child, ready } = await spawnHost({ dataDir, port: port.port, explicitPort: port.explicit });
    const database = new EmbeddedDatabase(dataDir, ready.port, ready.fellBackFrom, events);
    database.watch(child);
    return database;
  }

  private watch(child: ChildProcess): void {
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const restartInMs = this.restartDelayMs;
      this.events.onUnexpectedExit?.({ code, signal, restartInMs });
      this.restartDelayMs = Math.min(this.restartDelayMs * 2, 10_000);
      setTimeout(() => void this.restart(), restartInMs).unref();
    });
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    try {
      // Same port, now explicit: the pool keeps its URL, and a port stolen meanwhile is an error.
      const { child, ready } = await spawnHost({ dataDir: this.dataDir, port: this.port, explicitPort: true });
      if (this.stopping) {
        child.send({ type: 'stop' } satisfies ParentMessage);
        return;
      }
      this.restartDelayMs = 500;
      this.watch(child);
      this.events.onRestarted?.({ startupMs: ready.startupMs });
    } catch (error) {
      this.events.onRestartFailed?.(error as Error);
      setTimeout(() => void this.restart(), this.restartDelayMs).unref();
      this.restartDelayMs = Math.min(this.restartDelayMs * 2, 10_000);
    }
  }

  /** Asks the host to close PostgreSQL cleanly; kills it if it has not exited after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

function spawnHost(options: HostOptions): Promise<{ child: ChildProcess; ready: Extract<HostMessage, { type: 'ready' }> }> {
  return new Promise((resolve, reject) => {
    const child = fork(HOST_SCRIPT, [JSON.stringify(options)], {
      execArgv: ['--import', TSX_LOADER],
      // Its own process group, so a Ctrl-C in the terminal reaches only the parent, which stops the
      // database last, after ingest has flushed.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new EmbeddedDatabaseError('db.embedded_start_failed', `the embedded database exited while starting (code ${code}, signal ${signal})`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (message: HostMessage) => {
      switch (message.type) {
        case 'ready':
          child.off('exit', onExit);
          resolve({ child, ready: message });
          break;
        case 'failed':
          child.off('exit', onExit);
          reject(new EmbeddedDatabaseError(message.code, message.message));
          break;
      }
    });
  });
}
