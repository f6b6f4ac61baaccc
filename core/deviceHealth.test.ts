import { describe, expect, it } from 'vitest';
import { deviceHealth, formatSilence, healthThresholds } from './deviceHealth.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const rules = { offlineAfterS: 1800 };

describe('deviceHealth', () => {
  it('is late after twice the expected interval, not at it', () => {
    // A monitor meant to report every 60 s, silent for exactly 120 s, then 121 s.
    expect(deviceHealth(60, NOW - 120_000, NOW, rules).state).toBe('reporting');
    expect(deviceHealth(60, NOW - 121_000, NOW, rules).state).toBe('late');
  });

  it('is offline after the configured silence', () => {
    expect(deviceHealth(60, NOW - 1_800_000, NOW, rules).state).toBe('late');
    expect(deviceHealth(60, NOW - 1_801_000, NOW, rules)).toEqual({ state: 'offline', silentForS: 1801, lateAfterS: 120, offlineAfterS: 1800 });
  });

  it('never calls a slow device offline before it has been late for a further interval', () => {
    // Hourly: late after 2 h, offline after 3 h even though the setting says 30 minutes.
    expect(healthThresholds(3600, rules)).toEqual({ lateAfterS: 7200, offlineAfterS: 10_800 });
    expect(deviceHealth(3600, NOW - 2 * 3600_000, NOW, rules).state).toBe('reporting');
    expect(deviceHealth(3600, NOW - 2.5 * 3600_000, NOW, rules).state).toBe('late');
    expect(deviceHealth(3600, NOW - 3.1 * 3600_000, NOW, rules).state).toBe('offline');
  });

  it('says no_data for a device that has never reported, and treats a future stamp as no silence', () => {
    expect(deviceHealth(60, undefined, NOW, rules)).toMatchObject({ state: 'no_data', silentForS: null });
    expect(deviceHealth(60, NOW + 5_000, NOW, rules)).toMatchObject({ state: 'reporting', silentForS: 0 });
  });

  it('refuses a nonsense interval', () => {
    expect(() => deviceHealth(0, NOW, NOW, rules)).toThrow(RangeError);
  });
});

describe('formatSilence', () => {
  it('reads as people say it', () => {
    expect([formatSilence(42.7), formatSilence(240), formatSilence(7500), formatSilence(7200), formatSilence(3 * 86_400 + 5)]).toEqual([
      '42 s',
      '4 min',
      '2 h 5 min',
      '2 h',
      '3 days',
    ]);
  });
});
