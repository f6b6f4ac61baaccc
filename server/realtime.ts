import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, LiveSnapshot, ServerToClientEvents } from '../core/events.js';

/**
 * Live updates over socket.io, typed by the event maps in core/. A client gets a snapshot when it
 * connects (and again whenever it reconnects), then every reading as it is committed.
 */

export interface Realtime {
  /** The one place that sends to browsers. */
  send<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  readonly clients: number;
  close(): Promise<void>;
}

export interface RealtimeDeps {
  snapshot(): Promise<LiveSnapshot>;
  log: { warn(object: object, message: string): void };
}

export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    // Same-origin only: the page is served by this server.
    cors: { origin: false },
  });
  io.on('connection', (socket) => {
    deps.snapshot().then(
      (snapshot) => socket.emit('snapshot:v1', snapshot),
      (error: unknown) => {
        deps.log.warn({ err: error }, 'realtime: could not build a snapshot; the client will retry on reconnect');
        socket.disconnect(true);
      },
    );
  });
  return {
    send: (event, ...args) => io.emit(event, ...args),
    get clients() {
      return io.engine.clientsCount;
    },
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
