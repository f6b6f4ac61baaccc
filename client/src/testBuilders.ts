import type { DeviceLocation, LocatedDevice } from '../../core/device.js';
import type { LiveReading } from '../../core/reading.js';

/** Builders for the client's unit tests, in the shape of the data contract (core/), with overrides. */

export function location(overrides: Partial<DeviceLocation> = {}): DeviceLocation {
  return {
    wardCode: 'X05000002',
    wardName: 'Brookside',
    usrn: 99_000_001,
    streetName: 'London Road',
    streetDistanceM: 3.4,
    uprn: 100_012_345_678,
    uprnDistanceM: 17.6,
    ...overrides,
  };
}

export function device(overrides: Partial<LocatedDevice> = {}): LocatedDevice {
  return {
    id: 'aq-001',
    name: 'High Street air monitor 1',
    kind: 'air_quality',
    lon: -1.5,
    lat: 52.5,
    expectedIntervalS: 60,
    location: location(),
    ...overrides,
  };
}

export function reading(overrides: Partial<LiveReading> = {}): LiveReading {
  return { deviceId: 'aq-001', time: '2026-11-24T10:00:00Z', values: {}, ...overrides };
}
