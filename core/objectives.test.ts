import { describe, expect, it } from 'vitest';
import type { MeanAggregate } from './dataCapture.js';
import { londonDay, londonDays, londonYear, type Period } from './londonTime.js';
import { AIR_QUALITY_OBJECTIVES, assessObjectives, type ObjectiveAssessment } from './objectives.js';

const HOUR = 3_600_000;
const YEAR = londonYear(2026); // 2026-01-01T00:00Z to 2027-01-01T00:00Z: 8760 hours, 365 days.

/** London date and local hour (0 at midnight) of every hour start from 31 Dec 2025 to the end of 2026. */
const LOCAL = new Map<number, { date: string; hour: number }>();
for (const day of londonDays({ start: '2025-12-31T00:00:00Z', end: YEAR.end })) {
  const startMs = Date.parse(day.start);
  for (let h = 0; h < day.hours; h += 1) LOCAL.set(startMs + h * HOUR, { date: day.date, hour: h });
}
const localOf = (t: number) => LOCAL.get(Math.floor(t / HOUR) * HOUR) ?? { date: '', hour: -1 };

/**
 * Aggregates every `stepMs` (an hour by default) over a period; `value` returns the mean, or null for
 * a missing period. It gets the index from the period's start and the London date and hour.
 */
function hoursOver(period: Period, value: (index: number, local: { date: string; hour: number }) => number | null, stepMs = HOUR): MeanAggregate[] {
  const rows: MeanAggregate[] = [];
  const endMs = Date.parse(period.end);
  for (let t = Date.parse(period.start), i = 0; t < endMs; t += stepMs, i += 1) {
    const mean = value(i, localOf(t));
    if (mean !== null) rows.push({ start: new Date(t).toISOString(), mean, count: 4, expected: 4 });
  }
  return rows;
}

function find(results: ObjectiveAssessment[], id: string): ObjectiveAssessment {
  const result = results.find((r) => r.objective.id === id);
  if (!result) throw new Error(`no result for ${id}`);
  return result;
}

/** The first `n` days of 2026 as YYYY-MM-DD, one every 7 days so they are spread over the year. */
const spreadDays = (n: number): Set<string> => new Set(Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i * 7)).toISOString().slice(0, 10)));

describe('NO2 hourly objective: 200 µg/m³, not more than 18 hours a year', () => {
  // 18 (or 19) hours of 250, one every 24 hours from noon on 1 January; the rest 30.
  const no2 = (over: number) => hoursOver(YEAR, (i) => (i % 24 === 12 && i / 24 < over ? 250 : 30));

  it('is met with exactly 18 hours over', () => {
    const result = find(assessObjectives({ hourly: { no2: no2(18) } }, YEAR), 'uk.no2.1h');
    expect(result.value).toBe(18);
    expect(result.status).toBe('met');
    expect(result.capture).toEqual({ valid: 8760, possible: 8760, share: 1, flag: 'ok' });
  });

  it('is exceeded with 19 hours over', () => {
    const result = find(assessObjectives({ hourly: { no2: no2(19) } }, YEAR), 'uk.no2.1h');
    expect(result.value).toBe(19);
    expect(result.status).toBe('exceeded');
  });

  it('counts strictly greater than 200, before any rounding', () => {
    // 18 hours of 250, one of exactly 200 (not over) → 18, met; one of 200.4 (over; the DAQI would round it to 200) → 19.
    const withHour = (extra: number) => hoursOver(YEAR, (i) => (i === 5000 ? extra : i % 24 === 12 && i / 24 < 18 ? 250 : 30));
    expect(find(assessObjectives({ hourly: { no2: withHour(200) } }, YEAR), 'uk.no2.1h')).toMatchObject({ value: 18, status: 'met' });
    expect(find(assessObjectives({ hourly: { no2: withHour(200.4) } }, YEAR), 'uk.no2.1h')).toMatchObject({ value: 19, status: 'exceeded' });
  });

  it('is exceeded once over the allowance even with little data', () => {
    // Only the first half of the year measured (4380 of 8760 hours = 50 %), 19 hours over: already exceeded.
    const result = find(assessObjectives({ hourly: { no2: hoursOver(YEAR, (i) => (i >= 4380 ? null : i % 24 === 12 && i / 24 < 19 ? 250 : 30)) } }, YEAR), 'uk.no2.1h');
    expect(result).toMatchObject({ value: 19, status: 'exceeded' });
    expect(result.capture).toMatchObject({ valid: 4380, share: 0.5, flag: 'too_little_data' });
    // The same half year with 5 hours over cannot be called met.
    const few = find(assessObjectives({ hourly: { no2: hoursOver(YEAR, (i) => (i >= 4380 ? null : i % 24 === 12 && i / 24 < 5 ? 250 : 30)) } }, YEAR), 'uk.no2.1h');
    expect(few).toMatchObject({ value: 5, status: 'insufficient_data' });
  });
});

describe('annual means and data capture', () => {
  it('is the mean of the valid hours', () => {
    // 18 hours of 250 and 8742 of 30: (18 × 250 + 8742 × 30) / 8760 = (4500 + 262260) / 8760 = 30.452 → met.
    const result = find(assessObjectives({ hourly: { no2: hoursOver(YEAR, (i) => (i % 24 === 12 && i / 24 < 18 ? 250 : 30)) } }, YEAR), 'uk.no2.annual');
    expect(result.value).toBeCloseTo(266760 / 8760, 10);
    expect(result.value).toBeCloseTo(30.452, 3);
    expect(result.status).toBe('met');
  });

  it('cannot compare an annual mean at 74 % capture without annualisation', () => {
    // 6482 valid hours of 45: 6482 / 8760 = 0.7400 (74 %) < 75 %. The mean (45) is reported, the status is not "exceeded".
    const result = find(assessObjectives({ hourly: { no2: hoursOver(YEAR, (i) => (i < 6482 ? 45 : null)) } }, YEAR), 'uk.no2.annual');
    expect(result.value).toBe(45);
    expect(result.capture.valid).toBe(6482);
    expect(result.capture.share).toBeCloseTo(0.74, 4);
    expect(result.capture.flag).toBe('too_little_data');
    expect(result.status).toBe('insufficient_data');
  });

  it('compares at 75 % capture, flagged below the 90 % target', () => {
    // 6570 / 8760 = 0.75 exactly.
    const result = find(assessObjectives({ hourly: { no2: hoursOver(YEAR, (i) => (i < 6570 ? 45 : null)) } }, YEAR), 'uk.no2.annual');
    expect(result).toMatchObject({ value: 45, status: 'exceeded', capture: { valid: 6570, share: 0.75, flag: 'below_target' } });
  });

  it('treats a mean equal to the objective as met', () => {
    expect(find(assessObjectives({ hourly: { no2: hoursOver(YEAR, () => 40) } }, YEAR), 'uk.no2.annual').status).toBe('met');
    expect(find(assessObjectives({ hourly: { no2: hoursOver(YEAR, () => 40.01) } }, YEAR), 'uk.no2.annual').status).toBe('exceeded');
  });

  it('counts hours with too few readings as missing, not as zero', () => {
    // Every hour has 40 µg/m³ from 2 of 4 readings: no valid hour, no mean (a zero-filled mean would be 0).
    const low = hoursOver(YEAR, () => 40).map((row) => ({ ...row, count: 2 }));
    expect(find(assessObjectives({ hourly: { no2: low } }, YEAR), 'uk.no2.annual')).toMatchObject({ value: null, status: 'insufficient_data', capture: { valid: 0, share: 0 } });
  });
});

describe('PM10 daily objective: 50 µg/m³, not more than 35 days a year', () => {
  /** Every hour of the listed London days is `high`, the rest 20. */
  const pm10 = (highDays: Set<string>, high = 55) => hoursOver(YEAR, (_, local) => (highDays.has(local.date) ? high : 20));

  it('is met with 35 days over and exceeded with 36', () => {
    const met = find(assessObjectives({ hourly: { pm10: pm10(spreadDays(35)) } }, YEAR), 'uk.pm10.24h');
    expect(met).toMatchObject({ value: 35, status: 'met', capture: { valid: 365, possible: 365, flag: 'ok' } });
    expect(find(assessObjectives({ hourly: { pm10: pm10(spreadDays(36)) } }, YEAR), 'uk.pm10.24h')).toMatchObject({ value: 36, status: 'exceeded' });
  });

  it('does not count a daily mean of exactly 50', () => {
    expect(find(assessObjectives({ hourly: { pm10: pm10(spreadDays(40), 50) } }, YEAR), 'uk.pm10.24h').value).toBe(0);
  });

  it('uses London days, including the 23- and 25-hour ones', () => {
    // Both clock-change days over 50: each is a whole London day of high hours, counted once.
    const result = find(assessObjectives({ hourly: { pm10: pm10(new Set(['2026-03-29', '2026-10-25'])) } }, YEAR), 'uk.pm10.24h');
    expect(result.value).toBe(2);
  });

  it('leaves days with 60 % capture out of the count and the capture', () => {
    // 100 days (from 1 January) have only 60 % of their readings in every hour: no valid hour, no daily mean.
    // 265 valid days / 365 = 72.6 % < 75 % → too little data to say the objective is met.
    const lowDays = new Set(Array.from({ length: 100 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10)));
    const rows = pm10(new Set()).map((row) => (lowDays.has(localOf(Date.parse(row.start)).date) ? { ...row, count: 36, expected: 60 } : row));
    const result = find(assessObjectives({ hourly: { pm10: rows } }, YEAR), 'uk.pm10.24h');
    expect(result.capture).toMatchObject({ valid: 265, possible: 365, flag: 'too_little_data' });
    expect(result.capture.share).toBeCloseTo(265 / 365, 10);
    expect(result.status).toBe('insufficient_data');
  });
});

describe('O3: days with a maximum running 8-hour mean over 100', () => {
  // 60 everywhere (from 17:00 on 31 Dec 2025 for 1 January's first 8-hour mean), and 110 from
  // 12:00 to 20:00 local on the listed days → those days' maximum is 110. The next day's early
  // windows hold at most 3 of those hours: (3 × 110 + 5 × 60) / 8 = 78.75.
  const o3 = (highDays: Set<string>) =>
    hoursOver({ start: '2025-12-31T17:00:00Z', end: YEAR.end }, (_, local) => (highDays.has(local.date) && local.hour >= 12 && local.hour < 20 ? 110 : 60));

  it('meets the UK objective with 10 days and exceeds it with 11', () => {
    expect(find(assessObjectives({ hourly: { o3: o3(spreadDays(10)) } }, YEAR), 'uk.o3.8h')).toMatchObject({ value: 10, status: 'met', capture: { valid: 365 } });
    expect(find(assessObjectives({ hourly: { o3: o3(spreadDays(11)) } }, YEAR), 'uk.o3.8h')).toMatchObject({ value: 11, status: 'exceeded' });
  });

  it('exceeds the WHO guideline (3 days) with 10', () => {
    expect(find(assessObjectives({ hourly: { o3: o3(spreadDays(10)) } }, YEAR), 'who.o3.8h')).toMatchObject({ value: 10, status: 'exceeded' });
  });
});

describe('PM2.5: UK limit, England 2040 target, Scotland and WHO', () => {
  it('compares one series with each', () => {
    // 8 everywhere, 16 on 4 London days: annual mean = 8 + (4 × 24 × 8) / 8760 = 8 + 768 / 8760 = 8.088.
    // UK limit 20 met, England 10 met, Scotland 10 met, WHO 5 exceeded; WHO 15 daily: 4 days > 3 → exceeded.
    const highDays = spreadDays(4);
    const pm25 = hoursOver(YEAR, (_, local) => (highDays.has(local.date) ? 16 : 8));
    const results = assessObjectives({ hourly: { pm25 } }, YEAR);
    expect(find(results, 'uk.pm25.annual').value).toBeCloseTo(8 + 768 / 8760, 10);
    expect(results.map((r) => [r.objective.id, r.status])).toEqual([
      ['uk.pm25.annual', 'met'],
      ['england.pm25.2040', 'met'],
      ['scotland.pm25.annual', 'met'],
      ['who.pm25.annual', 'exceeded'],
      ['who.pm25.24h', 'exceeded'],
    ]);
    expect(find(results, 'who.pm25.24h').value).toBe(4);
  });

  it('allows WHO’s 3 days over the 24-hour guideline', () => {
    const highDays = spreadDays(3);
    const pm25 = hoursOver(YEAR, (_, local) => (highDays.has(local.date) ? 16 : 4));
    expect(find(assessObjectives({ hourly: { pm25 } }, YEAR), 'who.pm25.24h')).toMatchObject({ value: 3, status: 'met' });
  });
});

describe('periods other than a calendar year', () => {
  const june: Period = { start: londonDay('2026-06-01').start, end: londonDay('2026-07-01').start };

  it('reports partial_period unless an allowance is already used up', () => {
    // June 2026 (720 hours): 5 hours of 250 → within the allowance so far; 19 → exceeded for the year.
    const no2 = (over: number) => hoursOver(june, (i) => (i % 24 === 12 && i / 24 < over ? 250 : 30));
    const five = assessObjectives({ hourly: { no2: no2(5) } }, june);
    expect(find(five, 'uk.no2.1h')).toMatchObject({ value: 5, status: 'partial_period', capture: { valid: 720, possible: 720 } });
    expect(find(five, 'uk.no2.annual').status).toBe('partial_period');
    expect(find(assessObjectives({ hourly: { no2: no2(19) } }, june), 'uk.no2.1h').status).toBe('exceeded');
  });

  it('counts SO2 15-minute means over 266 (≤ 35 a year)', () => {
    // June has 720 × 4 = 2880 quarter hours; 36 of them at 300 → exceeded.
    const so2FifteenMinute = hoursOver(june, (i) => (i < 36 ? 300 : 20), 15 * 60_000);
    const result = find(assessObjectives({ hourly: {}, so2FifteenMinute }, june), 'uk.so2.15min');
    expect(result).toMatchObject({ value: 36, status: 'exceeded', capture: { valid: 2880, possible: 2880 } });
  });
});

describe('assessObjectives', () => {
  it('assesses only the pollutants the device measures', () => {
    const results = assessObjectives({ hourly: { no2: hoursOver(londonDay('2026-06-15'), () => 20) } }, londonDay('2026-06-15'));
    expect(results.map((r) => r.objective.id)).toEqual(['uk.no2.1h', 'uk.no2.annual', 'who.no2.annual', 'who.no2.24h']);
  });

  it('has a unique id for every objective', () => {
    const ids = AIR_QUALITY_OBJECTIVES.map((objective) => objective.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
