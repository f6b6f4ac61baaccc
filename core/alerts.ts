import { streetLabel } from './area.js';
import { DAQI_POLLUTANT_LABEL, indicativeDaqi } from './daqi.js';
import type { LocatedDevice } from './device.js';
import { formatSilence, type DeviceHealth } from './deviceHealth.js';
import type { LiveReading } from './reading.js';
import { CONGESTION_LEVEL_TEXT, congestion } from './traffic.js';

/**
 * What raises an alert on the live map. Each kind is a condition on one device that starts and ends:
 * an alert is raised when it starts, records when it ends (`clearedAt`), and stays on every
 * operator's list until someone resolves it. A condition that starts again before the alert is
 * resolved re-opens the same alert (`occurrences` + 1) instead of raising another, so a value
 * flickering across a threshold makes one alert, not hundreds. No zod here: the browser imports it.
 */

export const ALERT_KINDS = ['daqi_high', 'street_congested', 'device_offline'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_TEXT: Readonly<Record<AlertKind, string>> = {
  daqi_high: 'Air quality High',
  street_congested: 'Street congested',
  device_offline: 'Device offline',
};

/** Air quality alerts from DAQI 7 (the start of the High band). */
export const DAQI_ALERT_INDEX = 7;
/** Below this speed a street counts as congested while its free-flow speed is still being learned. */
export const CONGESTED_FALLBACK_KMH = 10;

export type AlertState = 'open' | 'acknowledged' | 'resolved';

export interface Alert {
  id: number;
  kind: AlertKind;
  deviceId: string;
  /** One plain sentence: what, where, how much. */
  message: string;
  /** The number behind it: the DAQI index, the speed in km/h, or the silence in seconds. */
  value: number | null;
  /** When the condition started (the reading's time, or when the silence passed the threshold). */
  since: string;
  raisedAt: string;
  /** When the condition last ended; null while it holds. */
  clearedAt: string | null;
  /** How many times the condition has started while this alert was unresolved. */
  occurrences: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export function alertState(alert: Pick<Alert, 'acknowledgedAt' | 'resolvedAt'>): AlertState {
  if (alert.resolvedAt !== null) return 'resolved';
  return alert.acknowledgedAt !== null ? 'acknowledged' : 'open';
}

/** Whether a condition holds for a device at a time, and if it does, how to say so. */
export interface AlertCheck {
  kind: AlertKind;
  deviceId: string;
  holds: boolean;
  /** ISO instant the check is about. */
  at: string;
  value: number | null;
  message: string;
}

/**
 * The conditions a reading settles: a device that reports is not offline, and its values say whether
 * air quality is High or its street congested. `freeFlowKmh` is the counter's learned free-flow speed
 * (core/traffic.ts), null until it has been learned.
 */
export function readingChecks(device: LocatedDevice, reading: LiveReading, freeFlowKmh: number | null): AlertCheck[] {
  const at = reading.time;
  const checks: AlertCheck[] = [{ kind: 'device_offline', deviceId: device.id, holds: false, at, value: null, message: `${device.name} is reporting again.` }];
  if (device.kind === 'air_quality') {
    const daqi = indicativeDaqi(reading.values);
    if (daqi) {
      checks.push({
        kind: 'daqi_high',
        deviceId: device.id,
        holds: daqi.index >= DAQI_ALERT_INDEX,
        at,
        value: daqi.index,
        message: `Air quality ${daqi.band} at ${device.name}: DAQI ${daqi.index} from ${DAQI_POLLUTANT_LABEL[daqi.pollutant]} (indicative, from a single reading).`,
      });
    }
  } else {
    const speed = reading.values.speed_kmh;
    if (speed !== undefined) {
      const street = device.location.usrn === null ? `near ${device.name}` : `on ${streetLabel({ usrn: device.location.usrn, name: device.location.streetName })}`;
      const level = freeFlowKmh === null ? null : congestion(speed, freeFlowKmh).level;
      const holds = level === null ? speed < CONGESTED_FALLBACK_KMH : level === 'congested' || level === 'severe';
      const how =
        level === null || freeFlowKmh === null
          ? `${Math.round(speed)} km/h (free-flow speed not learned yet; under ${CONGESTED_FALLBACK_KMH} km/h counts as congested)`
          : `${Math.round(speed)} km/h against a free-flow ${Math.round(freeFlowKmh)} km/h`;
      checks.push({
        kind: 'street_congested',
        deviceId: device.id,
        holds,
        at,
        value: speed,
        message: `${level === null ? (holds ? 'Congested' : 'Moving') : CONGESTION_LEVEL_TEXT[level]} ${street}: ${how}, counter ${device.name}.`,
      });
    }
  }
  return checks;
}

/**
 * The offline condition from a device's health: it holds once the device is offline, and only
 * `readingChecks` (a reading arriving) ends it. Undefined for a device that is not offline.
 */
export function offlineCheck(device: LocatedDevice, health: DeviceHealth, nowMs: number): AlertCheck | undefined {
  if (health.state !== 'offline' || health.silentForS === null) return undefined;
  return {
    kind: 'device_offline',
    deviceId: device.id,
    holds: true,
    at: new Date(nowMs - (health.silentForS - health.offlineAfterS) * 1000).toISOString(),
    value: Math.round(health.silentForS),
    message: `${device.name} has sent nothing for over ${formatSilence(health.offlineAfterS)}.`,
  };
}
