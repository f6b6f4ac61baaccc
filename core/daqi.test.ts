import { describe, expect, it } from 'vitest';
import type { MeanAggregate } from './dataCapture.js';
import {
  areaDaqi,
  areaMeanLevels,
  currentDaqi,
  DAQI_COLOURS,
  daqiBand,
  daqiColour,
  daqiIndex,
  dailyDaqi,
  latestCompleteHourEnd,
  overallDaqi,
  reportConcentrations,
  type DaqiIndex,
  type DaqiPollutant,
} from './daqi.js';

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

  it('rounds halves up at the NO2 Low/Moderate edge', () => {
    expect(daqiIndex('no2', 200.4)).toBe(3); // 200 → index 3, Low
    expect(daqiIndex('no2', 200.5)).toBe(4); // 201 → index 4, Moderate
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

/**
 * Consecutive aggregates `stepMinutes` apart from `start`: a number is a valid period (4 of 4
 * readings), null a missing one, `{ low: x }` one with 2 of 4 readings (invalid).
 */
function aggregates(start: string, values: (number | null | { low: number })[], stepMinutes = 60): MeanAggregate[] {
  const startMs = Date.parse(start);
  const rows: MeanAggregate[] = [];
  values.forEach((value, i) => {
    const periodStart = new Date(startMs + i * stepMinutes * 60_000).toISOString();
    if (value === null) return;
    if (typeof value === 'number') rows.push({ start: periodStart, mean: value, count: 4, expected: 4 });
    else rows.push({ start: periodStart, mean: value.low, count: 2, expected: 4 });
  });
  return rows;
}

const repeat = <T>(value: T, times: number): T[] => Array<T>(times).fill(value);

describe('currentDaqi', () => {
  // The hour 13:00–14:00 UTC on 15 June 2026 has just ended.
  const asOf = '2026-06-15T14:00:00Z';
  const series = {
    hourly: {
      // NO2 13:00 hour = 210 → index 4 (201–267).
      no2: aggregates('2026-06-15T12:00:00Z', [500, 210]),
      // O3 06:00–13:00: 100 + 110 + 120 + 130 + 130 + 120 + 110 + 100 = 920; 920 / 8 = 115 → index 4 (101–120).
      o3: aggregates('2026-06-15T06:00:00Z', [100, 110, 120, 130, 130, 120, 110, 100]),
      // PM2.5 14:00 the day before to 13:00: 20 valid hours of 48, 4 missing → 48 → index 6 (48–53).
      pm25: aggregates('2026-06-14T14:00:00Z', [...repeat(48, 10), ...repeat(null, 4), ...repeat(48, 10)]),
      // PM10: 24 hours of 30 → index 2 (17–33).
      pm10: aggregates('2026-06-14T14:00:00Z', repeat(30, 24)),
    },
    // SO2 13:00, 13:15, 13:30, 13:45 = 100, 300, 90, and 400 from 2 of 4 readings (invalid):
    // the highest valid is 300 → index 4 (267–354).
    so2FifteenMinute: aggregates('2026-06-15T13:00:00Z', [100, 300, 90, { low: 400 }], 15),
  };

  it('bands each pollutant on its own averaging and reports the highest', () => {
    const result = currentDaqi(series, asOf);
    expect(result.asOf).toBe('2026-06-15T14:00:00.000Z');
    expect(result.overall).toEqual({ index: 6, band: 'Moderate', pollutant: 'pm25' });
    expect(result.insufficient).toEqual([]);
    expect(result.subIndices).toEqual({
      no2: { pollutant: 'no2', index: 4, band: 'Moderate', value: 210, averaging: 'hourly_mean', valid: 1, possible: 1 },
      so2: { pollutant: 'so2', index: 4, band: 'Moderate', value: 300, averaging: 'max_15_minute_mean_in_hour', valid: 3, possible: 4 },
      o3: { pollutant: 'o3', index: 4, band: 'Moderate', value: 115, averaging: 'running_8h_mean', valid: 8, possible: 8 },
      pm25: { pollutant: 'pm25', index: 6, band: 'Moderate', value: 48, averaging: 'running_24h_mean', valid: 20, possible: 24 },
      pm10: { pollutant: 'pm10', index: 2, band: 'Low', value: 30, averaging: 'running_24h_mean', valid: 24, possible: 24 },
    });
    expect(reportConcentrations(result)).toEqual({ o3: 115, no2: 210, so2: 300, pm25: 48, pm10: 30 });
  });

  it('does not let an older hour stand in for a missing one', () => {
    // NO2 has 12:00 (500) but the 13:00 hour is missing; PM2.5 has only 17 hours of its 24.
    const result = currentDaqi(
      { hourly: { no2: aggregates('2026-06-15T12:00:00Z', [500, null]), pm25: aggregates('2026-06-14T21:00:00Z', repeat(48, 17)) } },
      asOf,
    );
    expect(result.overall).toBeUndefined();
    expect(result.subIndices).toEqual({});
    expect(result.insufficient).toEqual(['no2', 'pm25']);
  });

  it('leaves out pollutants the device does not measure', () => {
    const result = currentDaqi({ hourly: { pm10: series.hourly.pm10 } }, asOf);
    expect(result.overall).toEqual({ index: 2, band: 'Low', pollutant: 'pm10' });
    expect(Object.keys(result.subIndices)).toEqual(['pm10']);
    expect(result.insufficient).toEqual([]);
  });

  it('uses the rounded hourly mean at the band edge', () => {
    expect(currentDaqi({ hourly: { no2: aggregates('2026-06-15T13:00:00Z', [200.4]) } }, asOf).overall?.index).toBe(3);
    expect(currentDaqi({ hourly: { no2: aggregates('2026-06-15T13:00:00Z', [200.5]) } }, asOf).overall?.index).toBe(4);
  });

  it('is for whole hours', () => {
    expect(latestCompleteHourEnd('2026-06-15T14:20:31Z')).toBe('2026-06-15T14:00:00.000Z');
    expect(latestCompleteHourEnd('2026-06-15T14:00:00Z')).toBe('2026-06-15T14:00:00.000Z');
    expect(() => currentDaqi(series, '2026-06-15T14:20:00Z')).toThrow(RangeError);
  });
});

describe('dailyDaqi', () => {
  it('gives the index for the 25-hour day 2026-10-25', () => {
    // The day runs 24 Oct 23:00Z to 26 Oct 00:00Z (25 hours).
    const series = {
      hourly: {
        // NO2: 40 every hour but 230 at 01:00Z (the second, GMT, 01:00 local) → max 230 → index 4.
        no2: aggregates('2026-10-24T23:00:00Z', [40, 40, 230, ...repeat(40, 22)]),
        // PM10: 19 of 25 hours (76 %) at 52 → daily mean 52 → index 4 (51–58).
        pm10: aggregates('2026-10-24T23:00:00Z', [...repeat(52, 19), ...repeat(null, 6)]),
        // PM2.5: 18 of 25 hours (72 % < 75 %) → no daily mean, though 18 would do on a 24-hour day.
        pm25: aggregates('2026-10-24T23:00:00Z', [...repeat(60, 18), ...repeat(null, 7)]),
        // O3: 90 from 17:00 BST the day before (16:00Z), 7 + 25 hours → max running 8-h mean 90 → index 3.
        o3: aggregates('2026-10-24T16:00:00Z', repeat(90, 32)),
      },
      // SO2: 100 quarter hours of 50 with one of 360 → max 360 → index 5 (355–443).
      so2FifteenMinute: aggregates('2026-10-24T23:00:00Z', [...repeat(50, 40), 360, ...repeat(50, 59)], 15),
    };
    const result = dailyDaqi(series, '2026-10-25');
    expect(result.date).toBe('2026-10-25');
    expect(result.overall).toEqual({ index: 5, band: 'Moderate', pollutant: 'so2' });
    expect(result.insufficient).toEqual(['pm25']);
    expect(result.subIndices.no2).toMatchObject({ value: 230, index: 4, averaging: 'daily_max_hourly_mean', valid: 25, possible: 25 });
    expect(result.subIndices.pm10).toMatchObject({ value: 52, index: 4, averaging: 'daily_mean', valid: 19, possible: 25 });
    expect(result.subIndices.o3).toMatchObject({ value: 90, index: 3, averaging: 'daily_max_running_8h_mean', valid: 25, possible: 25 });
    expect(result.subIndices.so2).toMatchObject({ value: 360, index: 5, averaging: 'daily_max_15_minute_mean', valid: 100, possible: 100 });
  });

  it('gives the index for the 23-hour day 2026-03-29', () => {
    // 29 Mar 00:00Z to 23:00Z. PM2.5: 18 of 23 hours (78 %): 9 of 30 and 9 of 42 → (270 + 378) / 18 = 36 → index 4.
    const result = dailyDaqi({ hourly: { pm25: aggregates('2026-03-29T00:00:00Z', [...repeat(30, 9), ...repeat(42, 9), ...repeat(null, 5)]) } }, '2026-03-29');
    expect(result.subIndices.pm25).toMatchObject({ value: 36, index: 4, valid: 18, possible: 23 });
  });
});

describe('areaDaqi and areaMeanLevels', () => {
  it('takes the highest device index, naming the device and pollutant', () => {
    const area = areaDaqi([
      { deviceId: 'park-1', daqi: { index: 2, band: 'Low', pollutant: 'pm25' } },
      { deviceId: 'high-st-2', daqi: { index: 7, band: 'High', pollutant: 'no2' } },
      { deviceId: 'school-3', daqi: undefined },
      { deviceId: 'high-st-1', daqi: { index: 7, band: 'High', pollutant: 'o3' } },
    ]);
    // Two devices at 7: the lower id wins, so the result does not depend on row order.
    expect(area).toEqual({ index: 7, band: 'High', pollutant: 'o3', deviceId: 'high-st-1', devices: 3 });
    expect(areaDaqi([{ deviceId: 'x', daqi: undefined }])).toBeUndefined();
    expect(areaDaqi([])).toBeUndefined();
  });

  it('averages levels across the devices that measure each pollutant', () => {
    // NO2 (30 + 50 + 40) / 3 = 40; PM2.5 (10 + 14) / 2 = 12; nobody measures O3.
    expect(areaMeanLevels([{ no2: 30, pm25: 10 }, { no2: 50 }, { no2: 40, pm25: 14 }])).toEqual({
      no2: { mean: 40, devices: 3 },
      pm25: { mean: 12, devices: 2 },
    });
  });
});
