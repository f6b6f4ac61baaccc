import { daqiColour } from '../../core/daqi.js';
import type { DeviceKind, LocatedDevice } from '../../core/device.js';
import { allMotorVehicles, hourlyFlow } from '../../core/metrics.js';
import type { LiveReading } from '../../core/reading.js';
import { CONGESTION_LEVEL_TEXT, congestion } from '../../core/traffic.js';
import type { LiveState } from './liveState.js';
import { CONGESTION_COLOURS, hexToRgb, indicativeDaqi, speedClass, type Rgb } from './status.js';

/**
 * The status of each street that has devices on it (by the device's USRN): the worst latest reading
 * of its devices, kept per kind because an index and a speed cannot be ranked against each other.
 * For air quality the worst is the highest indicative DAQI index, for traffic the slowest mean
 * speed, coloured by congestion (speed against the counter's learned free-flow speed) where that is
 * known and by the speed itself until then. Streets without devices have no entry and stay neutral
 * on the map.
 */

export interface WorstReading {
  deviceId: string;
  colour: Rgb;
  /** Plain English, e.g. "DAQI 7 High, indicative" or "12 km/h". */
  label: string;
}

export interface StreetStatus {
  usrn: number;
  /** The street name the devices' location gives, null when none has one. */
  name: string | null;
  /** Names of the wards its devices are in, sorted (a street can cross a ward boundary). */
  wardNames: string[];
  /** Ids of the devices on the street, by kind, sorted. */
  devices: Record<DeviceKind, string[]>;
  /** The worst latest reading of each kind; null when no device of that kind has a usable one. */
  worst: Record<DeviceKind, WorstReading | null>;
  /** The busiest counter's latest flow, motor vehicles per hour; null without a count. */
  trafficFlow: number | null;
}

/** A device's latest reading as a candidate for its street's worst, with a severity: higher is worse. */
function rank(device: LocatedDevice, reading: LiveReading | undefined, freeFlowKmh: number | undefined): { severity: number; worst: WorstReading } | undefined {
  switch (device.kind) {
    case 'air_quality': {
      const daqi = indicativeDaqi(reading);
      if (!daqi) return undefined;
      const label = `DAQI ${daqi.index} ${daqi.band}, indicative`;
      return { severity: daqi.index, worst: { deviceId: device.id, colour: hexToRgb(daqiColour(daqi.index)), label } };
    }
    case 'traffic': {
      const speed = reading?.values.speed_kmh;
      if (speed === undefined) return undefined;
      if (freeFlowKmh === undefined) {
        return { severity: -speed, worst: { deviceId: device.id, colour: hexToRgb(speedClass(speed).colour), label: `${Math.round(speed)} km/h` } };
      }
      const { level } = congestion(speed, freeFlowKmh);
      const label = `${CONGESTION_LEVEL_TEXT[level]}: ${Math.round(speed)} km/h (free-flow ${Math.round(freeFlowKmh)} km/h)`;
      return { severity: -speed, worst: { deviceId: device.id, colour: hexToRgb(CONGESTION_COLOURS[level]), label } };
    }
  }
}

interface Accumulator {
  status: StreetStatus;
  wards: Set<string>;
  severity: Record<DeviceKind, number>;
}

/** Every street with at least one device on it, by USRN. Devices with no street are left out. */
export function streetStatuses(state: LiveState, freeFlowKmh: Readonly<Record<string, number>> = {}): Map<number, StreetStatus> {
  const streets = new Map<number, Accumulator>();
  // By id, so a tie goes to the same device whatever order the devices arrived in.
  const byId = [...state.devices.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const device of byId) {
    const { usrn, streetName, wardName } = device.location;
    if (usrn === null) continue;
    let street = streets.get(usrn);
    if (!street) {
      street = {
        status: { usrn, name: null, wardNames: [], devices: { air_quality: [], traffic: [] }, worst: { air_quality: null, traffic: null }, trafficFlow: null },
        wards: new Set(),
        severity: { air_quality: Number.NEGATIVE_INFINITY, traffic: Number.NEGATIVE_INFINITY },
      };
      streets.set(usrn, street);
    }
    street.status.name ??= streetName;
    if (wardName !== null) street.wards.add(wardName);
    street.status.devices[device.kind].push(device.id);
    const reading = state.latest.get(device.id);
    const ranked = rank(device, reading, freeFlowKmh[device.id]);
    const vehicles = device.kind === 'traffic' && reading ? allMotorVehicles(reading.values) : undefined;
    if (vehicles !== undefined) {
      const flow = hourlyFlow(vehicles, reading?.periodS ?? device.expectedIntervalS);
      street.status.trafficFlow = Math.max(street.status.trafficFlow ?? 0, flow);
    }
    if (ranked && ranked.severity > street.severity[device.kind]) {
      street.severity[device.kind] = ranked.severity;
      street.status.worst[device.kind] = ranked.worst;
    }
  }
  const result = new Map<number, StreetStatus>();
  for (const [usrn, { status, wards }] of streets) {
    result.set(usrn, { ...status, wardNames: [...wards].sort((a, b) => a.localeCompare(b)) });
  }
  return result;
}
