import { describe, expect, it } from 'vitest';
import { running8hMean, validMeans } from './averaging.js';
import {
  combinedCompleteness,
  capture,
  completeness,
  excludeFlagged,
  findOutOfRange,
  findStuckRuns,
  isValidMean,
  minValidCount,
  timeliness,
  type MeanAggregate,
  type SeriesPoint,
} from './dataCapture.js';
import { londonDay } from './londonTime.js';

const aggregate = (overrides: Partial<MeanAggregate> = {}): MeanAggregate => ({ start: '2026-06-15T10:00:00Z', mean: 40, count: 4, expected: 4, ...overrides });

/** Points `stepMinutes` apart from `start`, one per value. */
function series(start: string, stepMinutes: number, values: number[]): SeriesPoint[] {
  const startMs = Date.parse(start);
  return values.map((value, i) => ({ time: new Date(startMs + i * stepMinutes * 60_000).toISOString(), value }));
}

describe('isValidMean: 75 % of expected readings', () => {
  it('accepts exactly 75 % and refuses less', () => {
    // 15-minute device: 4 readings an hour; 3 of 4 = 75 % (valid), 2 of 4 = 50 % (not).
    expect(isValidMean(aggregate({ count: 3, expected: 4 }))).toBe(true);
    expect(isValidMean(aggregate({ count: 2, expected: 4 }))).toBe(false);
    // 1-minute device: 45 of 60 = 75 % (valid), 44 of 60 = 73.3 % (not).
    expect(isValidMean(aggregate({ count: 45, expected: 60 }))).toBe(true);
    expect(isValidMean(aggregate({ count: 44, expected: 60 }))).toBe(false);
    // 60 % of the readings: 36 of 60.
    expect(isValidMean(aggregate({ count: 36, expected: 60 }))).toBe(false);
  });

  it('refuses an hour without a mean or without an expectation', () => {
    expect(isValidMean(aggregate({ mean: null, count: 0 }))).toBe(false);
    expect(isValidMean(aggregate({ mean: Number.NaN }))).toBe(false);
    expect(isValidMean(aggregate({ expected: 0, count: 0 }))).toBe(false);
  });

  it('accepts more readings than expected', () => {
    expect(isValidMean(aggregate({ count: 6, expected: 4 }))).toBe(true);
  });
});

describe('minValidCount: 75 % rounded up', () => {
  it('is 6 of 8 and 18 of 24, and follows clock-change days', () => {
    expect(minValidCount(8)).toBe(6); // 8 × 0.75 = 6
    expect(minValidCount(24)).toBe(18); // 24 × 0.75 = 18
    expect(minValidCount(23)).toBe(18); // 23 × 0.75 = 17.25 → 18
    expect(minValidCount(25)).toBe(19); // 25 × 0.75 = 18.75 → 19
    expect(minValidCount(4)).toBe(3);
  });
});

describe('capture', () => {
  it('flags under 75 % as too little data and under 90 % as below target', () => {
    // A year of 8760 hours: 75 % = 6570 hours, 90 % = 7884 hours.
    expect(capture(6569, 8760).flag).toBe('too_little_data');
    expect(capture(6570, 8760)).toEqual({ valid: 6570, possible: 8760, share: 0.75, flag: 'below_target' });
    expect(capture(7883, 8760).flag).toBe('below_target');
    expect(capture(7884, 8760).flag).toBe('ok');
    expect(capture(8760, 8760)).toEqual({ valid: 8760, possible: 8760, share: 1, flag: 'ok' });
  });

  it('is 0 and too little for an empty period', () => {
    expect(capture(0, 0)).toEqual({ valid: 0, possible: 0, share: 0, flag: 'too_little_data' });
  });
});

describe('combinedCompleteness', () => {
  it('adds what devices received and what they should have sent, capping the share at 1', () => {
    // A one-minute device with 720 of 1,440 and a 10-minute one with 144 of 144: 864 ÷ 1,584 = 54.5 %,
    // not the 75 % a mean of the two shares would give.
    const ward = combinedCompleteness([
      { received: 720, expected: 1440, share: 0.5 },
      { received: 144, expected: 144, share: 1 },
    ]);
    expect(ward).toEqual({ received: 864, expected: 1584, share: 864 / 1584 });
    expect(combinedCompleteness([{ received: 30, expected: 20, share: 1 }]).share).toBe(1);
    expect(combinedCompleteness([])).toEqual({ received: 0, expected: 0, share: 0 });
  });
});

describe('completeness', () => {
  it('divides received by the reporting intervals in the period', () => {
    // 15-minute device over a 24-hour day: 24 × 4 = 96 expected; 90 received → 90 / 96 = 0.9375.
    expect(completeness(90, londonDay('2026-06-15'), 900)).toEqual({ received: 90, expected: 96, share: 0.9375 });
  });

  it('counts the hours of clock-change days', () => {
    // 23 × 4 = 92 and 25 × 4 = 100 readings expected.
    expect(completeness(92, londonDay('2026-03-29'), 900)).toEqual({ received: 92, expected: 92, share: 1 });
    expect(completeness(96, londonDay('2026-10-25'), 900)).toEqual({ received: 96, expected: 100, share: 0.96 });
  });

  it('caps at 1 when a device reports faster than configured', () => {
    expect(completeness(120, londonDay('2026-06-15'), 900).share).toBe(1);
  });
});

describe('timeliness', () => {
  it('is the share of received readings that arrived within the delay', () => {
    // 90 of 96 readings within 5 minutes → 0.9375.
    expect(timeliness({ received: 96, onTime: 90 }, 300)).toEqual({ received: 96, onTime: 90, maxDelayS: 300, share: 0.9375 });
    expect(timeliness({ received: 0, onTime: 0 }, 300).share).toBeNull();
    expect(() => timeliness({ received: 3, onTime: 4 }, 300)).toThrow(RangeError);
  });
});

describe('findStuckRuns', () => {
  it('flags three hourly means in a row with the same value (3 hours)', () => {
    // 01:00, 02:00, 03:00 all 12 → a run from 01:00 to 04:00 = 3 hours ≥ 3 hours.
    const points = series('2026-06-15T00:00:00Z', 60, [10, 12, 12, 12, 11]);
    expect(findStuckRuns(points, { intervalS: 3600 })).toEqual([
      { reason: 'stuck', start: '2026-06-15T01:00:00.000Z', end: '2026-06-15T04:00:00.000Z', value: 12, points: 3 },
    ]);
  });

  it('does not flag two hours, nor a run broken by a missing hour', () => {
    expect(findStuckRuns(series('2026-06-15T00:00:00Z', 60, [10, 12, 12, 11]), { intervalS: 3600 })).toEqual([]);
    // 00:00 and 01:00 are 12, 02:00 is missing, 03:00 is 12: two runs of 2 h and 1 h.
    const gap = series('2026-06-15T00:00:00Z', 60, [12, 12, 0, 12]).filter((_, i) => i !== 2);
    expect(findStuckRuns(gap, { intervalS: 3600 })).toEqual([]);
  });

  it('works on raw readings: 36 five-minute readings = 3 h, 35 = 2 h 55 min', () => {
    const three = series('2026-06-15T00:00:00Z', 5, [...Array<number>(36).fill(7.5), 8]);
    expect(findStuckRuns(three, { intervalS: 300 })).toEqual([
      { reason: 'stuck', start: '2026-06-15T00:00:00.000Z', end: '2026-06-15T03:00:00.000Z', value: 7.5, points: 36 },
    ]);
    const short = series('2026-06-15T00:00:00Z', 5, [...Array<number>(35).fill(7.5), 8]);
    expect(findStuckRuns(short, { intervalS: 300 })).toEqual([]);
  });

  it('treats values within the tolerance as the same, and takes a custom minimum', () => {
    // (0.1 + 0.1 + 0.1) / 3 = 0.10000000000000002 in floating point: still "the same" as 0.1.
    const points = series('2026-06-15T00:00:00Z', 60, [0.1, (0.1 + 0.1 + 0.1) / 3, 0.1]);
    expect(findStuckRuns(points, { intervalS: 3600 })).toHaveLength(1);
    expect(findStuckRuns(points, { intervalS: 3600, minDurationS: 4 * 3600 })).toEqual([]);
  });

  it('refuses a series out of time order', () => {
    const points = series('2026-06-15T00:00:00Z', 60, [1, 2]).reverse();
    expect(() => findStuckRuns(points, { intervalS: 3600 })).toThrow(RangeError);
  });
});

describe('findOutOfRange and excludeFlagged', () => {
  it('flags means outside the physical range of core/metrics.ts', () => {
    // NO2 range is 0–2000 µg/m³.
    const hours = [
      aggregate({ start: '2026-06-15T10:00:00Z', mean: 1999 }),
      aggregate({ start: '2026-06-15T11:00:00Z', mean: 2500 }),
      aggregate({ start: '2026-06-15T12:00:00Z', mean: -1 }),
    ];
    expect(findOutOfRange('no2', hours, 3600)).toEqual([
      { reason: 'out_of_range', start: '2026-06-15T11:00:00Z', end: '2026-06-15T12:00:00.000Z', value: 2500, points: 1 },
      { reason: 'out_of_range', start: '2026-06-15T12:00:00Z', end: '2026-06-15T13:00:00.000Z', value: -1, points: 1 },
    ]);
  });

  it('drops every hour a flag touches, leaving gaps', () => {
    const hours = ['09', '10', '11', '12'].map((h) => aggregate({ start: `2026-06-15T${h}:00:00Z` }));
    // A stuck run from 10:30 to 11:10 touches the 10:00 and 11:00 hours.
    const kept = excludeFlagged(hours, [{ reason: 'stuck', start: '2026-06-15T10:30:00Z', end: '2026-06-15T11:10:00Z', value: 3, points: 9 }], 3600);
    expect(kept.map((hour) => hour.start)).toEqual(['2026-06-15T09:00:00Z', '2026-06-15T12:00:00Z']);
  });

  it('turns a stuck stretch into gaps that the capture rules then count', () => {
    // 8 hourly means 06:00–13:00: 31, 35, then 40 four times (stuck, 4 h), then 38, 36.
    // Without the stuck hours, 4 of 8 are valid (< 6) → no running 8-hour mean.
    const values = [31, 35, 40, 40, 40, 40, 38, 36];
    const hours = values.map((mean, i) => aggregate({ start: `2026-06-15T${String(6 + i).padStart(2, '0')}:00:00.000Z`, mean }));
    const flags = findStuckRuns(hours.map((hour) => ({ time: hour.start, value: hour.mean ?? Number.NaN })), { intervalS: 3600 });
    expect(flags).toEqual([{ reason: 'stuck', start: '2026-06-15T08:00:00.000Z', end: '2026-06-15T12:00:00.000Z', value: 40, points: 4 }]);
    const kept = excludeFlagged(hours, flags, 3600);
    expect(running8hMean(validMeans(kept), '2026-06-15T14:00:00Z')).toMatchObject({ value: null, valid: 4 });
  });
});
