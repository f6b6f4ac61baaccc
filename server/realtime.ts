import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { DEVICE_KINDS, type Device } from '../core/device.js';
import type { ClientToServerEvents, LiveSnapshot, LiveView, ServerToClientEvents } from '../core/events.js';
import type { LiveReading } from '../core/reading.js';
import { redactUrl } from '../core/config.js';

/**
 * Live updates over socket.io, typed by the event maps in core/. A client gets a snapshot when it
 * connects (and again whenever it reconnects, which is how it resyncs), then readings as they are
 * committed, coalesced per client to at most `maxUpdatesPerSecond` messages and filtered to the
 * device kinds and area it says it shows (`view:v1`).
 *
 * Several server processes: every one receives every committed reading from the live feed (MQTT),
 * so readings go only to a process's own clients; alerts are raised by one process and go to every
 * client of every process, through the socket.io Redis adapter when REDIS_URL is set.
 */

export interface Realtime {
  /** Committed readings, for this process's clients (coalesced and filtered per client). */
  sendReadings(readings: readonly LiveReading[]): void;
  /** An event for every client of every server process. */
  broadcast<E extends 'alerts:v1'>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  readonly clients: number;
  close(): Promise<void>;
}

export interface RealtimeDeps {
  snapshot(): Promise<LiveSnapshot>;
  /** A registered device's kind and position, for the view filter; undefined for one not known yet. */
  device(id: string): Pick<Device, 'kind' | 'lon' | 'lat'> | undefined;
  /** Messages of readings per second per client, at most. */
  maxUpdatesPerSecond: number;
  /** Share broadcasts between server processes through this Redis. */
  redisUrl?: string;
  /** How long start-up waits for Redis (REDIS_CONNECT_TIMEOUT_MS unless a test says otherwise). */
  redisConnectTimeoutMs?: number;
  log: { warn(object: object, message: string): void; error(object: object, message: string): void };
  now?: () => number;
}

const LiveViewSchema = z
  .object({
    kinds: z.array(z.enum(DEVICE_KINDS)).max(DEVICE_KINDS.length),
    bbox: z
      .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
      .refine(([west, south, east, north]) => west <= east && south <= north, 'bbox is west, south, east, north with west ≤ east and south ≤ north')
      .nullable(),
  })
  .strict();

interface ClientState {
  view: LiveView | null;
  pending: Map<string, LiveReading>;
  timer: NodeJS.Timeout | undefined;
  lastSentAt: number;
}

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

function newer(current: LiveReading | undefined, candidate: LiveReading): boolean {
  return current === undefined || Date.parse(candidate.time) > Date.parse(current.time);
}

/** How long start-up waits for Redis before giving up with a clear error. */
export const REDIS_CONNECT_TIMEOUT_MS = 10_000;

/**
 * The adapter's two connections. At start, Redis must answer within the timeout, or
 * the server stops with an error naming REDIS_URL. Later, node-redis reconnects by itself; a lost
 * connection is logged once, and again when it is back.
 */
async function connectRedis(url: string, timeoutMs: number, log: RealtimeDeps['log']) {
  const publisher = createClient({ url });
  const subscriber = publisher.duplicate();
  let failing = false;
  for (const client of [publisher, subscriber]) {
    // Without an error listener a failed connection would end the process.
    client.on('error', (error: Error) => {
      if (!failing) log.warn({ err: error }, 'realtime: no connection to Redis; alerts reach only this server’s browsers until there is one');
      failing = true;
    });
    client.on('ready', () => {
      if (failing) log.warn({}, 'realtime: the Redis connection is back');
      failing = false;
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`REDIS_URL: could not connect to ${redactUrl(url)} within ${timeoutMs / 1000} s`), { code: 'realtime.redis_unreachable' })),
      timeoutMs,
    );
  });
  try {
    await Promise.race([Promise.all([publisher.connect(), subscriber.connect()]), timeout]);
  } catch (error) {
    await Promise.allSettled([publisher.destroy(), subscriber.destroy()]);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { publisher, subscriber };
}

export function inView(view: LiveView | null, device: Pick<Device, 'kind' | 'lon' | 'lat'> | undefined): boolean {
  if (view === null) return true;
  if (device === undefined || !view.kinds.includes(device.kind)) return false;
  if (view.bbox === null) return true;
  const [west, south, east, north] = view.bbox;
  return device.lon >= west && device.lon <= east && device.lat >= south && device.lat <= north;
}

export async function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): Promise<Realtime> {
  const now = deps.now ?? Date.now;
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    // Same-origin only: the page is served by this server.
    cors: { origin: false },
    // A snapshot of 10,000 devices is 4 MB of JSON and 0.4 MB deflated; small messages go as they are.
    perMessageDeflate: { threshold: 1024 },
  });
  const closers: (() => Promise<unknown>)[] = [];
  if (deps.redisUrl !== undefined) {
    const { publisher, subscriber } = await connectRedis(deps.redisUrl, deps.redisConnectTimeoutMs ?? REDIS_CONNECT_TIMEOUT_MS, deps.log);
    io.adapter(createAdapter(publisher, subscriber));
    closers.push(() => Promise.allSettled([publisher.quit(), subscriber.quit()]));
  }

  const intervalMs = 1000 / deps.maxUpdatesPerSecond;
  const clients = new Map<string, { socket: LiveSocket; state: ClientState }>();
  // The newest reading of each device, as sent: what a client whose view widens is brought up to date with.
  const latest = new Map<string, LiveReading>();

  const flush = (socket: LiveSocket, state: ClientState) => {
    state.timer = undefined;
    if (state.pending.size === 0) return;
    const batch = [...state.pending.values()];
    state.pending.clear();
    state.lastSentAt = now();
    socket.emit('readings:v1', batch);
  };
  const queue = (socket: LiveSocket, state: ClientState, readings: Iterable<LiveReading>) => {
    for (const reading of readings) {
      if (!inView(state.view, deps.device(reading.deviceId))) continue;
      if (newer(state.pending.get(reading.deviceId), reading)) state.pending.set(reading.deviceId, reading);
    }
    if (state.pending.size === 0 || state.timer !== undefined) return;
    state.timer = setTimeout(() => flush(socket, state), Math.max(0, state.lastSentAt + intervalMs - now()));
  };

  io.on('connection', (socket) => {
    const state: ClientState = { view: null, pending: new Map(), timer: undefined, lastSentAt: 0 };
    clients.set(socket.id, { socket, state });
    socket.on('disconnect', () => {
      clearTimeout(state.timer);
      clients.delete(socket.id);
    });
    socket.on('view:v1', (view, done) => {
      const parsed = LiveViewSchema.safeParse(view);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        if (typeof done === 'function') done({ ok: false, problem: `${issue?.path.join('.') || 'view'}: ${issue?.message ?? 'invalid'}` });
        return;
      }
      const before = state.view;
      state.view = parsed.data;
      // Devices that have come into view are sent their newest reading, so nothing shown is stale.
      queue(socket, state, [...latest.values()].filter((reading) => !inView(before, deps.device(reading.deviceId))));
      if (typeof done === 'function') done({ ok: true });
    });
    deps.snapshot().then(
      (snapshot) => {
        for (const reading of snapshot.latest) if (newer(latest.get(reading.deviceId), reading)) latest.set(reading.deviceId, reading);
        socket.emit('snapshot:v2', snapshot);
      },
      (error: unknown) => {
        deps.log.warn({ err: error }, 'realtime: could not build a snapshot; the client will retry on reconnect');
        socket.disconnect(true);
      },
    );
  });

  return {
    sendReadings(readings) {
      for (const reading of readings) if (newer(latest.get(reading.deviceId), reading)) latest.set(reading.deviceId, reading);
      for (const { socket, state } of clients.values()) queue(socket, state, readings);
    },
    broadcast: (event, ...args) => io.emit(event, ...args),
    get clients() {
      return io.engine.clientsCount;
    },
    async close() {
      for (const { state } of clients.values()) clearTimeout(state.timer);
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      for (const close of closers) await close();
    },
  };
}
