import { DecodeError, array, boolean, nullable, number, object, oneOf, optional, string, type Decoded, type Decoder } from '../shared/decode.js';
import { daqiDays, type DaqiDays } from '../shared/daqiDays.js';
import { position, type Position, type Ring } from '../shared/geometry.js';
import { PERIODS } from '../shared/period.js';

/**
 * What `GET /api/v1/briefings/{ward|street}/{id}` and `GET /api/v1/search` answer
 * (scratch/briefing-contract.md), decoded at the boundary; the types come from the decoders. The
 * server writes every sentence and value; the page lays them out.
 */

export const DEVICE_KINDS = ['air_quality', 'traffic'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** A link the page follows must stay on the briefing pages: never `javascript:` or another site. */
const briefingHref: Decoder<string> = (value, path) => {
  const text = string(value, path);
  if (!/^\/briefing\/[^/?#]/.test(text)) throw new DecodeError(path, 'a link to a briefing (/briefing/…)');
  return text;
};

const searchResult = object({ kind: oneOf(['street', 'ward', 'property']), id: string, label: string, detail: string, href: briefingHref });
const searchResponse = object({ results: array(searchResult) });

export type SearchResult = Decoded<typeof searchResult>;

export function parseSearchResponse(json: unknown): SearchResult[] {
  return searchResponse(json, '').results;
}

/** The place's outline as the map draws it: a ward's polygons or a street's lines. */
export type PlaceShape = { type: 'area'; polygons: Ring[][] } | { type: 'line'; lines: Position[][] } | { type: 'none' };

const line = array(position);
const polygon = array(line);

const placeFeature: Decoder<PlaceShape> = (value, path) => {
  const { geometry } = object({ geometry: (inner: unknown) => inner })(value, path);
  if (geometry === null || geometry === undefined) return { type: 'none' };
  const where = `${path}.geometry`;
  const { type, coordinates } = object({ type: oneOf(['Polygon', 'MultiPolygon', 'LineString', 'MultiLineString']), coordinates: (inner: unknown) => inner })(geometry, where);
  const at = `${where}.coordinates`;
  switch (type) {
    case 'Polygon':
      return { type: 'area', polygons: [polygon(coordinates, at)] };
    case 'MultiPolygon':
      return { type: 'area', polygons: array(polygon)(coordinates, at) };
    case 'LineString':
      return { type: 'line', lines: [line(coordinates, at)] };
    case 'MultiLineString':
      return { type: 'line', lines: array(line)(coordinates, at) };
  }
};

/** [west, south, east, north]. */
export type Bounds = readonly [number, number, number, number];

const bounds: Decoder<Bounds> = (value, path) => {
  const [west, south, east, north] = array(number)(value, path);
  if (west === undefined || south === undefined || east === undefined || north === undefined) throw new DecodeError(path, '[west, south, east, north]');
  return [west, south, east, north];
};

const fact = object({ label: string, value: string, detail: optional(string) });
const section = object({ id: string, heading: string, facts: array(fact) });
const device = object({ id: string, name: string, kind: oneOf(DEVICE_KINDS), lon: number, lat: number, capture: optional(number), distanceM: optional(number) });

const trendChart = object({
  title: string,
  unit: string,
  points: array(object({ date: string, value: nullable(number) })),
  reference: optional(object({ value: number, label: string })),
  summary: string,
});

const patternChart = object({
  title: string,
  unit: string,
  hours: array(object({ hour: number, value: nullable(number) })),
  summary: string,
});

const briefing = object({
  place: object({
    kind: oneOf(['ward', 'street']),
    id: string,
    name: string,
    ward: optional(object({ code: string, name: string })),
    uprnCount: optional(number),
  }),
  period: object({ preset: oneOf(PERIODS), from: string, to: string, days: number, label: string }),
  previousPeriod: optional(object({ from: string, to: string, label: string })),
  generatedAt: string,
  headline: string,
  sections: array(section),
  daqiDays: optional(daqiDays),
  caveats: array(string),
  devices: array(device),
  nearest: boolean,
  map: object({ bounds, place: placeFeature }),
  charts: object({ trend: optional(trendChart), dailyPattern: optional(patternChart) }),
  glossary: array(object({ term: string, meaning: string })),
  sources: array(string),
  licence: optional(string),
});

export type Fact = Decoded<typeof fact>;
export type Section = Decoded<typeof section>;
export type Device = Decoded<typeof device>;
export type TrendChart = Decoded<typeof trendChart>;
export type PatternChart = Decoded<typeof patternChart>;
export type { DaqiDays };
export type Briefing = Decoded<typeof briefing>;
export type Place = Briefing['place'];

export function parseBriefing(json: unknown): Briefing {
  return briefing(json, '');
}
