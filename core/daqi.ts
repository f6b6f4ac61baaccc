/**
 * Defra's Daily Air Quality Index bands (../shared/FORMATS.md, from Defra's DAQI documentation).
 *
 * This module only bands a concentration that has already been averaged correctly for its
 * pollutant (O3 running 8 h, NO2 hourly, SO2 15 min, PM running 24 h). Averaging lives with the
 * time-series store; a single raw reading banded here is *indicative*, and the UI says so.
 */

export const DAQI_POLLUTANTS = ['o3', 'no2', 'so2', 'pm25', 'pm10'] as const;
export type DaqiPollutant = (typeof DAQI_POLLUTANTS)[number];

export type DaqiIndex = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export type DaqiBand = 'Low' | 'Moderate' | 'High' | 'Very High';

/**
 * Upper bound (inclusive, whole µg/m³) of indices 1–9 for each pollutant; anything above index 9's
 * bound is index 10.
 */
const UPPER_BOUNDS: Readonly<Record<DaqiPollutant, readonly number[]>> = {
  o3: [33, 66, 100, 120, 140, 160, 187, 213, 240],
  no2: [67, 134, 200, 267, 334, 400, 467, 534, 600],
  so2: [88, 177, 266, 354, 443, 532, 710, 887, 1064],
  pm25: [11, 23, 35, 41, 47, 53, 58, 64, 70],
  pm10: [16, 33, 50, 58, 66, 75, 83, 91, 100],
};

/** Official DAQI colours, index 1 to 10. */
export const DAQI_COLOURS: readonly string[] = [
  '#9CFF9C',
  '#31FF00',
  '#31CF00',
  '#FFFF00',
  '#FFCF00',
  '#FF9A00',
  '#FF6464',
  '#FF0000',
  '#990000',
  '#CE30FF',
];

export function daqiBand(index: DaqiIndex): DaqiBand {
  if (index <= 3) return 'Low';
  if (index <= 6) return 'Moderate';
  if (index <= 9) return 'High';
  return 'Very High';
}

export function daqiColour(index: DaqiIndex): string {
  return DAQI_COLOURS[index - 1] as string;
}

/**
 * The DAQI index for an averaged concentration. Concentrations are rounded to whole µg/m³ before
 * banding because the published bands have integer edges (e.g. NO2 67.4 → 67 → index 1,
 * 67.5 → 68 → index 2).
 */
export function daqiIndex(pollutant: DaqiPollutant, concentration: number): DaqiIndex {
  if (!Number.isFinite(concentration) || concentration < 0) {
    throw new RangeError(`DAQI needs a finite, non-negative concentration; got ${concentration} for ${pollutant}`);
  }
  const rounded = Math.round(concentration);
  const bounds = UPPER_BOUNDS[pollutant];
  const position = bounds.findIndex((upper) => rounded <= upper);
  return (position === -1 ? 10 : position + 1) as DaqiIndex;
}

export interface DaqiResult {
  index: DaqiIndex;
  band: DaqiBand;
  /** The pollutant that set the index (the highest sub-index; first in DAQI_POLLUTANTS order on a tie). */
  pollutant: DaqiPollutant;
}

/** The overall index is the highest of the pollutants' sub-indices; undefined if none is given. */
export function overallDaqi(concentrations: Partial<Record<DaqiPollutant, number>>): DaqiResult | undefined {
  let best: DaqiResult | undefined;
  for (const pollutant of DAQI_POLLUTANTS) {
    const value = concentrations[pollutant];
    if (value === undefined) continue;
    const index = daqiIndex(pollutant, value);
    if (!best || index > best.index) best = { index, band: daqiBand(index), pollutant };
  }
  return best;
}
