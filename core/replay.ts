import type { MetricValues } from './metrics.js';

/**
 * The answer of `GET /api/v1/replay` (docs/api.md, Replay): every device's hourly means over the
 * last whole hours, for the map's time slider. Shared by the server's presenter and the client.
 */

export interface ReplayDeviceHour {
  deviceId: string;
  /** Mean of the hour's valid values, per metric (traffic counts as flows, vehicles per hour). */
  values: MetricValues;
  /** Readings stored in the hour, of any metric. */
  readings: number;
}

export interface ReplayHour {
  /** Start of the hour, ISO 8601 UTC. */
  hour: string;
  /** The devices with readings in the hour, by device id; an empty list for an hour with none. */
  readings: ReplayDeviceHour[];
}

export interface ReplayAnswer {
  from: string;
  to: string;
  /** Every hour of [from, to), oldest first. */
  hours: ReplayHour[];
}
