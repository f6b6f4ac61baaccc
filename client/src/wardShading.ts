import type { Metric } from '../../core/metrics.js';
import { METRIC_INFO } from '../../core/metrics.js';
import type { LiveState } from './liveState.js';
import { hexToRgb, type Rgb } from './status.js';

/**
 * The ward choropleth: each ward shaded by the mean of its devices' latest values of one metric.
 * Class breaks are fixed at the numbers people already know (WHO guidelines, the UK objectives, the
 * 2040 PM2.5 target), so the legend explains itself and a colour means the same thing every day,
 * which breaks fitted to today's data would not. One hue (ColorBrewer Purples), read by lightness,
 * apart from the DAQI colours of the circles and the blues of traffic.
 */

export const WARD_METRICS = ['no2', 'pm25', 'pm10', 'speed_kmh'] as const;
export type WardMetric = (typeof WARD_METRICS)[number];

export interface ShadingClass {
  /** Values below this (and at or above the previous class's) fall in the class. */
  upTo: number;
  label: string;
  colour: string;
}

const PURPLES = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'] as const;

function classes(breaks: readonly [number, number, number, number], notes: readonly [string, string, string, string, string], darkIsLow = false): ShadingClass[] {
  const bounds = [...breaks, Number.POSITIVE_INFINITY];
  const colours = darkIsLow ? [...PURPLES].reverse() : [...PURPLES];
  return bounds.map((upTo, i) => {
    const from = i === 0 ? 0 : (breaks[i - 1] as number);
    const range = Number.isFinite(upTo) ? `${from}–${upTo}` : `${from} or more`;
    const note = notes[i] as string;
    return { upTo, label: note ? `${range} (${note})` : range, colour: colours[i] as string };
  });
}

export const WARD_SHADING: Readonly<Record<WardMetric, readonly ShadingClass[]>> = {
  no2: classes([10, 20, 30, 40], ['WHO guideline 10', '', '', 'UK objective 40', 'over the UK objective']),
  pm25: classes([5, 10, 15, 20], ['WHO guideline 5', '2040 target 10', '', 'UK objective 20', 'over the UK objective']),
  pm10: classes([15, 20, 30, 40], ['WHO guideline 15', '', '', 'UK objective 40', 'over the UK objective']),
  speed_kmh: classes([10, 20, 30, 45], ['crawling', '', '', '', 'free-flowing'], true),
};

export interface WardValue {
  mean: number;
  /** Devices whose latest reading has the metric. */
  devices: number;
}

/** Each ward's mean of its devices' latest values of `metric` (devices without it do not count). */
export function wardValues(state: LiveState, metric: Metric): Map<string, WardValue> {
  const sums = new Map<string, { sum: number; devices: number }>();
  for (const device of state.devices.values()) {
    const ward = device.location.wardCode;
    const value = state.latest.get(device.id)?.values[metric];
    if (ward === null || value === undefined) continue;
    const entry = sums.get(ward) ?? { sum: 0, devices: 0 };
    entry.sum += value;
    entry.devices += 1;
    sums.set(ward, entry);
  }
  return new Map([...sums].map(([ward, { sum, devices }]) => [ward, { mean: sum / devices, devices }]));
}

export function shadingClass(metric: WardMetric, value: number): ShadingClass {
  const table = WARD_SHADING[metric];
  return table.find((entry) => value < entry.upTo) ?? (table[table.length - 1] as ShadingClass);
}

export function shadingColour(metric: WardMetric, value: number): Rgb {
  return hexToRgb(shadingClass(metric, value).colour);
}

/** "Nitrogen dioxide (NO₂), µg/m³": the legend's title for a metric. */
export function shadingTitle(metric: WardMetric): string {
  return `${METRIC_INFO[metric].label}, ${METRIC_INFO[metric].unit}`;
}
