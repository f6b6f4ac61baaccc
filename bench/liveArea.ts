import type { Feature, LineString, Polygon, Position } from 'geojson';
import type { AreaGeography, PropertyPoints, StreetProperties, WardProperties } from '../core/area.js';
import type { Device } from '../core/device.js';
import { seededRandom, type Random } from '../core/random.js';

/**
 * Synthetic places for the live-map benchmark (bench/live.ts). Pure: values in, values out.
 *   - a large estate: a street grid of ~20,000 street segments (each its own USRN) in rectangular
 *     wards, one property beside each segment, and 10,000 devices on random segments;
 *   - a dense estate on a given area: N air-quality devices scattered over its bounds, clear of a
 *     ring round one "probe" device, so the probe's marker is never covered by another.
 */

const CENTRE: Position = [-1.5, 52.5];
const KM_LON = 1 / (111.32 * Math.cos((CENTRE[1] as number) * (Math.PI / 180)));
const KM_LAT = 1 / 110.57;

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** Kilometres east/north of the area's south-west corner → WGS84, for an area of this size. */
function projector(widthKm: number, heightKm: number): (xKm: number, yKm: number) => [number, number] {
  const west = (CENTRE[0] as number) - (widthKm / 2) * KM_LON;
  const south = (CENTRE[1] as number) - (heightKm / 2) * KM_LAT;
  return (xKm, yKm) => [round7(west + xKm * KM_LON), round7(south + yKm * KM_LAT)];
}

export interface LargeArea {
  geography: AreaGeography;
  properties: PropertyPoints;
  devices: Device[];
}

export interface LargeAreaOptions {
  /** Street segments wanted (a square grid gets as close as it can). */
  streets: number;
  devices: number;
  /** Share of devices that are air-quality monitors; the rest are traffic counters. */
  airQualityShare: number;
  blockKm?: number;
  seed?: number;
}

/**
 * A square street grid: n blocks a side has 2·n·(n+1) segments between junctions, each a street of
 * its own (three points, the middle one nudged so lines are not all ruled). Every 10th line is a
 * main road. Wards are a 5×4 grid of rectangles over the whole area.
 */
export function generateLargeArea(options: LargeAreaOptions): LargeArea {
  const random = seededRandom(options.seed ?? 6);
  const blockKm = options.blockKm ?? 0.1;
  const n = Math.max(1, Math.round((-1 + Math.sqrt(1 + 2 * options.streets)) / 2));
  const sizeKm = n * blockKm;
  const at = projector(sizeKm, sizeKm);

  const wardColumns = 5;
  const wardRows = 4;
  const wards: Feature<Polygon, WardProperties>[] = [];
  for (let j = 0; j < wardRows; j++) {
    for (let i = 0; i < wardColumns; i++) {
      const [x0, x1] = [(i * sizeKm) / wardColumns, ((i + 1) * sizeKm) / wardColumns];
      const [y0, y1] = [(j * sizeKm) / wardRows, ((j + 1) * sizeKm) / wardRows];
      const number = j * wardColumns + i + 1;
      wards.push({
        type: 'Feature',
        properties: { code: `X05${String(900000 + number)}`, name: `Bench Ward ${number}` },
        geometry: { type: 'Polygon', coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]] },
      });
    }
  }

  const streets: Feature<LineString, StreetProperties>[] = [];
  const property = { uprns: [] as number[], lons: [] as number[], lats: [] as number[] };
  const segment = (from: [number, number], to: [number, number], main: boolean, name: string) => {
    const usrn = 98_000_001 + streets.length;
    const wobble = (random() - 0.5) * blockKm * 0.1;
    const horizontal = from[1] === to[1];
    const middle: [number, number] = [(from[0] + to[0]) / 2 + (horizontal ? 0 : wobble), (from[1] + to[1]) / 2 + (horizontal ? wobble : 0)];
    streets.push({
      type: 'Feature',
      properties: { usrn, name, streetType: 'Designated Street Name', main, uprnCount: 1 },
      geometry: { type: 'LineString', coordinates: [at(...from), at(...middle), at(...to)] },
    });
    const [lon, lat] = at(middle[0] + (horizontal ? 0 : 0.012), middle[1] + (horizontal ? 0.012 : 0));
    property.uprns.push(980_000_000_001 + property.uprns.length);
    property.lons.push(lon);
    property.lats.push(lat);
  };
  for (let j = 0; j <= n; j++) {
    for (let i = 0; i < n; i++) segment([i * blockKm, j * blockKm], [(i + 1) * blockKm, j * blockKm], j % 10 === 0, `Row ${j} Street`);
  }
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j < n; j++) segment([i * blockKm, j * blockKm], [i * blockKm, (j + 1) * blockKm], i % 10 === 0, `Column ${i} Road`);
  }

  // Devices at the middle of distinct random segments, a few metres off the line.
  const order = shuffle(streets.map((_, index) => index), random);
  const devices: Device[] = [];
  for (let k = 0; k < options.devices; k++) {
    const street = streets[order[k % order.length] as number] as Feature<LineString, StreetProperties>;
    const [lon, lat] = street.geometry.coordinates[1] as [number, number];
    const airQuality = k < options.devices * options.airQualityShare;
    devices.push({
      id: `${airQuality ? 'aq' : 'tr'}-${String(k + 1).padStart(5, '0')}`,
      name: `${street.properties.name} ${airQuality ? 'air monitor' : 'traffic counter'} ${k + 1}`,
      kind: airQuality ? 'air_quality' : 'traffic',
      lon: round7(lon + 0.00002),
      lat: round7(lat + 0.00002),
      expectedIntervalS: 900,
    });
  }

  const [west, south] = at(0, 0);
  const [east, north] = at(sizeKm, sizeKm);
  return {
    geography: {
      name: 'Benchford',
      synthetic: true,
      notice: 'Synthetic benchmark estate: invented wards, streets and sensors.',
      attribution: `Synthetic benchmark geography (${streets.length} street segments)`,
      bounds: [west, south, east, north],
      wards: { type: 'FeatureCollection', features: wards },
      streets: { type: 'FeatureCollection', features: streets },
    },
    properties: { uprns: Float64Array.from(property.uprns), lons: Float64Array.from(property.lons), lats: Float64Array.from(property.lats) },
    devices,
  };
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export interface DenseDevices {
  devices: Device[];
  probe: Device;
}

/**
 * `count` air-quality monitors at random over `bounds` (the last one the probe, at `probeAt`, a
 * fraction of the way across and up), none within `clearM` metres of the probe.
 */
export function scatterDevices(
  bounds: readonly [number, number, number, number],
  count: number,
  options: { probeAt: [number, number]; clearM: number; seed?: number },
): DenseDevices {
  const random = seededRandom(options.seed ?? 2000);
  const [west, south, east, north] = bounds;
  const probeLon = west + (east - west) * options.probeAt[0];
  const probeLat = south + (north - south) * options.probeAt[1];
  const metres = (lon: number, lat: number) => Math.hypot((lon - probeLon) / KM_LON, (lat - probeLat) / KM_LAT) * 1000;
  const devices: Device[] = [];
  while (devices.length < count - 1) {
    const lon = round7(west + (east - west) * (0.02 + 0.96 * random()));
    const lat = round7(south + (north - south) * (0.02 + 0.96 * random()));
    if (metres(lon, lat) < options.clearM) continue;
    const n = devices.length + 1;
    devices.push({ id: `lv-${String(n).padStart(4, '0')}`, name: `Live bench monitor ${n}`, kind: 'air_quality', lon, lat, expectedIntervalS: 60 });
  }
  const probe: Device = { id: 'lv-probe', name: 'Live bench probe monitor', kind: 'air_quality', lon: round7(probeLon), lat: round7(probeLat), expectedIntervalS: 60 };
  devices.push(probe);
  return { devices, probe };
}
