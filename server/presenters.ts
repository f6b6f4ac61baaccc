import { alertState, type Alert, type AlertState } from '../core/alerts.js';
import type { DeviceLocation, LocatedDevice } from '../core/device.js';
import type { LiveReading } from '../core/reading.js';

/** What leaves the server, field by field: nothing internal slips out when a row gains a column. */

export function presentDevice(device: LocatedDevice): LocatedDevice {
  return {
    id: device.id,
    name: device.name,
    kind: device.kind,
    lon: device.lon,
    lat: device.lat,
    expectedIntervalS: device.expectedIntervalS,
    location: presentDeviceLocation(device.location),
  };
}

function presentDeviceLocation(location: DeviceLocation): DeviceLocation {
  return {
    wardCode: location.wardCode,
    wardName: location.wardName,
    usrn: location.usrn,
    streetName: location.streetName,
    streetDistanceM: location.streetDistanceM,
    uprn: location.uprn,
    uprnDistanceM: location.uprnDistanceM,
  };
}

/** A point's location keys, with the point itself echoed so a caller can match answers to questions. */
export function presentLocation(point: { lon: number; lat: number }, location: DeviceLocation): { lon: number; lat: number } & DeviceLocation {
  return { lon: point.lon, lat: point.lat, ...presentDeviceLocation(location) };
}

export function presentReading(reading: LiveReading): LiveReading {
  return {
    deviceId: reading.deviceId,
    time: reading.time,
    values: { ...reading.values },
    ...(reading.periodS === undefined ? {} : { periodS: reading.periodS }),
  };
}

export function presentAlert(alert: Alert): Alert & { state: AlertState } {
  return {
    id: alert.id,
    kind: alert.kind,
    state: alertState(alert),
    deviceId: alert.deviceId,
    message: alert.message,
    value: alert.value,
    since: alert.since,
    raisedAt: alert.raisedAt,
    clearedAt: alert.clearedAt,
    occurrences: alert.occurrences,
    acknowledgedAt: alert.acknowledgedAt,
    acknowledgedBy: alert.acknowledgedBy,
    resolvedAt: alert.resolvedAt,
    resolvedBy: alert.resolvedBy,
  };
}
