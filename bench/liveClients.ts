import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveSnapshot, ServerToClientEvents } from '../core/events.js';
import type { LiveReading } from '../core/reading.js';

/**
 * What one live client received: its newest reading per device (from the snapshot and every
 * `readings:v1`), and the messages and bytes of readings that came while counting was on. Fed
 * either by a socket.io-client connection in this process or by the Chromium page's WebSocket
 * frames (Playwright's `framereceived`), so both kinds of client are judged the same way.
 */
export class ClientLedger {
  readonly newest = new Map<string, { timeMs: number; values: string }>();
  messages = 0;
  bytes = 0;
  counting = false;
  snapshotAt: number | undefined;
  /** Bytes of the first snapshot frame. */
  snapshotBytes = 0;
  /** The first snapshot frame's text, when kept (`keepSnapshot`). */
  snapshotText: string | undefined;
  keepSnapshot = false;
  /** When each reading of `watchId` first arrived (by its time), wall-clock ms. */
  readonly watched = new Map<string, number>();

  constructor(private readonly watchId: string | null = null) {}

  private take(readings: readonly LiveReading[], at: number): void {
    for (const reading of readings) {
      const timeMs = Date.parse(reading.time);
      const current = this.newest.get(reading.deviceId);
      if (!current || timeMs > current.timeMs) this.newest.set(reading.deviceId, { timeMs, values: canonical(reading.values) });
      if (reading.deviceId === this.watchId && !this.watched.has(reading.time)) this.watched.set(reading.time, at);
    }
  }

  onSnapshot(snapshot: LiveSnapshot): void {
    this.snapshotAt ??= Date.now();
    this.take(snapshot.latest, performance.timeOrigin + performance.now());
  }

  onReadings(readings: readonly LiveReading[]): void {
    if (this.counting) this.messages++;
    this.take(readings, performance.timeOrigin + performance.now());
  }

  /** Bytes of one `readings:v1` frame as it came over the wire. */
  onReadingsBytes(bytes: number): void {
    if (this.counting) this.bytes += bytes;
  }

  /** A raw socket.io text frame (`42["event",data]`), as the page received it. */
  onFrame(payload: string | Buffer): void {
    const text = typeof payload === 'string' ? payload : payload.toString();
    if (!text.startsWith('42[')) return;
    const [event, data] = JSON.parse(text.slice(2)) as [string, unknown];
    if (event === 'snapshot:v2') {
      if (this.snapshotBytes === 0) {
        this.snapshotBytes = Buffer.byteLength(text);
        if (this.keepSnapshot) this.snapshotText = text;
      }
      this.onSnapshot(data as LiveSnapshot);
    }
    else if (event === 'readings:v1') {
      this.onReadingsBytes(Buffer.byteLength(text));
      this.onReadings(data as LiveReading[]);
    }
  }

  /** Devices whose newest reading here is missing, or older than / different from the one expected. */
  compare(expected: ReadonlyMap<string, { timeMs: number; values: string }>): { missing: number; stale: number; different: number } {
    let missing = 0;
    let stale = 0;
    let different = 0;
    for (const [deviceId, want] of expected) {
      const got = this.newest.get(deviceId);
      if (!got) missing++;
      else if (got.timeMs < want.timeMs) stale++;
      else if (got.timeMs !== want.timeMs || got.values !== want.values) different++;
    }
    return { missing, stale, different };
  }
}

/** Values as a comparable string: keys sorted. */
export function canonical(values: Record<string, number | undefined>): string {
  return JSON.stringify(Object.keys(values).sort().map((key) => [key, values[key]]));
}

export interface NodeClient {
  ledger: ClientLedger;
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
}

/** A socket.io-client connection of its own (no multiplexing), websocket only, counting frame bytes. */
export function connectNodeClient(url: string, watchId: string | null): NodeClient {
  const ledger = new ClientLedger(watchId);
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], forceNew: true, reconnection: true });
  socket.io.on('open', () => {
    // engine.io's "data" is each message's text without its one-byte packet type ("4").
    socket.io.engine.on('data', (data: unknown) => {
      if (typeof data !== 'string') return;
      if (data.startsWith('2["readings:v1"')) ledger.onReadingsBytes(Buffer.byteLength(data) + 1);
      else if (data.startsWith('2["snapshot:v2"') && ledger.snapshotBytes === 0) ledger.snapshotBytes = Buffer.byteLength(data) + 1;
    });
  });
  socket.on('snapshot:v2', (snapshot) => ledger.onSnapshot(snapshot));
  socket.on('readings:v1', (readings) => ledger.onReadings(readings));
  return { ledger, socket };
}
