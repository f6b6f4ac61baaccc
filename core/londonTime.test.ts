import { describe, expect, it } from 'vitest';
import { hoursIn, isLondonCalendarYear, londonDate, londonDay, londonDays, londonOffsetMinutes, londonYear, parseInstant } from './londonTime.js';

describe('londonDay', () => {
  it('is midnight to midnight GMT in winter', () => {
    expect(londonDay('2026-01-15')).toEqual({ date: '2026-01-15', start: '2026-01-15T00:00:00.000Z', end: '2026-01-16T00:00:00.000Z', hours: 24 });
  });

  it('is 23:00 to 23:00 UTC in summer (BST = UTC+1)', () => {
    expect(londonDay('2026-06-15')).toEqual({ date: '2026-06-15', start: '2026-06-14T23:00:00.000Z', end: '2026-06-15T23:00:00.000Z', hours: 24 });
  });

  it('has 23 hours on 2026-03-29, when clocks go forward at 01:00 GMT', () => {
    // Starts at midnight GMT (00:00Z); the next midnight is already BST, 00:00+01:00 = 23:00Z.
    // 23:00Z − 00:00Z = 23 hours.
    expect(londonDay('2026-03-29')).toEqual({ date: '2026-03-29', start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T23:00:00.000Z', hours: 23 });
  });

  it('has 25 hours on 2026-10-25, when clocks go back at 01:00 GMT', () => {
    // Starts at midnight BST (23:00Z the day before); the next midnight is GMT (00:00Z on the 26th).
    // From 24 Oct 23:00Z to 26 Oct 00:00Z = 1 + 24 = 25 hours.
    expect(londonDay('2026-10-25')).toEqual({ date: '2026-10-25', start: '2026-10-24T23:00:00.000Z', end: '2026-10-26T00:00:00.000Z', hours: 25 });
  });

  it('refuses what is not a calendar date', () => {
    expect(() => londonDay('2026-02-30')).toThrow(RangeError);
    expect(() => londonDay('2026-6-1')).toThrow(RangeError);
    expect(() => londonDay('yesterday')).toThrow(RangeError);
  });
});

describe('londonOffsetMinutes and londonDate', () => {
  it('switches at 01:00 UTC on the change days', () => {
    expect(londonOffsetMinutes('2026-03-29T00:59:59Z')).toBe(0);
    expect(londonOffsetMinutes('2026-03-29T01:00:00Z')).toBe(60);
    expect(londonOffsetMinutes('2026-10-25T00:59:59Z')).toBe(60);
    expect(londonOffsetMinutes('2026-10-25T01:00:00Z')).toBe(0);
  });

  it('gives the London calendar date of an instant', () => {
    expect(londonDate('2026-06-14T22:59:59Z')).toBe('2026-06-14');
    expect(londonDate('2026-06-14T23:00:00Z')).toBe('2026-06-15'); // midnight BST
    expect(londonDate('2026-03-29T23:30:00Z')).toBe('2026-03-30'); // 00:30 BST
    expect(londonDate('2026-10-25T23:30:00Z')).toBe('2026-10-25'); // 23:30 GMT
    expect(londonDate('2026-10-25T00:30:00+01:00')).toBe('2026-10-25');
  });

  it('wants instants, not local wall times', () => {
    expect(() => parseInstant('2026-06-15T12:00:00')).toThrow(RangeError);
    expect(() => parseInstant('not a time')).toThrow(RangeError);
  });
});

describe('londonDays, londonYear', () => {
  it('splits March 2026 into 31 days, one of them 23 hours', () => {
    const days = londonDays({ start: londonDay('2026-03-01').start, end: londonDay('2026-04-01').start });
    expect(days).toHaveLength(31);
    expect(days.map((day) => day.hours).filter((hours) => hours !== 24)).toEqual([23]);
    // 31 × 24 − 1 = 743 hours.
    expect(days.reduce((sum, day) => sum + day.hours, 0)).toBe(743);
  });

  it('gives a calendar year of 8760 hours (8784 in a leap year), midnight GMT to midnight GMT', () => {
    const year = londonYear(2026);
    expect(year).toEqual({ start: '2026-01-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' });
    expect(hoursIn(year)).toBe(8760);
    const days = londonDays(year);
    expect(days).toHaveLength(365);
    // The 23- and 25-hour days cancel out: 365 × 24 = 8760.
    expect(days.reduce((sum, day) => sum + day.hours, 0)).toBe(8760);
    expect(hoursIn(londonYear(2028))).toBe(8784);
    expect(londonDays(londonYear(2028))).toHaveLength(366);
  });

  it('refuses periods that do not start and end at London midnights', () => {
    expect(() => londonDays({ start: '2026-06-15T00:00:00Z', end: '2026-06-16T23:00:00Z' })).toThrow(/start at a London midnight/);
    expect(() => londonDays({ start: '2026-06-14T23:00:00Z', end: '2026-06-16T00:00:00Z' })).toThrow(/end at a London midnight/);
    expect(londonDays({ start: '2026-06-14T23:00:00Z', end: '2026-06-14T23:00:00Z' })).toEqual([]);
  });

  it('recognises exactly one calendar year', () => {
    expect(isLondonCalendarYear(londonYear(2026))).toBe(true);
    expect(isLondonCalendarYear({ start: '2026-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z' })).toBe(false);
    expect(isLondonCalendarYear({ start: londonDay('2026-04-01').start, end: londonDay('2027-04-01').start })).toBe(false);
  });
});
