import { describe, expect, it } from 'vitest';
import { apiUrl, dateParts, daysInclusive, isIsoDate, parseQuery, readDateParts, serialiseQuery, validateQuery, type CompareQuery } from './compareQuery.js';

const TODAY = '2026-11-21';

function query(overrides: Partial<CompareQuery> = {}): CompareQuery {
  return { metric: 'no2', period: '30d', from: null, to: null, wards: 'all', ...overrides };
}

describe('parseQuery', () => {
  it('gives the defaults for an empty query', () => {
    expect(parseQuery('')).toEqual({ query: query(), errors: [] });
  });

  it('reads a custom period and wards in the order given, without repeats or blanks', () => {
    const { query: parsed, errors } = parseQuery('?metric=pm25&period=custom&from=2026-01-01&to=2026-06-30&wards=E05000820,E05000819,,E05000820');
    expect(errors).toEqual([]);
    expect(parsed).toEqual({ metric: 'pm25', period: 'custom', from: '2026-01-01', to: '2026-06-30', wards: ['E05000820', 'E05000819'] });
  });

  it('reads commas written as %2C', () => {
    expect(parseQuery('?wards=E05000819%2CE05000820').query.wards).toEqual(['E05000819', 'E05000820']);
  });

  it('ignores dates unless the period is custom', () => {
    expect(parseQuery('?period=7d&from=2026-01-01&to=2026-02-01').query).toMatchObject({ period: '7d', from: null, to: null });
  });

  it('says what is wrong with an unknown metric or period and falls back to the default', () => {
    const { query: parsed, errors } = parseQuery('?metric=nox&period=2w');
    expect(parsed).toMatchObject({ metric: 'no2', period: '30d' });
    expect(errors.map((error) => error.field)).toEqual(['metric', 'period']);
    expect(errors[0]?.message).toContain('“nox”');
  });
});

describe('serialiseQuery', () => {
  it('uses the API names, keeps commas readable and leaves out dates of a preset', () => {
    expect(serialiseQuery(query({ from: '2026-01-01' }))).toBe('metric=no2&period=30d&wards=all');
    expect(serialiseQuery(query({ period: 'custom', from: '2026-01-01', to: '2026-06-30', wards: ['E05000819', 'E05000820'] }))).toBe(
      'metric=no2&period=custom&from=2026-01-01&to=2026-06-30&wards=E05000819,E05000820',
    );
  });

  it('round-trips through parseQuery', () => {
    const original = query({ metric: 'congestion', period: 'custom', from: '2025-12-01', to: '2026-01-31', wards: ['B', 'A'] });
    expect(parseQuery(`?${serialiseQuery(original)}`).query).toEqual(original);
  });

  it('makes the API and CSV URLs', () => {
    expect(apiUrl(query())).toBe('/api/v1/wards/compare?metric=no2&period=30d&wards=all');
    expect(apiUrl(query(), 'csv')).toBe('/api/v1/wards/compare?metric=no2&period=30d&wards=all&format=csv');
  });
});

describe('validateQuery', () => {
  it('accepts a preset with all wards', () => {
    expect(validateQuery(query(), TODAY)).toEqual([]);
  });

  it('needs both dates of a custom period', () => {
    expect(validateQuery(query({ period: 'custom' }), TODAY)).toEqual([
      { field: 'from', message: 'Enter the start date' },
      { field: 'to', message: 'Enter the end date' },
    ]);
  });

  it('refuses a start after the end', () => {
    expect(validateQuery(query({ period: 'custom', from: '2026-03-02', to: '2026-03-01' }), TODAY)).toEqual([
      { field: 'from', message: 'The start date must be the same as or before the end date' },
    ]);
  });

  it('refuses an end of today or later, and a period over 366 days', () => {
    expect(validateQuery(query({ period: 'custom', from: '2026-11-01', to: TODAY }), TODAY)[0]?.message).toBe('The end date must be yesterday or earlier');
    expect(validateQuery(query({ period: 'custom', from: '2026-11-01', to: '2026-11-20' }), TODAY)).toEqual([]);
    expect(validateQuery(query({ period: 'custom', from: '2025-01-01', to: '2026-01-02' }), TODAY)[0]?.message).toBe('The period must be 366 days or shorter');
  });

  it('refuses a date that does not exist', () => {
    expect(validateQuery(query({ period: 'custom', from: '2026-02-30', to: '2026-03-01' }), TODAY)).toEqual([{ field: 'from', message: 'The start date must be a real date' }]);
  });

  it('needs two or more wards unless all are asked for', () => {
    expect(validateQuery(query({ wards: ['E05000819'] }), TODAY)).toEqual([{ field: 'wards', message: 'Select two or more wards, or choose all wards' }]);
    expect(validateQuery(query({ wards: [] }), TODAY)).toHaveLength(1);
    expect(validateQuery(query({ wards: ['A', 'B'] }), TODAY)).toEqual([]);
    expect(validateQuery(query({ wards: Array.from({ length: 51 }, (_, i) => `W${i}`) }), TODAY)[0]?.field).toBe('wards');
  });
});

describe('dates', () => {
  it('knows real dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });

  it('counts days inclusively', () => {
    expect(daysInclusive('2026-01-01', '2026-01-01')).toBe(1);
    expect(daysInclusive('2026-03-01', '2026-03-31')).toBe(31);
  });

  it('reads a date input’s fields', () => {
    expect(readDateParts({ day: '1', month: '6', year: '2026' }, 'start')).toEqual({ date: '2026-06-01', error: null });
    expect(readDateParts({ day: '', month: '', year: '' }, 'start')).toEqual({ date: null, error: null });
    expect(readDateParts({ day: '1', month: '', year: '' }, 'end').error).toBe('The end date must include a month and year');
    expect(readDateParts({ day: '31', month: '2', year: '2026' }, 'start').error).toBe('The start date must be a real date');
    expect(readDateParts({ day: 'x', month: '2', year: '2026' }, 'start').error).toBe('The start date must be a real date');
    expect(readDateParts({ day: '1', month: '2', year: '26' }, 'start').error).toBe('The year of the start date must include 4 numbers');
  });

  it('writes a date into the fields without leading zeros', () => {
    expect(dateParts('2026-06-01')).toEqual({ day: '1', month: '6', year: '2026' });
    expect(dateParts(null)).toEqual({ day: '', month: '', year: '' });
  });
});
