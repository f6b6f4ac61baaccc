import type { Briefing, SearchResult } from './briefingResponse.js';

/** Builders for the briefing page's tests: the contract's example answers, with overrides. */

export function searchResults(): SearchResult[] {
  return [
    { kind: 'street', id: '12345678', label: 'High Street', detail: 'Street in Altrincham (USRN 12345678)', href: '/briefing/street/12345678' },
    { kind: 'ward', id: 'E05015239', label: 'Altrincham', detail: 'Ward (E05015239)', href: '/briefing/ward/E05015239' },
    { kind: 'property', id: '100012345678', label: 'UPRN 100012345678', detail: 'Property on High Street, Altrincham', href: '/briefing/street/12345678' },
  ];
}

export function briefing(overrides: Partial<Briefing> = {}): Briefing {
  return {
    place: { kind: 'ward', id: 'E05015239', name: 'Altrincham', ward: null, uprnCount: 5321 },
    period: { preset: '30d', from: '2026-01-30', to: '2026-02-28', days: 30, label: '30 January to 28 February 2026' },
    previousPeriod: { from: '2025-01-30', to: '2025-02-28', label: '30 January to 28 February 2025' },
    generatedAt: '2026-03-01T12:00:00.000Z',
    headline: 'Air in Altrincham was Low on the Daily Air Quality Index (DAQI) on all 28 days with data.',
    sections: [
      { id: 'air', heading: 'Air quality', facts: [{ label: 'Average nitrogen dioxide (NO₂)', value: '30.0 µg/m³', detail: 'Below the UK annual objective of 40 µg/m³.' }] },
      { id: 'daqi', heading: 'Daily Air Quality Index', facts: [{ label: 'Days with data', value: '28 of 30', detail: null }] },
    ],
    daqiDays: { Low: 28, Moderate: 0, High: 0, 'Very High': 0 },
    caveats: ['Sensors are low-cost: their readings are indicative, not reference-grade.'],
    devices: [
      { id: 'aq-a1', name: 'A one', kind: 'air_quality', lon: -2.35, lat: 53.39, capture: 93.3, distanceM: null },
      { id: 'tr-b2', name: 'B <two>', kind: 'traffic', lon: -2.34, lat: 53.385, capture: null, distanceM: null },
    ],
    nearest: false,
    map: {
      bounds: [-2.36, 53.38, -2.33, 53.4],
      place: {
        type: 'area',
        polygons: [
          [
            [
              [-2.36, 53.38],
              [-2.33, 53.38],
              [-2.33, 53.4],
              [-2.36, 53.4],
              [-2.36, 53.38],
            ],
          ],
        ],
      },
    },
    charts: {
      trend: {
        title: 'Daily average NO₂, 30 January to 28 February 2026',
        unit: 'µg/m³',
        points: [
          { date: '2026-01-30', value: null },
          { date: '2026-01-31', value: 22 },
          { date: '2026-02-01', value: 30 },
          { date: '2026-02-02', value: null },
          { date: '2026-02-03', value: 25.5 },
        ],
        reference: { value: 40, label: 'UK annual objective' },
        summary: 'NO₂ stayed between 22.0 and 30.0 µg/m³ each day.',
      },
      dailyPattern: {
        title: 'NO₂ by hour of the day',
        unit: 'µg/m³',
        hours: Array.from({ length: 24 }, (_, hour) => ({ hour, value: hour === 4 ? null : 20 + hour })),
        summary: 'Highest around 23:00 (43.0 µg/m³), lowest around 00:00 (20.0 µg/m³).',
      },
    },
    glossary: [{ term: 'DAQI', meaning: 'The Daily Air Quality Index: Defra’s scale of 1 (Low) to 10 (Very High).' }],
    sources: ['Readings from the council’s air-quality and traffic sensors, stored by Smartplace.'],
    licence: 'Contains National Statistics and OS data © Crown copyright and database right 2023.',
    ...overrides,
  };
}

/** The same briefing as the server sends it: JSON, with the place as GeoJSON. */
export function briefingJson(overrides: Partial<Briefing> = {}): unknown {
  const value = briefing(overrides);
  const shape = value.map.place;
  const geometry =
    shape.type === 'area'
      ? { type: 'MultiPolygon', coordinates: shape.polygons }
      : shape.type === 'line'
        ? { type: 'MultiLineString', coordinates: shape.lines }
        : null;
  return JSON.parse(JSON.stringify({ ...value, map: { bounds: value.map.bounds, place: { type: 'Feature', properties: {}, geometry } } }));
}
