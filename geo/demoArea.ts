import type { Feature, LineString, Polygon, Position } from 'geojson';
import type { AreaGeography, StreetProperties, WardProperties } from '../core/area.js';
import type { Device, DeviceKind } from '../core/device.js';
import { seededRandom, type Random } from '../core/random.js';

/**
 * The synthetic borough `npm start` runs on: a few wards, a street network and demo devices,
 * generated deterministically. Real OS and ONS data cannot ship inside the package (size and
 * attribution), so the demo uses an invented place and the UI labels it synthetic. Ward codes use
 * the prefix X05, which ONS never issues, so they cannot be mistaken for real ones.
 */

export const DEMO_AREA_NAME = 'Demoford';
export const DEMO_AREA_NOTICE = 'Synthetic demo borough: invented wards, streets and sensors, not a real place.';

export interface DemoArea {
  geography: AreaGeography;
  devices: Device[];
}

export interface DemoAreaOptions {
  seed?: number;
  /** How often air-quality monitors report, seconds. */
  airQualityIntervalS?: number;
  /** How often traffic counters report their counts, seconds (counts need a period long enough to mean something). */
  trafficIntervalS?: number;
}

const CENTRE: Position = [-1.5, 52.5];
const KM_LON = 1 / (111.32 * Math.cos((CENTRE[1] as number) * (Math.PI / 180)));
const KM_LAT = 1 / 110.57;
const COLUMNS = 3;
const ROWS = 2;
const WARD_WIDTH_KM = 2.4;
const WARD_HEIGHT_KM = 2.2;

const WARD_NAMES = ['Abbey Fields', 'Brookside', 'Castle Hill', 'Millbank', 'Northgate', 'Riverside'];
const MAIN_ROAD_NAMES = ['London Road', 'High Street', 'Station Road', 'Manchester Road', 'Victoria Road'];
const LOCAL_STREET_NAMES = [
  'Church Lane', 'Mill Lane', 'Park Avenue', 'School Lane', 'Queens Road', 'Kings Road', 'Chapel Street',
  'Orchard Close', 'Elm Grove', 'Cedar Drive', 'Willow Way', 'Green Lane', 'Bridge Street', 'Market Street',
  'Albert Road', 'George Street', 'Spring Gardens', 'Holly Bank',
];

/** Kilometres east/north of the south-west corner → WGS84 lon/lat, rounded to ~1 cm. */
function toLonLat(xKm: number, yKm: number): Position {
  const west = (CENTRE[0] as number) - ((COLUMNS * WARD_WIDTH_KM) / 2) * KM_LON;
  const south = (CENTRE[1] as number) - ((ROWS * WARD_HEIGHT_KM) / 2) * KM_LAT;
  return [round7(west + xKm * KM_LON), round7(south + yKm * KM_LAT)];
}

function round7(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** Points along a straight edge, pushed sideways a little so boundaries look drawn, not ruled. */
function wobblyEdge(from: [number, number], to: [number, number], random: Random, wobbleKm: number): [number, number][] {
  const steps = 5;
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const length = Math.hypot(dx, dy);
  const nx = -dy / length;
  const ny = dx / length;
  const points: [number, number][] = [from];
  for (let step = 1; step < steps; step++) {
    const t = step / steps;
    const offset = (random() - 0.5) * 2 * wobbleKm;
    points.push([from[0] + dx * t + nx * offset, from[1] + dy * t + ny * offset]);
  }
  points.push(to);
  return points;
}

export function generateDemoArea(options: DemoAreaOptions = {}): DemoArea {
  const random = seededRandom(options.seed ?? 2026);
  const intervalS: Record<DeviceKind, number> = {
    air_quality: options.airQualityIntervalS ?? 60,
    traffic: options.trafficIntervalS ?? 60,
  };

  // A lattice of ward corners; interior corners are nudged so wards are not perfect rectangles.
  const corners: [number, number][][] = [];
  for (let i = 0; i <= COLUMNS; i++) {
    const column: [number, number][] = [];
    for (let j = 0; j <= ROWS; j++) {
      const interiorX = i > 0 && i < COLUMNS;
      const interiorY = j > 0 && j < ROWS;
      column.push([
        i * WARD_WIDTH_KM + (interiorX ? (random() - 0.5) * 0.6 : 0),
        j * WARD_HEIGHT_KM + (interiorY ? (random() - 0.5) * 0.6 : 0),
      ]);
    }
    corners.push(column);
  }
  const corner = (i: number, j: number) => corners[i]?.[j] as [number, number];

  // Each lattice edge is generated once, so neighbouring wards share exactly the same boundary.
  const edges = new Map<string, [number, number][]>();
  const edge = (a: [number, number], b: [number, number], key: string, onBoundary: boolean) => {
    let points = edges.get(key);
    if (!points) {
      points = onBoundary ? [a, b] : wobblyEdge(a, b, random, 0.12);
      edges.set(key, points);
    }
    return points;
  };
  const horizontal = (i: number, j: number) => edge(corner(i, j), corner(i + 1, j), `h${i},${j}`, j === 0 || j === ROWS);
  const vertical = (i: number, j: number) => edge(corner(i, j), corner(i, j + 1), `v${i},${j}`, i === 0 || i === COLUMNS);

  const wardFeatures: Feature<Polygon, WardProperties>[] = [];
  for (let j = 0; j < ROWS; j++) {
    for (let i = 0; i < COLUMNS; i++) {
      const ring: [number, number][] = [
        ...horizontal(i, j).slice(0, -1),
        ...vertical(i + 1, j).slice(0, -1),
        ...[...horizontal(i, j + 1)].reverse().slice(0, -1),
        ...[...vertical(i, j)].reverse(),
      ];
      const n = j * COLUMNS + i;
      wardFeatures.push({
        type: 'Feature',
        properties: { code: `X0500000${n + 1}`, name: WARD_NAMES[n] ?? `Ward ${n + 1}` },
        geometry: { type: 'Polygon', coordinates: [ring.map(([x, y]) => toLonLat(x, y))] },
      });
    }
  }

  const widthKm = COLUMNS * WARD_WIDTH_KM;
  const heightKm = ROWS * WARD_HEIGHT_KM;
  const streetFeatures: Feature<LineString, StreetProperties>[] = [];
  let usrn = 99_000_001;
  const addStreet = (points: [number, number][], name: string, main: boolean) => {
    streetFeatures.push({
      type: 'Feature',
      properties: { usrn: usrn++, name, main },
      geometry: { type: 'LineString', coordinates: points.map(([x, y]) => toLonLat(x, y)) },
    });
  };

  // Main roads: two running east–west, three north–south, gently curving.
  const mainRoads: { points: [number, number][]; name: string }[] = [];
  [0.3, 0.72].forEach((fraction, k) => {
    const y = heightKm * fraction;
    mainRoads.push({ points: wobblyEdge([0.1, y], [widthKm - 0.1, y + (random() - 0.5)], random, 0.15), name: MAIN_ROAD_NAMES[k] as string });
  });
  [0.18, 0.5, 0.83].forEach((fraction, k) => {
    const x = widthKm * fraction;
    mainRoads.push({ points: wobblyEdge([x, 0.1], [x + (random() - 0.5), heightKm - 0.1], random, 0.15), name: MAIN_ROAD_NAMES[k + 2] as string });
  });
  for (const road of mainRoads) addStreet(road.points, road.name, true);

  // Local streets: three short ones in each ward.
  let localName = 0;
  for (let j = 0; j < ROWS; j++) {
    for (let i = 0; i < COLUMNS; i++) {
      for (let k = 0; k < 3; k++) {
        const x = (i + 0.2 + random() * 0.6) * WARD_WIDTH_KM;
        const y = (j + 0.2 + random() * 0.6) * WARD_HEIGHT_KM;
        const angle = random() * Math.PI;
        const half = 0.25 + random() * 0.3;
        const from: [number, number] = [x - Math.cos(angle) * half, y - Math.sin(angle) * half];
        const to: [number, number] = [x + Math.cos(angle) * half, y + Math.sin(angle) * half];
        addStreet(wobblyEdge(from, to, random, 0.04), LOCAL_STREET_NAMES[localName++ % LOCAL_STREET_NAMES.length] as string, false);
      }
    }
  }

  // Devices sit on streets: air quality on main roads and some local streets, traffic on main roads.
  const devices: Device[] = [];
  const place = (kind: DeviceKind, street: Feature<LineString, StreetProperties>, fraction: number, n: number) => {
    const coordinates = street.geometry.coordinates;
    const at = Math.min(coordinates.length - 2, Math.floor(fraction * (coordinates.length - 1)));
    const a = coordinates[at] as Position;
    const b = coordinates[at + 1] as Position;
    const t = fraction * (coordinates.length - 1) - at;
    const prefix = kind === 'air_quality' ? 'aq' : 'tr';
    devices.push({
      id: `${prefix}-${String(n).padStart(3, '0')}`,
      name: `${street.properties.name} ${kind === 'air_quality' ? 'air monitor' : 'traffic counter'} ${n}`,
      kind,
      lon: round7((a[0] as number) + ((b[0] as number) - (a[0] as number)) * t),
      lat: round7((a[1] as number) + ((b[1] as number) - (a[1] as number)) * t),
      expectedIntervalS: intervalS[kind],
    });
  };
  const mains = streetFeatures.filter((street) => street.properties.main);
  const locals = streetFeatures.filter((street) => !street.properties.main);
  for (let n = 1; n <= 12; n++) {
    const street = n <= 7 ? mains[(n - 1) % mains.length] : locals[(n * 5) % locals.length];
    place('air_quality', street as Feature<LineString, StreetProperties>, 0.2 + ((n * 0.37) % 0.6), n);
  }
  for (let n = 1; n <= 8; n++) {
    place('traffic', mains[(n + 1) % mains.length] as Feature<LineString, StreetProperties>, 0.15 + ((n * 0.29) % 0.7), n);
  }

  const [west, south] = toLonLat(0, 0) as [number, number];
  const [east, north] = toLonLat(widthKm, heightKm) as [number, number];
  return {
    geography: {
      name: DEMO_AREA_NAME,
      synthetic: true,
      notice: DEMO_AREA_NOTICE,
      attribution: 'Synthetic geography generated by Smartplace',
      bounds: [west, south, east, north],
      wards: { type: 'FeatureCollection', features: wardFeatures },
      streets: { type: 'FeatureCollection', features: streetFeatures },
    },
    devices,
  };
}
