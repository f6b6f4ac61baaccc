import { describe, expect, it } from 'vitest';
import { dailyMax, dailyMaxRunning8hMean, dailyMean, periodMean, running24hMean, running8hMean, validMeans } from './averaging.js';
import type { MeanAggregate } from './dataCapture.js';
import { londonDay } from './londonTime.js';

const HOUR = 3_600_000;

/**
 * Consecutive hourly aggregates from `start` (UTC). A number is a valid hour (4 of 4 readings),
 * `null` a missing hour (no row at all), and `{ low: x }` an hour with only 2 of 4 readings (50 %,
 * invalid) whose mean is x.
 */
function hours(start: string, values: (number | null | { low: number })[]): MeanAggregate[] {
  const startMs = Date.parse(start);
  const rows: MeanAggregate[] = [];
  values.forEach((value, i) => {
    const hourStart = new Date(startMs + i * HOUR).toISOString();
    if (value === null) return;
    if (typeof value === 'number') rows.push({ start: hourStart, mean: value, count: 4, expected: 4 });
    else rows.push({ start: hourStart, mean: value.low, count: 2, expected: 4 });
  });
  return rows;
}

const repeat = <T>(value: T, times: number): T[] => Array<T>(times).fill(value);

describe('validMeans', () => {
  it('keeps valid hours only', () => {
    const means = validMeans(hours('2026-06-15T00:00:00Z', [10, { low: 99 }, null, 30]));
    expect([...means.values()]).toEqual([10, 30]);
  });

  it('refuses hours off the hour and duplicates (a broken query)', () => {
    expect(() => validMeans([{ start: '2026-06-15T00:30:00Z', mean: 1, count: 4, expected: 4 }])).toThrow(/boundary/);
    expect(() => validMeans([...hours('2026-06-15T00:00:00Z', [1]), ...hours('2026-06-15T00:00:00Z', [2])])).toThrow(/two aggregates/);
  });
});

describe('running8hMean', () => {
  it('is the mean of the 8 hours before its end', () => {
    // Hours 06:00–13:00 UTC: 10, 20, …, 80 → sum 360, mean 360 / 8 = 45; labelled by its end, 14:00.
    const means = validMeans(hours('2026-06-15T06:00:00Z', [10, 20, 30, 40, 50, 60, 70, 80]));
    expect(running8hMean(means, '2026-06-15T14:00:00Z')).toEqual({ end: '2026-06-15T14:00:00.000Z', value: 45, valid: 8, possible: 8 });
  });

  it('leaves a missing hour out instead of reading it as zero', () => {
    // 12:00 is missing: (10 + 20 + 30 + 40 + 50 + 60 + 80) / 7 = 290 / 7 = 41.43, not 290 / 8 = 36.25.
    const means = validMeans(hours('2026-06-15T06:00:00Z', [10, 20, 30, 40, 50, 60, null, 80]));
    const mean = running8hMean(means, '2026-06-15T14:00:00Z');
    expect(mean.valid).toBe(7);
    expect(mean.value).toBeCloseTo(290 / 7, 10);
  });

  it('needs 6 of the 8 hours', () => {
    // 6 valid (two missing): (10 + 20 + 30 + 40 + 50 + 60) / 6 = 35.
    const six = validMeans(hours('2026-06-15T06:00:00Z', [10, 20, 30, 40, 50, 60, null, null]));
    expect(running8hMean(six, '2026-06-15T14:00:00Z').value).toBe(35);
    // 5 valid: one missing, two with 50 % of their readings → no mean.
    const five = validMeans(hours('2026-06-15T06:00:00Z', [10, 20, 30, 40, 50, null, { low: 60 }, { low: 70 }]));
    expect(running8hMean(five, '2026-06-15T14:00:00Z')).toEqual({ end: '2026-06-15T14:00:00.000Z', value: null, valid: 5, possible: 8 });
  });

  it('ends on a whole hour', () => {
    expect(() => running8hMean(new Map(), '2026-06-15T14:30:00Z')).toThrow(RangeError);
  });
});

describe('running24hMean', () => {
  it('needs 18 of the 24 hours', () => {
    // 18 hours of 20 then 6 missing: 18 × 20 / 18 = 20.
    const eighteen = validMeans(hours('2026-06-14T14:00:00Z', [...repeat(20, 18), ...repeat(null, 6)]));
    expect(running24hMean(eighteen, '2026-06-15T14:00:00Z')).toEqual({ end: '2026-06-15T14:00:00.000Z', value: 20, valid: 18, possible: 24 });
    // 17 valid of 24 (70.8 %) → no mean.
    const seventeen = validMeans(hours('2026-06-14T14:00:00Z', [...repeat(20, 17), ...repeat(null, 7)]));
    expect(running24hMean(seventeen, '2026-06-15T14:00:00Z').value).toBeNull();
  });

  it('ignores hours outside the window', () => {
    // 25 hours: the first (1000, at 13:00 the day before) is outside the 24 ending at 14:00.
    const means = validMeans(hours('2026-06-14T13:00:00Z', [1000, ...repeat(12, 24)]));
    expect(running24hMean(means, '2026-06-15T14:00:00Z').value).toBe(12);
  });
});

describe('dailyMean (London days)', () => {
  it('is the mean of the valid hours of the day', () => {
    // 15 June 2026 (BST) runs 14 June 23:00Z to 15 June 23:00Z. 12 hours of 10 and 12 of 30:
    // (12 × 10 + 12 × 30) / 24 = 480 / 24 = 20. The hours either side (500) are other days.
    const means = validMeans(hours('2026-06-14T22:00:00Z', [500, ...repeat(10, 12), ...repeat(30, 12), 500]));
    expect(dailyMean(means, londonDay('2026-06-15'))).toEqual({ date: '2026-06-15', value: 20, valid: 24, possible: 24 });
  });

  it('is invalid on a day with 60 % capture', () => {
    // Every hour has 36 of 60 expected readings (60 %), so no hour is valid and the day has none.
    const rows = hours('2026-06-14T23:00:00Z', repeat(25, 24)).map((row) => ({ ...row, count: 36, expected: 60 }));
    expect(dailyMean(validMeans(rows), londonDay('2026-06-15'))).toEqual({ date: '2026-06-15', value: null, valid: 0, possible: 24 });
    // 25-hour day with 15 valid hours: 15 / 25 = 60 % < 75 % → no daily mean.
    const fifteen = validMeans(hours('2026-10-24T23:00:00Z', [...repeat(25, 15), ...repeat(null, 10)]));
    expect(dailyMean(fifteen, londonDay('2026-10-25'))).toEqual({ date: '2026-10-25', value: null, valid: 15, possible: 25 });
  });

  it('needs 18 of 24 hours on an ordinary day', () => {
    const eighteen = validMeans(hours('2026-06-14T23:00:00Z', [...repeat(40, 18), ...repeat(null, 6)]));
    expect(dailyMean(eighteen, londonDay('2026-06-15')).value).toBe(40);
    const seventeen = validMeans(hours('2026-06-14T23:00:00Z', [...repeat(40, 17), ...repeat(null, 7)]));
    expect(dailyMean(seventeen, londonDay('2026-06-15')).value).toBeNull();
  });

  it('takes 75 % of a 23-hour day (18 hours) on 2026-03-29', () => {
    // The day is 29 March 00:00Z to 23:00Z. 18 valid of 23 = 78 % → valid; 17 of 23 = 74 % → not.
    const day = londonDay('2026-03-29');
    const eighteen = validMeans(hours(day.start, [...repeat(30, 18), ...repeat(null, 5)]));
    expect(dailyMean(eighteen, day)).toEqual({ date: '2026-03-29', value: 30, valid: 18, possible: 23 });
    const seventeen = validMeans(hours(day.start, [...repeat(30, 17), ...repeat(null, 6)]));
    expect(dailyMean(seventeen, day).value).toBeNull();
  });

  it('takes 75 % of a 25-hour day (19 hours) on 2026-10-25', () => {
    // 24 Oct 23:00Z to 26 Oct 00:00Z. 18 of 25 = 72 % → no mean; 19 of 25 = 76 % → mean.
    const day = londonDay('2026-10-25');
    const eighteen = validMeans(hours(day.start, [...repeat(30, 18), ...repeat(null, 7)]));
    expect(dailyMean(eighteen, day)).toEqual({ date: '2026-10-25', value: null, valid: 18, possible: 25 });
    // All 25 hours: 24 of 30 and the repeated 01:00 hour (01:00Z, the second 01:00 local) of 55:
    // (24 × 30 + 55) / 25 = 775 / 25 = 31. Both 01:00 hours count.
    const all = validMeans(hours(day.start, [30, 30, 55, ...repeat(30, 22)]));
    expect(dailyMean(all, day)).toEqual({ date: '2026-10-25', value: 31, valid: 25, possible: 25 });
  });
});

describe('dailyMax', () => {
  it('is the highest valid hour of the day, not an invalid one', () => {
    // Valid hours 50, 210, 180, 20 (4 of 24): 210 is the highest; 450 had only 2 of 4 readings.
    const means = validMeans(hours('2026-06-14T23:00:00Z', [50, 210, { low: 450 }, 180, null, 20]));
    expect(dailyMax(means, londonDay('2026-06-15'))).toEqual({ date: '2026-06-15', value: 210, valid: 4, possible: 24 });
  });

  it('is null for a day without data', () => {
    expect(dailyMax(new Map(), londonDay('2026-06-15')).value).toBeNull();
  });
});

describe('dailyMaxRunning8hMean (O3)', () => {
  it('assigns each 8-hour mean to the day it ends in, starting with 17:00–01:00', () => {
    // 15 June 2026 starts at 14 June 23:00Z (midnight BST). Hours 16:00–23:00 local on the 14th
    // (15:00Z–22:00Z) are 200; every hour of the 15th is 50.
    // The mean ending at midnight on the 14th (8 × 200) belongs to the 14th.
    // The 15th's first mean, ending 01:00, covers 17:00–01:00: (7 × 200 + 50) / 8 = 1450 / 8 = 181.25.
    const means = validMeans(hours('2026-06-14T15:00:00Z', [...repeat(200, 8), ...repeat(50, 24)]));
    expect(dailyMaxRunning8hMean(means, londonDay('2026-06-15'))).toEqual({ date: '2026-06-15', value: 181.25, valid: 24, possible: 24 });
  });

  it('finds the highest window in the day', () => {
    // Local 12:00–20:00 (11:00Z–19:00Z) is 120, all else 60 (from 17:00 the day before).
    // Window ending 20:00 local = 8 × 120 / 8 = 120; ending 19:00 = (60 + 7 × 120) / 8 = 112.5.
    const values = [...repeat(60, 7), ...repeat(60, 12), ...repeat(120, 8), ...repeat(60, 4)];
    const means = validMeans(hours('2026-06-14T16:00:00Z', values));
    expect(dailyMaxRunning8hMean(means, londonDay('2026-06-15')).value).toBe(120);
  });

  it('needs 18 of the day’s 24 running means', () => {
    // Only local 00:00–13:00 are valid (14 hours). A window ending at hour E (local) holds hours
    // E−8 … E−1, so it has 6 or more valid hours only for E = 6 … 16: 11 valid means < 18.
    const means = validMeans(hours('2026-06-14T23:00:00Z', repeat(80, 14)));
    expect(dailyMaxRunning8hMean(means, londonDay('2026-06-15'))).toEqual({ date: '2026-06-15', value: null, valid: 11, possible: 24 });
  });

  it('has 23 running means on 2026-03-29 and 25 on 2026-10-25', () => {
    const spring = londonDay('2026-03-29');
    const springMeans = validMeans(hours('2026-03-28T17:00:00Z', repeat(70, 7 + 23)));
    expect(dailyMaxRunning8hMean(springMeans, spring)).toEqual({ date: '2026-03-29', value: 70, valid: 23, possible: 23 });
    const autumn = londonDay('2026-10-25');
    // 17:00 BST on the 24th is 16:00Z.
    const autumnMeans = validMeans(hours('2026-10-24T16:00:00Z', repeat(70, 7 + 25)));
    expect(dailyMaxRunning8hMean(autumnMeans, autumn)).toEqual({ date: '2026-10-25', value: 70, valid: 25, possible: 25 });
  });
});

describe('periodMean', () => {
  it('averages the valid hours of the period, whatever their number', () => {
    // 3 valid of 5: (10 + 20 + 60) / 3 = 30.
    const means = validMeans(hours('2026-06-15T00:00:00Z', [10, null, 20, { low: 500 }, 60]));
    expect(periodMean(means, { start: '2026-06-15T00:00:00Z', end: '2026-06-15T05:00:00Z' })).toEqual({ value: 30, valid: 3, possible: 5 });
  });
});
