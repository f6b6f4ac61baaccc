import type { Alert } from './alerts.js';
import type { DeviceKind, LocatedDevice } from './device.js';
import type { HealthRules } from './deviceHealth.js';
import type { LiveReading } from './reading.js';

/**
 * Socket.io event maps, shared by server (`Server<ClientToServerEvents, ServerToClientEvents>`) and
 * client (`Socket<ServerToClientEvents, ClientToServerEvents>`). An event whose payload changes shape
 * gets a new version suffix rather than a silent change.
 */

export interface LiveSnapshot {
  /** Every registered device with its ward, street (USRN) and nearest property (UPRN). */
  devices: LocatedDevice[];
  /** The newest stored reading of each device that has one. */
  latest: LiveReading[];
  /** Unresolved alerts, and those resolved in the last day, newest first. */
  alerts: Alert[];
  /** How the page judges a device late or offline (core/deviceHealth.ts). */
  health: HealthRules;
  /**
   * Each traffic counter's learned free-flow speed in km/h (core/traffic.ts), for colouring streets
   * by congestion; a counter still learning is absent.
   */
  freeFlowKmh: Record<string, number>;
}

/** West, south, east, north in degrees (WGS84). */
export type BBox = [number, number, number, number];

/**
 * What a client shows, so the server sends it only that: the kinds of device whose layers are on,
 * and the area in view (null: everywhere). Until a client says, it gets everything.
 */
export interface LiveView {
  kinds: DeviceKind[];
  bbox: BBox | null;
}

export interface ServerToClientEvents {
  /** Sent once on connect (and on every reconnect): the whole current picture. */
  'snapshot:v2': (snapshot: LiveSnapshot) => void;
  /**
   * Newest readings since the last message, for the client's view, at most a few messages a second
   * (LIVE_UPDATES_PER_SECOND): a device that reported twice in between sends only its newer reading.
   */
  'readings:v1': (readings: LiveReading[]) => void;
  /** Alerts raised, re-opened, ended, acknowledged or resolved (each in its new state), by any server. */
  'alerts:v1': (alerts: Alert[]) => void;
}

export interface ClientToServerEvents {
  /** Narrows (or widens) the readings this client is sent; the answer says whether it was taken. */
  'view:v1': (view: LiveView, done?: (answer: { ok: true } | { ok: false; problem: string }) => void) => void;
}
