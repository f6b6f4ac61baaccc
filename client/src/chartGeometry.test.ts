import { describe, expect, it } from 'vitest';
import { chartPeriod, chartSummary, clockLabel, hourLabel, hourTicks, hourTickStep, linearScale, niceStep, pointPositions, splitAtGaps, valueAxis } from './chartGeometry.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('chartPeriod', () => {
  it('ends with the hour under way and covers 24 whole hours', () => {
    expect(chartPeriod(at('2026-11-24T14:20:00Z'))).toEqual({ from: at('2026-11-23T15:00:00Z'), to: at('2026-11-24T15:00:00Z') });
    expect(chartPeriod(at('2026-11-24T14:00:00Z'), 3)).toEqual({ from: at('2026-11-24T12:00:00Z'), to: at('2026-11-24T15:00:00Z') });
  });
});

describe('linearScale', () => {
  it('maps the domain onto the range, either way round', () => {
    const y = linearScale([0, 50], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(25)).toBe(100);
    expect(y(50)).toBe(0);
  });

  it('puts every value of an empty domain in the middle', () => {
    expect(linearScale([5, 5], [0, 100])(5)).toBe(50);
  });
});

describe('valueAxis', () => {
  it.each([
    [1, 4, 0.2],
    [7, 4, 2],
    [41, 4, 10],
    [0.3, 4, 0.1],
    [2400, 5, 500],
  ])('niceStep(%d, %d) is %d', (span, count, step) => {
    expect(niceStep(span, count)).toBeCloseTo(step, 12);
  });

  it('runs from zero to a round number at or above the largest value', () => {
    expect(valueAxis([18, 41, 27])).toEqual({ domain: [0, 50], ticks: [0, 10, 20, 30, 40, 50] });
    expect(valueAxis([0.12, 0.3])).toEqual({ domain: [0, 0.3], ticks: [0, 0.1, 0.2, 0.3] });
  });

  it('goes below zero for a negative value, and has room when every value is zero', () => {
    expect(valueAxis([-3, 12])).toEqual({ domain: [-5, 15], ticks: [-5, 0, 5, 10, 15] });
    expect(valueAxis([0, 0])).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(valueAxis([])).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  });
});

describe('hour ticks', () => {
  it('spaces the labels by the room there is', () => {
    expect(hourTickStep(240)).toBe(6);
    expect(hourTickStep(480)).toBe(2);
    expect(hourTickStep(40)).toBe(24);
  });

  it('falls on UK clock hours: 00:00, 06:00 … in GMT and in BST alike', () => {
    // November (GMT): UK hours are UTC hours.
    const winter = hourTicks(at('2026-11-23T15:00:00Z'), at('2026-11-24T15:00:00Z'), 6);
    expect(winter.map(clockLabel)).toEqual(['18:00', '00:00', '06:00', '12:00']);
    // June (BST, UTC+1): UK midnight is 23:00 UTC.
    const summer = hourTicks(at('2026-06-10T12:00:00Z'), at('2026-06-11T12:00:00Z'), 6);
    expect(summer.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['17:00', '23:00', '05:00', '11:00']);
    expect(summer.map(clockLabel)).toEqual(['18:00', '00:00', '06:00', '12:00']);
  });

  it('labels an hour in UK time', () => {
    expect(hourLabel(at('2026-06-10T13:00:00Z'))).toBe('14:00–15:00');
    expect(hourLabel(at('2026-11-24T23:00:00Z'))).toBe('23:00–00:00');
  });
});

describe('splitAtGaps', () => {
  it('breaks the line where an hour is missing, and sorts by time', () => {
    const t0 = at('2026-11-24T00:00:00Z');
    const p = (h: number, value: number) => ({ start: t0 + h * H, value });
    expect(splitAtGaps([p(1, 11), p(0, 10), p(2, 12), p(5, 15), p(7, 17), p(8, 18)])).toEqual([[p(0, 10), p(1, 11), p(2, 12)], [p(5, 15)], [p(7, 17), p(8, 18)]]);
    expect(splitAtGaps([])).toEqual([]);
  });
});

describe('pointPositions', () => {
  it('puts a point at the middle of its hour and up by its value', () => {
    const period = { from: 0, to: 4 * H };
    const box = { left: 40, right: 440, top: 10, bottom: 110 };
    expect(pointPositions([{ start: 0, value: 0 }, { start: 3 * H, value: 50 }], period, [0, 100], box)).toEqual([
      { x: 90, y: 110 },
      { x: 390, y: 60 },
    ]);
  });
});

describe('chartSummary', () => {
  const now = at('2026-11-24T14:20:00Z');
  const points = [
    { start: at('2026-11-24T10:00:00Z'), value: 18 },
    { start: at('2026-11-24T14:00:00Z'), value: 27.04 },
    { start: at('2026-11-24T12:00:00Z'), value: 41 },
  ];

  it('gives the range, the latest hour (so far, while it is under way) and how many hours have data', () => {
    expect(chartSummary('NO₂', 'µg/m³', points, now)).toBe('NO₂ hourly mean, last 24 hours: from 18 to 41 µg/m³, latest 27 µg/m³ for 14:00–15:00 (so far); 3 of 24 hours have data.');
    expect(chartSummary('NO₂', 'µg/m³', points, at('2026-11-24T15:00:00Z'))).toContain('for 14:00–15:00; 3 of 24');
  });

  it('says so when there is one value or none', () => {
    expect(chartSummary('Mean speed', 'km/h', [{ start: at('2026-11-24T10:00:00Z'), value: 32.46 }], now)).toBe(
      'Mean speed hourly mean, last 24 hours: 32.5 km/h, latest 32.5 km/h for 10:00–11:00; 1 of 24 hours has data.',
    );
    expect(chartSummary('NO₂', 'µg/m³', [], now)).toBe('NO₂ hourly mean, last 24 hours: no data yet.');
  });
});
