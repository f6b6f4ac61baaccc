import { describe, expect, it } from 'vitest';
import type { MeanAggregate } from './dataCapture.js';
import { deviceDays } from './deviceDays.js';
import { londonDay } from './londonTime.js';

const HOUR = 3_600_000;

/** Hourly aggregates from `start` (UTC), one per value; null is an hour without readings. */
function hours(start: string, values: readonly (number | null)[], count = 6, expected = 6): MeanAggregate[] {
  return values.flatMap((value, i) => (value === null ? [] : [{ start: new Date(Date.parse(start) + i * HOUR).toISOString(), mean: value, count, expected }]));
}

describe('a device day', () => {
  it('keeps valid hours, their sum, the daily mean, hours over 200 and the DAQI (hand-worked)', () => {
    // 15 March 2026 (GMT): NO2 20 for 22 hours, 250 at 08:00 and 09:00 (over 200), 200 at 10:00 is not.
    const no2 = Array.from({ length: 24 }, (_, h) => (h === 8 || h === 9 ? 250 : h === 10 ? 200 : 20));
    const [day] = deviceDays({ air: { hourly: { no2: hours('2026-03-15T00:00:00Z', no2) } } }, [londonDay('2026-03-15')]);
    expect(day?.pollutants.no2).toEqual({ validHours: 24, hourSum: 21 * 20 + 500 + 200, dailyMean: (21 * 20 + 700) / 24, hoursOver: 2 });
    // Highest hour 250: NO2 band 4 (201–267), Moderate.
    expect(day?.daqi).toBe(4);
  });

  it('leaves the daily mean out under 18 valid hours, but keeps the hours for the period mean', () => {
    const pm10 = Array.from({ length: 24 }, (_, h) => (h < 17 ? 30 : null));
    const [day] = deviceDays({ air: { hourly: { pm10: hours('2026-03-15T00:00:00Z', pm10) } } }, [londonDay('2026-03-15')]);
    expect(day?.pollutants.pm10).toEqual({ validHours: 17, hourSum: 510, dailyMean: null });
    expect(day?.daqi).toBeNull();
  });

  it('does not count an hour with under 75 % of its readings', () => {
    const [day] = deviceDays({ air: { hourly: { no2: [...hours('2026-03-15T00:00:00Z', [300], 4), ...hours('2026-03-15T01:00:00Z', [20])] } } }, [londonDay('2026-03-15')]);
    expect(day?.pollutants.no2).toMatchObject({ validHours: 1, hourSum: 20, hoursOver: 0 });
  });

  it('counts the 25 hours of the autumn clock-change day (London 25 October 2026)', () => {
    // The day runs from 23:00 UTC on the 24th (BST) to 00:00 UTC on the 26th (GMT).
    const o3 = Array.from({ length: 7 + 25 }, (_, i) => (i === 7 + 12 ? 100 : 60));
    const [day] = deviceDays({ air: { hourly: { o3: hours('2026-10-24T16:00:00Z', o3) } } }, [londonDay('2026-10-25')]);
    expect(day?.pollutants.o3?.validHours).toBe(25);
    expect(day?.pollutants.o3?.dailyMean).toBeCloseTo((24 * 60 + 100) / 25, 10);
    // The highest running 8-hour mean holds the 100: (7 × 60 + 100) / 8 = 65.
    expect(day?.pollutants.o3?.max8h).toBe(65);
  });

  it('keeps traffic flow and speed, and the speeds of the night hours (00:00–05:00 London)', () => {
    const start = '2026-03-15T00:00:00Z';
    const speed = Array.from({ length: 24 }, (_, h) => (h < 5 ? 48 : 24));
    const [day] = deviceDays(
      { air: { hourly: {} }, flow: hours(start, Array(24).fill(300)), speed: hours(start, speed) },
      [londonDay('2026-03-15')],
    );
    expect(day?.flow).toEqual({ validHours: 24, hourSum: 7200, dailyMean: 300 });
    expect(day?.speed).toEqual({ validHours: 24, hourSum: 5 * 48 + 19 * 24, dailyMean: 29 });
    expect(day?.nightSpeeds).toEqual([48, 48, 48, 48, 48]);
    expect(day?.pollutants).toEqual({});
  });
});
