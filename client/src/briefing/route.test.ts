import { describe, expect, it } from 'vitest';
import { briefingApiUrl, parseRoute, pdfFileName, pdfUrl, periodInSearch, periodSearch, placePath, searchForChoice } from './route.js';

describe('parseRoute', () => {
  it('reads the search page, a ward and a street', () => {
    expect(parseRoute('/briefing')).toEqual({ kind: 'search' });
    expect(parseRoute('/briefing/')).toEqual({ kind: 'search' });
    expect(parseRoute('/briefing.html')).toEqual({ kind: 'search' });
    expect(parseRoute('/briefing/ward/E05015239')).toEqual({ kind: 'ward', id: 'E05015239' });
    expect(parseRoute('/briefing/street/12345678/')).toEqual({ kind: 'street', id: '12345678' });
  });

  it('decodes the id and refuses anything else', () => {
    expect(parseRoute('/briefing/street/USRN%20123')).toEqual({ kind: 'street', id: 'USRN 123' });
    expect(parseRoute('/briefing/lsoa/E01000001')).toEqual({ kind: 'unknown' });
    expect(parseRoute('/briefing/ward/E05015239/extra')).toEqual({ kind: 'unknown' });
    expect(parseRoute('/briefing/ward/%E0%A4%A')).toEqual({ kind: 'unknown' });
    expect(parseRoute('/briefing/ward/%20')).toEqual({ kind: 'unknown' });
  });
});

describe('addresses', () => {
  const briefing = { place: { kind: 'ward' as const, id: 'E05015239', name: 'Hale Barns & Timperley South', ward: null, uprnCount: null }, period: { preset: '30d' as const, from: '2026-01-30', to: '2026-02-28', days: 30, label: '' } };

  it('passes the page’s query string on to the API', () => {
    expect(briefingApiUrl({ kind: 'street', id: '12345678' }, '?period=7d')).toBe('/api/v1/briefings/street/12345678?period=7d');
    expect(briefingApiUrl({ kind: 'ward', id: 'E05015239' }, '')).toBe('/api/v1/briefings/ward/E05015239');
    expect(placePath('street', 'a/b')).toBe('/briefing/street/a%2Fb');
  });

  it('links the PDF of the period the server settled on', () => {
    expect(pdfUrl(briefing)).toBe('/briefing/ward/E05015239.pdf?period=30d');
    expect(pdfUrl({ ...briefing, period: { ...briefing.period, preset: 'custom' } })).toBe('/briefing/ward/E05015239.pdf?period=custom&from=2026-01-30&to=2026-02-28');
    expect(periodSearch({ preset: '365d', from: 'x', to: 'y' })).toBe('?period=365d');
  });

  it('names the PDF after the place and the dates', () => {
    expect(pdfFileName(briefing)).toBe('briefing-hale-barns-timperley-south-2026-01-30-to-2026-02-28.pdf');
    expect(pdfFileName({ ...briefing, place: { ...briefing.place, name: '—' } })).toBe('briefing-ward-E05015239-2026-01-30-to-2026-02-28.pdf');
  });
});

describe('the period in the address', () => {
  it('reads a preset, custom dates, or the default', () => {
    expect(periodInSearch('?period=7d')).toEqual({ period: '7d', from: null, to: null });
    expect(periodInSearch('?period=custom&from=2026-01-01&to=2026-01-31')).toEqual({ period: 'custom', from: '2026-01-01', to: '2026-01-31' });
    expect(periodInSearch('')).toEqual({ period: '30d', from: null, to: null });
    expect(periodInSearch('?period=fortnight')).toEqual({ period: '30d', from: null, to: null });
  });

  it('builds the query string for a choice, keeping custom dates', () => {
    expect(searchForChoice('365d', '?period=custom&from=2026-01-01&to=2026-01-31')).toBe('?period=365d');
    expect(searchForChoice('custom', '?period=custom&from=2026-01-01&to=2026-01-31')).toBe('?period=custom&from=2026-01-01&to=2026-01-31');
  });
});
