import { describe, expect, it } from 'vitest';
import { decimalsFor, inSentence, formatDate, formatMetric, formatMonth, formatNumber, formatPeriod, formatSigned, shortMonth, unitHeading, withUnit } from './format.js';

describe('numbers', () => {
  it('rounds concentrations to 1 decimal and flows and percentages to whole numbers', () => {
    expect(decimalsFor('no2')).toBe(1);
    expect(decimalsFor('daqi')).toBe(1);
    expect(decimalsFor('traffic_flow')).toBe(0);
    expect(decimalsFor('congestion')).toBe(0);
    expect(formatMetric(31.25, 'no2')).toBe('31.3');
    expect(formatMetric(30, 'pm25')).toBe('30.0');
    expect(formatMetric(1204.4, 'traffic_flow')).toBe('1,204');
  });

  it('writes a true minus, and never minus zero', () => {
    expect(formatNumber(-2.24, 1)).toBe('\u22122.2');
    expect(formatNumber(-0.01, 1)).toBe('0.0');
  });

  it('signs a change', () => {
    expect(formatSigned(2.2, 1)).toBe('+2.2');
    expect(formatSigned(-1.4, 1)).toBe('\u22121.4');
    expect(formatSigned(0.01, 1)).toBe('0.0');
  });

  it('puts units after values and in headings', () => {
    expect(withUnit('31.2', 'µg/m³')).toBe('31.2 µg/m³');
    expect(withUnit('62', '% of free-flow speed')).toBe('62% of free-flow speed');
    expect(withUnit('3.4', 'index')).toBe('3.4 (index)');
    expect(unitHeading('vehicles per hour')).toBe('(vehicles per hour)');
  });
});

describe('labels', () => {
  it('lower-cases a word label inside a sentence but not a chemical or an acronym', () => {
    expect(inSentence('Traffic flow')).toBe('traffic flow');
    expect(inSentence('NO₂')).toBe('NO₂');
    expect(inSentence('DAQI')).toBe('DAQI');
    expect(inSentence('PM2.5')).toBe('PM2.5');
  });
});

describe('dates', () => {
  it('writes dates and periods the GOV.UK way', () => {
    expect(formatDate('2026-10-22')).toBe('22 October 2026');
    expect(formatPeriod({ from: '2026-10-22', to: '2026-11-20', days: 30 })).toBe('22 October to 20 November 2026 (30 days)');
    expect(formatPeriod({ from: '2025-11-21', to: '2026-11-20', days: 365 })).toBe('21 November 2025 to 20 November 2026 (365 days)');
    expect(formatPeriod({ from: '2026-11-20', to: '2026-11-20', days: 1 })).toBe('20 November 2026 (1 day)');
  });

  it('names months', () => {
    expect(formatMonth('2025-12')).toBe('December 2025');
    expect(shortMonth('2026-01')).toBe('Jan');
  });
});
