import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import type { Socket } from 'node:net';
import { listenWithFallback } from '../../core/portFallback.js';
import { lockDataDir } from './dataDirLock.js';
import type { HostMessage, HostOptions } from './protocol.js';

/**
 * The embedded TimescaleDB: PGlite with the TimescaleDB extension, served over the Postgres wire
 * protocol by pglite-socket. It runs in its own process so that its queries (WASM, synchronous)
 * never block the event loop that reads MQTT and serves HTTP. Single session: one connection.
 *
 * Run in a child process by EmbeddedDatabase (through hostProcess.ts), or in the foreground by
 * `smartplace db`.
 */

/**
 * pglite-socket 0.0.22 keeps a connection's slot for ever when the client's socket fails (ECONNRESET:
 * a client killed with a reply unread): its handler's error path detaches and removes the socket's
 * `close` listener before `close` fires, and the server frees a slot only on that event. With one
 * slot, every later connection is refused ("Too many connections") until restart. Before taking a
 * connection, drop handlers that no longer have a socket. Private members: checked by
 * test/ingest/faults.test.ts ("takes a connection after a TCP reset"); docs/embedded-database.md §6.
 */
function releaseSlotsOfResetConnections(server: PGLiteSocketServer): void {
  const internals = server as unknown as { handlers: Set<{ isAttached: boolean }>; handleConnection(socket: Socket): Promise<void> };
  const handleConnection = internals.handleConnection.bind(server);
  internals.handleConnection = (socket) => {
    for (const handler of internals.handlers) if (!handler.isAttached) internals.handlers.delete(handler);
    return handleConnection(socket);
  };
}

export async function runHost(options: HostOptions, report: (message: HostMessage) => void): Promise<() => Promise<void>> {
  const started = performance.now();
  const lock = await lockDataDir(options.dataDir);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir: `${options.dataDir}/timescaledb`, extensions: { timescaledb } });
    // Workaround for a defect of this build: unless the library is LOADed at session start,
    // TimescaleDB's planner hooks are missing and reads of a hypertable silently skip compressed
    // chunks after a restart (see docs/embedded-database.md). CREATE EXTENSION alone is not enough.
    await db.exec("LOAD 'timescaledb'");
    const database = db;
    let server: PGLiteSocketServer | undefined;
    const choice = await listenWithFallback({ port: options.port, explicit: options.explicitPort }, 'EMBEDDED_DB_PORT', async (port) => {
      const candidate = new PGLiteSocketServer({ db: database, port, host: '127.0.0.1', maxConnections: 1 });
      releaseSlotsOfResetConnections(candidate);
      let bound = port;
      candidate.addEventListener('listening', (event) => {
        bound = (event as CustomEvent<{ port: number }>).detail.port;
      });
      // pglite-socket 0.0.22's start() never settles when listen fails (EADDRINUSE): it marks itself
      // active before listening and only rejects while inactive. It does dispatch 'error', so race it.
      await new Promise<void>((resolve, reject) => {
        candidate.addEventListener('error', (event) => reject((event as CustomEvent<Error>).detail), { once: true });
        candidate.start().then(resolve, reject);
      }).catch(async (error: unknown) => {
        await candidate.stop().catch(() => undefined);
        throw error;
      });
      server = candidate;
      return bound;
    });
    report({
      type: 'ready',
      port: choice.port,
      ...(choice.fellBackFrom === undefined ? {} : { fellBackFrom: choice.fellBackFrom }),
      startupMs: Math.round(performance.now() - started),
    });
    let stopping: Promise<void> | undefined;
    return () => {
      stopping ??= (async () => {
        await server?.stop();
        // close() checkpoints and shuts PostgreSQL down cleanly, so the next start needs no recovery.
        await database.close();
        await lock.release();
      })();
      return stopping;
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await lock.release();
    throw error;
  }
}
