import type { LocatedDevice } from './device.js';
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
}

export interface ServerToClientEvents {
  /** Sent once on connect (and on every reconnect): the whole current picture. */
  'snapshot:v1': (snapshot: LiveSnapshot) => void;
  /** Readings committed to the database since the last message. */
  'readings:v1': (readings: LiveReading[]) => void;
}

// The client sends nothing yet; the map subscribes to everything.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientToServerEvents {}
