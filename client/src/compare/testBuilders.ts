import type { CompareResponse, Comparison, WardResult } from './compareResponse.js';

/** Builders for the compare page's unit tests, in the contract's shape, with overrides. */

export function wardResult(overrides: Partial<WardResult> = {}): WardResult {
  return {
    code: 'E05000819',
    name: 'Altrincham',
    selected: true,
    rank: 1,
    devices: 3,
    capture: 92.1,
    daysWithData: 28,
    mean: 31.2,
    median: 30.8,
    p95: 44,
    ukExceedances: 2,
    whoExceedances: 9,
    daqiDays: { Low: 25, Moderate: 3, High: 0, 'Very High': 0 },
    previousMean: 29,
    change: 2.2,
    changePercent: 7.6,
    monthly: [
      { month: '2026-09', mean: 28.4, days: 30 },
      { month: '2026-10', mean: null, days: 0 },
      { month: '2026-11', mean: 33.1, days: 20 },
    ],
    ...overrides,
  };
}

export function comparison(overrides: Partial<Comparison> = {}): Comparison {
  return {
    a: 'E05000819',
    b: 'E05000820',
    supported: true,
    difference: 6.1,
    low: 3,
    high: 9.2,
    pairedDays: 28,
    sentence: 'Altrincham’s NO₂ was 6.1 µg/m³ higher than Bowdon’s (95% interval 3.0–9.2).',
    ...overrides,
  };
}

export function compareResponse(overrides: Partial<CompareResponse> = {}): CompareResponse {
  const wards = overrides.wards ?? [
    wardResult(),
    wardResult({ code: 'E05000820', name: 'Bowdon', rank: 2, mean: 25.1, change: -1.4, changePercent: -5.3 }),
    wardResult({ code: 'E05000821', name: 'Broadheath', selected: false, rank: null, devices: 0, capture: null, daysWithData: 0, mean: null, median: null, p95: null, ukExceedances: null, whoExceedances: null, daqiDays: null, previousMean: null, change: null, changePercent: null, monthly: null }),
  ];
  return {
    metric: 'no2',
    label: 'NO₂',
    unit: 'µg/m³',
    higherIsWorse: true,
    period: { preset: '30d', from: '2026-10-22', to: '2026-11-20', days: 30, start: '2026-10-21T23:00:00.000Z', end: '2026-11-21T00:00:00.000Z' },
    previousPeriod: { from: '2025-10-22', to: '2025-11-20' },
    exceedances: {
      uk: { label: 'Hours over 200 µg/m³', note: "UK objective: no more than 18 hours a year, at the ward's worst device" },
      who: { label: 'Days with a daily mean over 25 µg/m³', note: "WHO 2021 guideline: no more than 3–4 days a year, at the ward's worst device" },
    },
    breaks: {
      classes: [
        { lower: 0, upper: 10, label: '0–10 (WHO guideline 10)', colour: '#f2f0f7' },
        { lower: 10, upper: 40, label: '10–40', colour: '#9e9ac8' },
        { lower: 40, upper: null, label: '40 and over (UK objective 40)', colour: '#54278f' },
      ],
      explanation: 'Breaks are fixed at the WHO 2021 guideline and the UK annual objective.',
    },
    selected: wards.filter((ward) => ward.selected).map((ward) => ward.code),
    all: false,
    comparisons: [comparison()],
    notes: ['Mean: each device’s mean of its valid hourly means.'],
    ...overrides,
    wards,
  };
}
