import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../core/device.js';
import type { ClientToServerEvents, LiveSnapshot, LiveView, ServerToClientEvents } from '../core/events.js';
import type { LiveReading } from '../core/reading.js';
import { attachRealtime, type Realtime } from './realtime.js';

/** socket.io for real over loopback: coalescing per client and the view filter. */

const DEVICES: Record<string, Pick<Device, 'kind' | 'lon' | 'lat'>> = {
  'aq-west': { kind: 'air_quality', lon: -2.4, lat: 53.4 },
  'aq-east': { kind: 'air_quality', lon: -2.2, lat: 53.4 },
  'tc-west': { kind: 'traffic', lon: -2.4, lat: 53.41 },
};
const snapshot: LiveSnapshot = { devices: [], latest: [], alerts: [], health: { offlineAfterS: 1800 }, freeFlowKmh: {} };
const reading = (deviceId: string, second: number, no2 = second): LiveReading => ({ deviceId, time: new Date(Date.UTC(2026, 10, 22, 10, 0, second)).toISOString(), values: { no2 } });

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let http: HttpServer | undefined;
let realtime: Realtime | undefined;
const clients: Client[] = [];

async function start(maxUpdatesPerSecond: number): Promise<string> {
  http = createServer();
  realtime = await attachRealtime(http, { snapshot: async () => snapshot, device: (id) => DEVICES[id], maxUpdatesPerSecond, log: { warn: () => undefined, error: () => undefined } });
  await new Promise<void>((resolve) => http?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

async function client(url: string): Promise<{ socket: Client; batches: LiveReading[][] }> {
  const socket: Client = connect(url, { transports: ['websocket'] });
  clients.push(socket);
  const batches: LiveReading[][] = [];
  socket.on('readings:v1', (batch) => batches.push(batch));
  await new Promise<void>((resolve) => socket.once('snapshot:v2', () => resolve()));
  return { socket, batches };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.close();
  await realtime?.close();
  await new Promise((resolve) => (http?.listening ? http.close(resolve) : resolve(undefined)));
  realtime = undefined;
  http = undefined;
});

describe('realtime', () => {
  it('sends each client at most a few messages a second, each device’s newest reading only', async () => {
    const url = await start(4);
    const { batches } = await client(url);
    // 2 devices × 40 readings over about a second (longer on a loaded machine: the bound follows).
    const started = Date.now();
    for (let second = 0; second < 40; second++) {
      realtime?.sendReadings([reading('aq-west', second), reading('aq-east', second)]);
      await sleep(25);
    }
    const elapsedMs = Date.now() - started;
    await sleep(400);
    // 4 a second: the first at once, then at most one every 250 ms; without coalescing it would be 40–80.
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.length).toBeLessThanOrEqual(2 + Math.ceil(elapsedMs / 250));
    for (const batch of batches) expect(new Set(batch.map((r) => r.deviceId)).size).toBe(batch.length);
    const last = batches.at(-1) ?? [];
    expect(last.map((r) => [r.deviceId, r.values.no2]).sort()).toEqual([
      ['aq-east', 39],
      ['aq-west', 39],
    ]);
  });

  it('sends only the kinds and area a client shows, and brings it up to date when its view widens', async () => {
    const url = await start(30);
    const { socket, batches } = await client(url);
    const setView = (view: LiveView) => socket.emitWithAck('view:v1', view);
    expect(await setView({ kinds: ['air_quality'], bbox: [-2.5, 53.3, -2.3, 53.5] })).toEqual({ ok: true });
    realtime?.sendReadings([reading('aq-west', 1), reading('aq-east', 1), reading('tc-west', 1), reading('unknown', 1)]);
    await sleep(150);
    expect(batches.flat().map((r) => r.deviceId)).toEqual(['aq-west']);

    batches.length = 0;
    expect(await setView({ kinds: ['air_quality', 'traffic'], bbox: null })).toEqual({ ok: true });
    await sleep(150);
    expect(batches.flat().map((r) => r.deviceId).sort()).toEqual(['aq-east', 'tc-west']);
  });

  it('stops with an error naming REDIS_URL when Redis cannot be reached at start', async () => {
    http = createServer();
    const warnings: string[] = [];
    const attaching = attachRealtime(http, {
      snapshot: async () => snapshot,
      device: () => undefined,
      maxUpdatesPerSecond: 4,
      // Nothing listens on port 1: refused at once, again and again.
      redisUrl: 'redis://:secret@127.0.0.1:1',
      redisConnectTimeoutMs: 500,
      log: { warn: (_object, message) => warnings.push(message), error: () => undefined },
    });
    await expect(attaching).rejects.toMatchObject({ code: 'realtime.redis_unreachable', message: 'REDIS_URL: could not connect to redis://:***@127.0.0.1:1 within 0.5 s' });
    // Logged once, not once per retry.
    expect(warnings).toEqual(['realtime: no connection to Redis; alerts reach only this server’s browsers until there is one']);
  });

  it('refuses a malformed view and keeps the one it had', async () => {
    const url = await start(30);
    const { socket, batches } = await client(url);
    const answer = await socket.emitWithAck('view:v1', { kinds: ['air_quality'], bbox: [-2, 53.5, -3, 53.3] } as LiveView);
    expect(answer).toEqual({ ok: false, problem: 'bbox: bbox is west, south, east, north with west ≤ east and south ≤ north' });
    expect(await socket.emitWithAck('view:v1', { kinds: ['buses'] } as unknown as LiveView)).toMatchObject({ ok: false });
    realtime?.sendReadings([reading('tc-west', 2)]);
    await sleep(150);
    expect(batches.flat().map((r) => r.deviceId)).toEqual(['tc-west']);
  });
});
