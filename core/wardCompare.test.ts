import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from './random.js';
import {
  blockBootstrapInterval,
  blockLength,
  t975,
  classOf,
  COMPARE_BREAKS,
  compareWards,
  exceedanceLabel,
  formatNumber,
  metricObjectives,
  MIN_PAIRED_DAYS,
  quantile,
  type WardSide,
} from './wardCompare.js';

function days(n: number, value: (i: number) => number, start = Date.UTC(2026, 0, 1)): Map<string, number> {
  return new Map(Array.from({ length: n }, (_, i) => [new Date(start + i * 86_400_000).toISOString().slice(0, 10), value(i)]));
}

const side = (code: string, name: string, daily: Map<string, number>, devices: number, capture: number | null): WardSide => ({ code, name, daily, devices, capture });

describe('summary statistics', () => {
  it('interpolates quantiles between order statistics (type 7)', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    // 1..20: h = 19 × 0.95 = 18.05, between the 19th (19) and 20th (20) values.
    expect(quantile(Array.from({ length: 20 }, (_, i) => i + 1), 0.95)).toBeCloseTo(19.05, 10);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });

  it('writes numbers with halves rounded up, floating-point noise and negative zero cleaned', () => {
    // 20 + 0.7 × 7.5 computes as 25.249999999999993.
    expect(formatNumber(20 + (26 * 0.95 - 24) * 7.5, 1)).toBe('25.3');
    expect(formatNumber(-0.04, 1)).toBe('0.0');
    expect(formatNumber(-4.46, 1)).toBe('−4.5');
    expect(formatNumber(1204.4, 0)).toBe('1,204');
  });

  it('places values in the fixed classes at their edges', () => {
    const no2 = COMPARE_BREAKS.no2;
    expect(classOf(no2, 9.99).label).toBe('0–10 (under the WHO guideline of 10)');
    expect(classOf(no2, 10).label).toBe('10–20');
    expect(classOf(no2, 39.9).label).toBe('30–40 (under the UK objective of 40)');
    expect(classOf(no2, 40).label).toBe('40 or more (over the UK objective)');
    // A mean daily index of 3.4 is Low, 3.5 Moderate (the index is whole; 3.5 rounds up).
    expect(classOf(COMPARE_BREAKS.daqi, 3.4).label).toBe('Low (1–3)');
    expect(classOf(COMPARE_BREAKS.daqi, 3.5).label).toBe('Moderate (4–6)');
    // Congestion: darker is worse, and under 60 % of free-flow speed is congested.
    expect(classOf(COMPARE_BREAKS.congestion, 59).label).toBe('40–60 (congested)');
  });

  it('counts against the UK objective and the WHO guideline that fit each metric', () => {
    const no2 = metricObjectives('no2');
    expect(no2.uk && exceedanceLabel(no2.uk)).toBe('Hours over 200 µg/m³');
    expect(no2.who && exceedanceLabel(no2.who)).toBe('Days with a daily mean over 25 µg/m³');
    // PM2.5 has only an annual UK limit: no count.
    expect(metricObjectives('pm25').uk).toBeNull();
    expect(metricObjectives('o3').uk && exceedanceLabel(metricObjectives('o3').uk!)).toBe('Days with an 8-hour mean over 100 µg/m³');
    expect(metricObjectives('traffic_flow')).toEqual({ uk: null, who: null });
  });
});

describe('the difference between two wards', () => {
  it('says a clear gap in plain words, with its interval, devices and capture', () => {
    const noise = (i: number) => 10 * Math.sin(i);
    const a = side('E05000001', 'Altrincham', days(30, (i) => 36 + noise(i)), 4, 92.4);
    const b = side('E05000002', 'Bowdon', days(30, (i) => 30 + noise(i)), 2, 71.2);
    const result = compareWards('no2', a, b);
    expect(result).toMatchObject({ supported: true, pairedDays: 30 });
    expect(result.difference).toBeCloseTo(6, 10);
    expect(result.low).toBeCloseTo(6, 10);
    expect(result.high).toBeCloseTo(6, 10);
    expect(result.sentence).toBe(
      "Altrincham's NO₂ was 6.0 µg/m³ higher than Bowdon's (95% interval 6.0 to 6.0), from 4 and 2 devices with 92% and 71% data capture. Bowdon had under 75% data capture, so treat this with care.",
    );
  });

  it('turns the interval with the words when A is lower, and says when the gap may be nothing', () => {
    const random = seededRandom(7);
    const a = side('E05000001', 'Sale Moor', days(60, () => 20 + 5 * gaussian(random)), 1, 95);
    const b = side('E05000002', 'Hale', days(60, () => 22 + 5 * gaussian(random)), 1, 95);
    const result = compareWards('pm10', a, b);
    expect(result.difference).toBeLessThan(0);
    const match = /was ([\d.]+) µg\/m³ lower than Hale's \(95% interval (−?[\d.]+) to (−?[\d.]+)\)/.exec(result.sentence);
    expect(match, result.sentence).not.toBeNull();
    const [shown, low, high] = (match as RegExpExecArray).slice(1).map((text) => Number(text.replace('−', '-')));
    // "lower by x, interval low–high" with low ≤ x ≤ high.
    expect(low).toBeLessThanOrEqual(shown as number);
    expect(high).toBeGreaterThanOrEqual(shown as number);
    expect(result.low).toBeCloseTo(-(high as number), 1);
    if ((result.low as number) <= 0 && (result.high as number) >= 0) expect(result.sentence).toContain('do not show a real gap');
    else expect(result.sentence).not.toContain('do not show a real gap');
  });

  it('refuses a comparison without devices or with too few days in common, and says why', () => {
    const a = side('E05000001', 'Altrincham', days(30, () => 30), 2, 90);
    expect(compareWards('no2', a, side('E05000002', 'Bowdon', new Map(), 0, null))).toMatchObject({
      supported: false,
      difference: null,
      sentence: 'Altrincham and Bowdon cannot be compared on NO₂ for this period: Bowdon has no devices with NO₂ data.',
    });
    const few = compareWards('no2', a, side('E05000002', 'Bowdon', days(MIN_PAIRED_DAYS - 1, () => 20), 1, 40));
    expect(few).toMatchObject({ supported: false, pairedDays: MIN_PAIRED_DAYS - 1 });
    expect(few.sentence).toBe(`Altrincham and Bowdon cannot be compared on NO₂ for this period: there are only 13 days when both have data, and at least ${MIN_PAIRED_DAYS} are needed.`);
  });

  it('gives the same interval for the same data every time', () => {
    const values = Array.from({ length: 90 }, (_, i) => Math.cos(i) * 4 + 2);
    expect(blockBootstrapInterval(values, 42)).toEqual(blockBootstrapInterval(values, 42));
  });

  it('uses blocks of √n days, and t with one fewer degrees of freedom than blocks', () => {
    expect(blockLength(365)).toBe(19);
    expect(blockLength(30)).toBe(5);
    expect(blockLength(1)).toBe(1);
    expect(t975(2)).toBe(4.303);
    expect(t975(30)).toBe(2.042);
    // Beyond the table: t(40) = 2.021, t(120) = 1.980.
    expect(t975(40)).toBeCloseTo(2.021, 3);
    expect(t975(120)).toBeCloseTo(1.98, 3);
  });

  it('covers the true difference in most simulated trials, with days that follow each other (AR(1))', () => {
    // Two wards 5 µg/m³ apart; their daily difference wanders with weather-like persistence (φ 0.6).
    const trueDifference = 5;
    const trials = 300;
    const random = seededRandom(2026);
    let covered = 0;
    let coveredIid = 0;
    for (let trial = 0; trial < trials; trial++) {
      const series: number[] = [];
      let noise = 0;
      for (let i = 0; i < 90; i++) {
        noise = 0.6 * noise + 4 * gaussian(random);
        series.push(trueDifference + noise);
      }
      const { low, high } = blockBootstrapInterval(series, trial, 1000);
      if (low <= trueDifference && trueDifference <= high) covered += 1;
      // Control: resampling single days (blocks of 1) ignores the persistence.
      const iid = iidInterval(series, trial);
      if (iid.low <= trueDifference && trueDifference <= iid.high) coveredIid += 1;
    }
    // Nominal 95 %; the block bootstrap comes close (0.93 here), single days fall well short (0.67).
    expect(covered / trials).toBeGreaterThanOrEqual(0.88);
    expect(coveredIid / trials).toBeLessThan(0.8);
    expect(coveredIid / trials).toBeLessThan(covered / trials);
  });
});

/** The naive bootstrap (single days), for the control above. */
function iidInterval(series: readonly number[], seed: number): { low: number; high: number } {
  const random = seededRandom(seed);
  const means: number[] = [];
  for (let r = 0; r < 1000; r++) {
    let sum = 0;
    for (let i = 0; i < series.length; i++) sum += series[Math.floor(random() * series.length)] as number;
    means.push(sum / series.length);
  }
  return { low: quantile(means, 0.025) as number, high: quantile(means, 0.975) as number };
}
