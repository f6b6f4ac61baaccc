/**
 * Is a device still talking? Judged from the time of its newest reading against how often it is
 * meant to report: *late* once it has been silent for more than twice its expected interval,
 * *offline* once silent for more than the configured time (LIVE_OFFLINE_AFTER_MIN) and never before
 * it has been late for a further interval, so a device reporting hourly is not called offline by a
 * 30-minute setting before it could even be late.
 */

export const HEALTH_STATES = ['reporting', 'late', 'offline', 'no_data'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export const HEALTH_TEXT: Readonly<Record<HealthState, string>> = {
  reporting: 'Reporting',
  late: 'Late',
  offline: 'Offline',
  no_data: 'No reading yet',
};

export interface HealthRules {
  /** Silence, in seconds, after which a device is offline (at least 3× its expected interval). */
  offlineAfterS: number;
}

export interface DeviceHealth {
  state: HealthState;
  /** Seconds since the newest reading; null when there is none. */
  silentForS: number | null;
  /** Silence after which this device is late, and offline, in seconds. */
  lateAfterS: number;
  offlineAfterS: number;
}

export function healthThresholds(expectedIntervalS: number, rules: HealthRules): { lateAfterS: number; offlineAfterS: number } {
  if (!Number.isFinite(expectedIntervalS) || expectedIntervalS <= 0) throw new RangeError(`expected interval must be a positive number of seconds; got ${expectedIntervalS}`);
  return { lateAfterS: 2 * expectedIntervalS, offlineAfterS: Math.max(rules.offlineAfterS, 3 * expectedIntervalS) };
}

/**
 * A device's health at `nowMs`, from the time of its newest reading (`lastReadingMs`, undefined when
 * it has never reported). Silence exactly at a threshold is not yet over it.
 */
export function deviceHealth(expectedIntervalS: number, lastReadingMs: number | undefined, nowMs: number, rules: HealthRules): DeviceHealth {
  const thresholds = healthThresholds(expectedIntervalS, rules);
  if (lastReadingMs === undefined) return { state: 'no_data', silentForS: null, ...thresholds };
  // A reading stamped a little in the future (a fast device clock) is silence of zero, not negative.
  const silentForS = Math.max(0, (nowMs - lastReadingMs) / 1000);
  const state: HealthState = silentForS > thresholds.offlineAfterS ? 'offline' : silentForS > thresholds.lateAfterS ? 'late' : 'reporting';
  return { state, silentForS, ...thresholds };
}

/** "4 min", "2 h 5 min", "3 days": how long a device has been silent, for people. */
export function formatSilence(seconds: number): string {
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}
