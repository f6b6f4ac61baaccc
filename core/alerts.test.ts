import { describe, expect, it } from 'vitest';
import { alertState, offlineCheck, readingChecks } from './alerts.js';
import type { LocatedDevice } from './device.js';
import { deviceHealth } from './deviceHealth.js';
import type { LiveReading } from './reading.js';

const at = '2026-11-22T10:00:00.000Z';

function device(overrides: Partial<LocatedDevice> = {}): LocatedDevice {
  return {
    id: 'aq-1',
    name: 'Station Road monitor',
    kind: 'air_quality',
    lon: -2.3,
    lat: 53.4,
    expectedIntervalS: 60,
    location: { wardCode: 'E05000819', wardName: 'Altrincham', usrn: 12345, streetName: 'Station Road', streetDistanceM: 3, uprn: null, uprnDistanceM: null },
    ...overrides,
  };
}

const reading = (values: LiveReading['values'], deviceId = 'aq-1'): LiveReading => ({ deviceId, time: at, values });
const check = (checks: ReturnType<typeof readingChecks>, kind: string) => checks.find((c) => c.kind === kind);

describe('readingChecks: air quality', () => {
  it('holds from DAQI 7 (the High band), not at 6', () => {
    // PM2.5 bands: 48–53 is index 6, 54–58 index 7; concentrations round to whole µg/m³ first.
    expect(check(readingChecks(device(), reading({ pm25: 53.4 }), null), 'daqi_high')).toMatchObject({ holds: false, value: 6 });
    const high = check(readingChecks(device(), reading({ pm25: 53.5, no2: 40 }), null), 'daqi_high');
    expect(high).toMatchObject({ holds: true, value: 7, at });
    expect(high?.message).toBe('Air quality High at Station Road monitor: DAQI 7 from PM2.5 (indicative, from a single reading).');
  });

  it('takes the worst pollutant, and makes no DAQI check without a pollutant', () => {
    expect(check(readingChecks(device(), reading({ no2: 601, pm25: 5 }), null), 'daqi_high')).toMatchObject({ holds: true, value: 10 });
    expect(check(readingChecks(device(), reading({ temperature: 12 }), null), 'daqi_high')).toBeUndefined();
  });

  it('says every reporting device is not offline', () => {
    expect(check(readingChecks(device(), reading({ temperature: 12 }), null), 'device_offline')).toMatchObject({ holds: false, at });
  });
});

describe('readingChecks: traffic', () => {
  const counter = device({ id: 'tc-1', name: 'Counter 4', kind: 'traffic' });

  it('holds when speed is under 60 % of the free-flow speed (congested or severe)', () => {
    // Free-flow 50 km/h: 30 km/h is a ratio of 0.6, busy; 29.9 is 0.598, congested.
    expect(check(readingChecks(counter, reading({ speed_kmh: 30 }, 'tc-1'), 50), 'street_congested')).toMatchObject({ holds: false });
    const congested = check(readingChecks(counter, reading({ speed_kmh: 29.9 }, 'tc-1'), 50), 'street_congested');
    expect(congested).toMatchObject({ holds: true, value: 29.9 });
    expect(congested?.message).toBe('Congested on Station Road: 30 km/h against a free-flow 50 km/h, counter Counter 4.');
  });

  it('falls back to under 10 km/h while the free-flow speed is not known', () => {
    expect(check(readingChecks(counter, reading({ speed_kmh: 10 }, 'tc-1'), null), 'street_congested')).toMatchObject({ holds: false });
    expect(check(readingChecks(counter, reading({ speed_kmh: 9.9 }, 'tc-1'), null), 'street_congested')?.message).toBe(
      'Congested on Station Road: 10 km/h (free-flow speed not learned yet; under 10 km/h counts as congested), counter Counter 4.',
    );
  });

  it('names the counter when it is on no known street, and checks nothing without a speed', () => {
    const away = device({ id: 'tc-2', name: 'Counter 9', kind: 'traffic', location: { ...device().location, usrn: null, streetName: null } });
    expect(check(readingChecks(away, reading({ speed_kmh: 5 }, 'tc-2'), null), 'street_congested')?.message).toMatch(/^Congested near Counter 9: /);
    expect(check(readingChecks(away, reading({ cars_and_taxis: 5 }, 'tc-2'), null), 'street_congested')).toBeUndefined();
  });
});

describe('offlineCheck', () => {
  it('holds once the device is offline, dated when the silence passed the threshold', () => {
    const now = Date.parse(at);
    const last = now - 45 * 60_000;
    const check = offlineCheck(device(), deviceHealth(60, last, now, { offlineAfterS: 1800 }), now);
    expect(check).toMatchObject({ kind: 'device_offline', holds: true, value: 2700, at: new Date(last + 1800_000).toISOString() });
    expect(check?.message).toBe('Station Road monitor has sent nothing for over 30 min.');
    expect(offlineCheck(device(), deviceHealth(60, now - 5 * 60_000, now, { offlineAfterS: 1800 }), now)).toBeUndefined();
  });
});

describe('alertState', () => {
  it('is resolved once resolved, else acknowledged once acknowledged, else open', () => {
    expect(alertState({ acknowledgedAt: null, resolvedAt: null })).toBe('open');
    expect(alertState({ acknowledgedAt: at, resolvedAt: null })).toBe('acknowledged');
    expect(alertState({ acknowledgedAt: null, resolvedAt: at })).toBe('resolved');
  });
});
