import type { Device } from '../core/device.js';
import type { LiveReading } from '../core/reading.js';

/** What leaves the server, field by field: nothing internal slips out when a row gains a column. */

export function presentDevice(device: Device): Device {
  return {
    id: device.id,
    name: device.name,
    kind: device.kind,
    lon: device.lon,
    lat: device.lat,
    expectedIntervalS: device.expectedIntervalS,
  };
}

export function presentReading(reading: LiveReading): LiveReading {
  return {
    deviceId: reading.deviceId,
    time: reading.time,
    values: { ...reading.values },
    ...(reading.periodS === undefined ? {} : { periodS: reading.periodS }),
  };
}
