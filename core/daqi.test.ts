import { describe, expect, it } from 'vitest';
import { DAQI_COLOURS, daqiBand, daqiColour, daqiIndex, overallDaqi, type DaqiIndex, type DaqiPollutant } from './daqi.js';

// Band edges from Defra's DAQI table (../shared/FORMATS.md): the last value of each index and the
// first of the next, for every pollutant.
const EDGES: Record<DaqiPollutant, number[]> = {
  o3: [33, 66, 100, 120, 140, 160, 187, 213, 240],
  no2: [67, 134, 200, 267, 334, 400, 467, 534, 600],
  so2: [88, 177, 266, 354, 443, 532, 710, 887, 1064],
  pm25: [11, 23, 35, 41, 47, 53, 58, 64, 70],
  pm10: [16, 33, 50, 58, 66, 75, 83, 91, 100],
};

describe('daqiIndex', () => {
  for (const [pollutant, edges] of Object.entries(EDGES) as [DaqiPollutant, number[]][]) {
    it(`bands ${pollutant} at every published edge`, () => {
      edges.forEach((upper, i) => {
        expect(daqiIndex(pollutant, upper)).toBe(i + 1);
        expect(daqiIndex(pollutant, upper + 1)).toBe(i + 2);
      });
      expect(daqiIndex(pollutant, 0)).toBe(1);
    });
  }

  it('rounds to whole µg/m³ before banding', () => {
    expect(daqiIndex('no2', 67.4)).toBe(1); // 67
    expect(daqiIndex('no2', 67.5)).toBe(2); // 68
    expect(daqiIndex('pm25', 11.49)).toBe(1);
    expect(daqiIndex('pm25', 11.5)).toBe(2);
    expect(daqiIndex('o3', 240.4)).toBe(9);
    expect(daqiIndex('o3', 240.5)).toBe(10);
  });

  it('is 10 for anything above the index 9 band', () => {
    expect(daqiIndex('pm10', 101)).toBe(10);
    expect(daqiIndex('no2', 5000)).toBe(10);
  });

  it('refuses negative or non-finite concentrations', () => {
    expect(() => daqiIndex('no2', -1)).toThrow(RangeError);
    expect(() => daqiIndex('pm25', Number.NaN)).toThrow(RangeError);
    expect(() => daqiIndex('pm25', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('bands and colours', () => {
  it('names the bands Low 1–3, Moderate 4–6, High 7–9, Very High 10', () => {
    const bands = Array.from({ length: 10 }, (_, i) => daqiBand((i + 1) as DaqiIndex));
    expect(bands).toEqual(['Low', 'Low', 'Low', 'Moderate', 'Moderate', 'Moderate', 'High', 'High', 'High', 'Very High']);
  });

  it('uses the official colours', () => {
    expect(DAQI_COLOURS).toHaveLength(10);
    expect(daqiColour(1)).toBe('#9CFF9C');
    expect(daqiColour(4)).toBe('#FFFF00');
    expect(daqiColour(7)).toBe('#FF6464');
    expect(daqiColour(10)).toBe('#CE30FF');
  });
});

describe('overallDaqi', () => {
  it('is the highest sub-index and names the pollutant that set it', () => {
    // NO2 150 → 3, PM2.5 40 → 4, O3 50 → 2: PM2.5 sets index 4, Moderate.
    expect(overallDaqi({ no2: 150, pm25: 40, o3: 50 })).toEqual({ index: 4, band: 'Moderate', pollutant: 'pm25' });
  });

  it('keeps the first pollutant in table order on a tie', () => {
    // O3 34 → 2 and NO2 68 → 2.
    expect(overallDaqi({ no2: 68, o3: 34 })).toEqual({ index: 2, band: 'Low', pollutant: 'o3' });
  });

  it('is undefined without any pollutant', () => {
    expect(overallDaqi({})).toBeUndefined();
  });
});
