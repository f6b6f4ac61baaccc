import type { Device } from '../../core/device.js';
import { DAQI_COLOURS, DAQI_POLLUTANT_LABEL, indicativeDaqi as daqiOfValues, type DaqiResult } from '../../core/daqi.js';
import { allMotorVehicles, hourlyFlow } from '../../core/metrics.js';
import type { LiveReading } from '../../core/reading.js';
import type { CongestionLevel } from '../../core/traffic.js';

/**
 * How a device looks on the map and reads in the table. Air-quality devices use the official DAQI
 * colours of their latest reading banded as if it were the averaged value: an *indicative* band,
 * labelled as such, until the store computes the real averaging periods. Traffic devices use a
 * colour-blind-safe single-hue scale of mean speed.
 */

export type Rgb = [number, number, number];

export const NO_DATA_COLOUR: Rgb = [160, 160, 160];

export const KIND_LABEL: Readonly<Record<Device['kind'], string>> = { air_quality: 'Air quality', traffic: 'Traffic' };

export interface SpeedClass {
  upTo: number;
  label: string;
  colour: string;
}

/**
 * ColorBrewer Blues, dark (slow) to light (free-flowing): one hue, so it reads by lightness for every
 * kind of colour vision, and it shares no colour with the DAQI scale on the same map.
 */
export const SPEED_CLASSES: readonly SpeedClass[] = [
  { upTo: 10, label: 'under 10 km/h', colour: '#08306b' },
  { upTo: 20, label: '10–20 km/h', colour: '#2171b5' },
  { upTo: 30, label: '20–30 km/h', colour: '#6baed6' },
  { upTo: 45, label: '30–45 km/h', colour: '#c6dbef' },
  { upTo: Number.POSITIVE_INFINITY, label: '45 km/h or more', colour: '#f7fbff' },
];

/**
 * Congestion on the same blues, dark for slow: free-flowing is pale, severe the darkest, so a street
 * reads the same whether it is coloured by speed or, once its free-flow speed is learned, by congestion.
 */
export const CONGESTION_COLOURS: Readonly<Record<CongestionLevel, string>> = {
  free_flowing: '#c6dbef',
  busy: '#6baed6',
  congested: '#2171b5',
  severe: '#08306b',
};

export function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

export function indicativeDaqi(reading: LiveReading | undefined): DaqiResult | undefined {
  return reading ? daqiOfValues(reading.values) : undefined;
}

export function speedClass(speedKmh: number): SpeedClass {
  return SPEED_CLASSES.find((entry) => speedKmh < entry.upTo) ?? (SPEED_CLASSES[SPEED_CLASSES.length - 1] as SpeedClass);
}

export function deviceColour(device: Device, reading: LiveReading | undefined): Rgb {
  switch (device.kind) {
    case 'air_quality': {
      const daqi = indicativeDaqi(reading);
      return daqi ? hexToRgb(DAQI_COLOURS[daqi.index - 1] as string) : NO_DATA_COLOUR;
    }
    case 'traffic': {
      const speed = reading?.values.speed_kmh;
      return speed === undefined ? NO_DATA_COLOUR : hexToRgb(speedClass(speed).colour);
    }
  }
}

/** A short plain-English status, e.g. "DAQI 2 Low (NO₂), indicative" or "32 km/h, 640 motor vehicles/h". */
export function deviceSummary(device: Device, reading: LiveReading | undefined): string {
  if (!reading) return 'No reading yet';
  switch (device.kind) {
    case 'air_quality': {
      const daqi = indicativeDaqi(reading);
      return daqi ? `DAQI ${daqi.index} ${daqi.band} (${DAQI_POLLUTANT_LABEL[daqi.pollutant]}), indicative` : 'No pollutant values';
    }
    case 'traffic': {
      const parts: string[] = [];
      if (reading.values.speed_kmh !== undefined) parts.push(`${Math.round(reading.values.speed_kmh)} km/h`);
      const vehicles = allMotorVehicles(reading.values);
      const period = reading.periodS ?? device.expectedIntervalS;
      if (vehicles !== undefined) parts.push(`${Math.round(hourlyFlow(vehicles, period))} motor vehicles/h`);
      return parts.length > 0 ? parts.join(', ') : 'No traffic values';
    }
  }
}
