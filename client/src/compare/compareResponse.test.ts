import { describe, expect, it } from 'vitest';
import { parseAreaWards, wardsByName } from './areaWards.js';
import { parseApiError, parseCompareResponse } from './compareResponse.js';
import { DecodeError } from './decode.js';
import { compareResponse } from './testBuilders.js';

describe('parseCompareResponse', () => {
  it('accepts the contract’s shape and keeps only its fields', () => {
    const sent = { ...compareResponse(), extra: 'dropped' };
    const parsed = parseCompareResponse(JSON.parse(JSON.stringify(sent)));
    expect(parsed).toEqual(compareResponse());
    expect('extra' in parsed).toBe(false);
  });

  it('treats missing optional fields as null', () => {
    const sent = JSON.parse(JSON.stringify(compareResponse())) as { wards: Record<string, unknown>[]; exceedances?: unknown };
    delete sent.exceedances;
    delete sent.wards[1]?.monthly;
    const parsed = parseCompareResponse(sent);
    expect(parsed.exceedances).toBeNull();
    expect(parsed.wards[1]?.monthly).toBeNull();
  });

  it('names the path that is wrong', () => {
    const sent = JSON.parse(JSON.stringify(compareResponse())) as { wards: Record<string, unknown>[] };
    (sent.wards[1] as Record<string, unknown>).mean = '25';
    expect(() => parseCompareResponse(sent)).toThrow(new DecodeError('wards[1].mean', 'a number'));
    expect(() => parseCompareResponse({ ...compareResponse(), metric: 'nox' })).toThrow(/metric should be one of/);
  });
});

describe('parseApiError', () => {
  it('reads the server’s error bodies (server/errors.ts)', () => {
    expect(parseApiError({ error: { code: 'api.ward_not_found', message: 'There is no ward E05999999 in this area.', details: { wards: ['E05999999'] } } })).toEqual({
      code: 'api.ward_not_found',
      message: 'There is no ward E05999999 in this area.',
      issues: [],
      wards: ['E05999999'],
    });
    expect(parseApiError({ error: { code: 'api.invalid_query', message: 'The query parameters are not valid.', details: [{ parameter: 'to', problem: 'a period may be at most 366 days' }] } })).toEqual({
      code: 'api.invalid_query',
      message: 'The query parameters are not valid.',
      issues: [{ parameter: 'to', problem: 'a period may be at most 366 days' }],
      wards: [],
    });
    expect(parseApiError('<html>Bad gateway</html>')).toBeNull();
  });
});

describe('parseAreaWards', () => {
  const square = [
    [
      [-2.3, 53.4],
      [-2.2, 53.4],
      [-2.2, 53.5],
      [-2.3, 53.4],
    ],
  ];

  it('turns Polygons and MultiPolygons into lists of polygons', () => {
    const area = parseAreaWards({
      name: 'Trafford',
      attribution: 'Contains OS data',
      notice: null,
      synthetic: false,
      streets: { type: 'FeatureCollection', features: [] },
      wards: {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: 'B', name: 'Bowdon' }, geometry: { type: 'Polygon', coordinates: square } },
          { type: 'Feature', properties: { code: 'A', name: 'Altrincham' }, geometry: { type: 'MultiPolygon', coordinates: [square, square] } },
        ],
      },
    });
    expect(area.name).toBe('Trafford');
    expect(area.wards.map((ward) => ward.polygons.length)).toEqual([1, 2]);
    expect(wardsByName(area.wards).map((ward) => ward.code)).toEqual(['A', 'B']);
  });

  it('refuses a position that is not a pair of numbers', () => {
    const bad = { name: 'X', wards: { features: [{ properties: { code: 'A', name: 'A' }, geometry: { type: 'Polygon', coordinates: [[[0, 'x']]] } }] } };
    expect(() => parseAreaWards(bad)).toThrow(/wards\.features\[0\]\.geometry\.coordinates\[0\]\[0\]/);
  });
});
