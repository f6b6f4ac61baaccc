import { describe, expect, it } from 'vitest';
import { parseAreaWards, wardsByName } from './areaWards.js';
import { parseCompareResponse } from './compareResponse.js';
import { DecodeError } from '../shared/decode.js';
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
