import { describe, expect, it } from 'vitest';
import { DecodeError } from '../shared/decode.js';
import { parseBriefing, parseSearchResponse } from './briefingResponse.js';
import { briefing, briefingJson, searchResults } from './testBuilders.js';

describe('parseBriefing', () => {
  it('accepts the contract’s shape and keeps only its fields', () => {
    const sent = { ...(briefingJson() as object), extra: 'dropped' };
    const parsed = parseBriefing(sent);
    expect(parsed).toEqual(briefing());
    expect('extra' in parsed).toBe(false);
  });

  it('reads a Polygon, a LineString and a MultiLineString, and no geometry', () => {
    const json = briefingJson() as { map: { place: { geometry: unknown } } };
    json.map.place.geometry = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    expect(parseBriefing(json).map.place).toEqual({ type: 'area', polygons: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] });
    json.map.place.geometry = { type: 'LineString', coordinates: [[0, 0], [1, 1, 5]] };
    expect(parseBriefing(json).map.place).toEqual({ type: 'line', lines: [[[0, 0], [1, 1]]] });
    json.map.place.geometry = { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] };
    expect(parseBriefing(json).map.place).toMatchObject({ type: 'line', lines: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] });
    json.map.place.geometry = null;
    expect(parseBriefing(json).map.place).toEqual({ type: 'none' });
  });

  it('treats missing optional parts as null, and names the path that is wrong', () => {
    const json = briefingJson() as Record<string, unknown>;
    delete json.previousPeriod;
    delete json.licence;
    json.daqiDays = null;
    json.charts = { trend: null, dailyPattern: null };
    const parsed = parseBriefing(json);
    expect(parsed.previousPeriod).toBeNull();
    expect(parsed.licence).toBeNull();
    expect(parsed.charts).toEqual({ trend: null, dailyPattern: null });
    json.devices = [{ id: 'x', name: 'x', kind: 'noise', lon: 0, lat: 0, capture: null, distanceM: null }];
    expect(() => parseBriefing(json)).toThrow(new DecodeError('devices[0].kind', 'one of air_quality, traffic'));
    json.devices = [];
    json.map = { bounds: [0, 0, 1], place: { type: 'Feature', geometry: null } };
    expect(() => parseBriefing(json)).toThrow(/map\.bounds/);
  });
});

describe('parseSearchResponse', () => {
  it('reads the results and refuses links that leave the briefings', () => {
    expect(parseSearchResponse({ results: searchResults() })).toEqual(searchResults());
    expect(() => parseSearchResponse({ results: [{ ...searchResults()[0], href: 'javascript:alert(1)' }] })).toThrow(/results\[0\]\.href/);
    expect(() => parseSearchResponse({ results: [{ ...searchResults()[0], href: '//evil.example/briefing/x' }] })).toThrow(DecodeError);
  });
});
