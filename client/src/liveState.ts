import type { LocatedDevice } from '../../core/device.js';
import type { LiveSnapshot } from '../../core/events.js';
import type { LiveReading } from '../../core/reading.js';

/**
 * What the page knows: devices (with their ward, street and nearest property) and each one's
 * newest reading. Updates are merged newest-wins, so a snapshot that arrives after fresher live
 * readings (or a redelivered reading) never turns the clock back.
 */
export interface LiveState {
  devices: ReadonlyMap<string, LocatedDevice>;
  latest: ReadonlyMap<string, LiveReading>;
}

export const emptyState: LiveState = { devices: new Map(), latest: new Map() };

function newer(current: LiveReading | undefined, candidate: LiveReading): boolean {
  return current === undefined || Date.parse(candidate.time) > Date.parse(current.time);
}

export function applySnapshot(state: LiveState, snapshot: Pick<LiveSnapshot, 'devices' | 'latest'>): LiveState {
  const devices = new Map(snapshot.devices.map((device) => [device.id, device]));
  const latest = new Map<string, LiveReading>();
  for (const [id, reading] of state.latest) if (devices.has(id)) latest.set(id, reading);
  for (const reading of snapshot.latest) {
    if (devices.has(reading.deviceId) && newer(latest.get(reading.deviceId), reading)) latest.set(reading.deviceId, reading);
  }
  return { devices, latest };
}

/** Returns the same state object when nothing changed, so callers can skip a redraw. */
export function applyReadings(state: LiveState, readings: readonly LiveReading[]): LiveState {
  let latest: Map<string, LiveReading> | undefined;
  for (const reading of readings) {
    const current = (latest ?? state.latest).get(reading.deviceId);
    if (!newer(current, reading)) continue;
    latest ??= new Map(state.latest);
    latest.set(reading.deviceId, reading);
  }
  return latest ? { devices: state.devices, latest } : state;
}
