import type { Feature, LineString, MultiLineString, Polygon, Position } from 'geojson';
import type { AreaGeography, PropertyPoints, StreetProperties, WardProperties } from '../core/area.js';
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
  /** Synthetic properties: UPRNs from 990000000001, set back from both sides of every street. */
  properties: PropertyPoints;
  /** Each synthetic property's street, as OS Open Linked Identifiers would give it. */
  links: { uprns: Float64Array; usrns: Float64Array };
}

/** Bumped whenever the generator's output changes, so a stored demo geography is refreshed. */
export const DEMO_GEOGRAPHY_EDITION = 2;
export const FIRST_DEMO_UPRN = 990_000_000_001;

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
  const property = { uprns: [] as number[], lons: [] as number[], lats: [] as number[], usrns: [] as number[] };
  let usrn = 99_000_001;
  const addStreet = (points: [number, number][], name: string, main: boolean) => {
    const homes = propertiesAlong(points, main ? 0.02 : 0.015, main ? 0.014 : 0.011);
    for (const [x, y] of homes) {
      const [lon, lat] = toLonLat(x, y) as [number, number];
      property.uprns.push(FIRST_DEMO_UPRN + property.uprns.length);
      property.lons.push(lon);
      property.lats.push(lat);
      property.usrns.push(usrn);
    }
    streetFeatures.push({
      type: 'Feature',
      properties: { usrn: usrn++, name, streetType: 'Designated Street Name', main, uprnCount: homes.length },
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

  const devices = placeDemoDevices(
    streetFeatures.map((street) => ({ name: street.properties.name, main: street.properties.main, geometry: street.geometry })),
    intervalS,
  );

  const [west, south] = toLonLat(0, 0) as [number, number];
  const [east, north] = toLonLat(widthKm, heightKm) as [number, number];
  return {
    geography: {
      name: DEMO_AREA_NAME,
      synthetic: true,
      notice: DEMO_AREA_NOTICE,
      attribution: `Synthetic geography generated by Smartplace (demo edition ${DEMO_GEOGRAPHY_EDITION})`,
      bounds: [west, south, east, north],
      wards: { type: 'FeatureCollection', features: wardFeatures },
      streets: { type: 'FeatureCollection', features: streetFeatures },
    },
    devices,
    properties: { uprns: Float64Array.from(property.uprns), lons: Float64Array.from(property.lons), lats: Float64Array.from(property.lats) },
    links: { uprns: Float64Array.from(property.uprns), usrns: Float64Array.from(property.usrns) },
  };
}

/** Points set back `setbackKm` from both sides of a polyline (km), every `spacingKm`, clear of its ends. */
function propertiesAlong(points: readonly [number, number][], spacingKm: number, setbackKm: number): [number, number][] {
  const homes: [number, number][] = [];
  let carried = 0.03;
  for (let i = 0; i + 1 < points.length; i++) {
    const [ax, ay] = points[i] as [number, number];
    const [bx, by] = points[i + 1] as [number, number];
    const length = Math.hypot(bx - ax, by - ay);
    const nx = -(by - ay) / length;
    const ny = (bx - ax) / length;
    let at = carried;
    const stop = i + 2 === points.length ? length - 0.03 : length;
    for (; at < stop; at += spacingKm) {
      const t = at / length;
      const x = ax + (bx - ax) * t;
      const y = ay + (by - ay) * t;
      homes.push([x + nx * setbackKm, y + ny * setbackKm], [x - nx * setbackKm, y - ny * setbackKm]);
    }
    carried = at - length;
  }
  return homes;
}

/** The devices of the demo, as the simulator knows them: ids, kinds and intervals; positions come from the streets. */
export interface DemoStreet {
  name: string | null;
  main: boolean;
  geometry: LineString | MultiLineString;
}

/**
 * Puts the 12 demo air-quality monitors and 8 traffic counters on streets: main roads first (longest
 * first when no street is marked main, as for an imported area). The same ids, kinds and intervals
 * whatever the streets, so the simulator can publish for them without knowing the geography.
 */
export function placeDemoDevices(
  streets: readonly DemoStreet[],
  intervalS: Readonly<Record<DeviceKind, number>>,
  /** Where a device may go (e.g. inside the imported wards); a street's other points are tried in turn. */
  allowed: (lon: number, lat: number) => boolean = () => true,
): Device[] {
  const lines = streets
    .map((street) => ({ street, line: longestLine(street.geometry) }))
    .filter((entry) => entry.line.length >= 2);
  const lengthOf = (line: Position[]) => line.slice(1).reduce((sum, point, i) => sum + Math.hypot((point[0] as number) - ((line[i] as Position)[0] as number), (point[1] as number) - ((line[i] as Position)[1] as number)), 0);
  const marked = lines.filter((entry) => entry.street.main);
  const byLength = [...lines].sort((a, b) => lengthOf(b.line) - lengthOf(a.line));
  const mains = marked.length > 0 ? marked : byLength.slice(0, 5);
  const locals = marked.length > 0 ? lines.filter((entry) => !entry.street.main) : byLength.slice(5, 25);
  const devices: Device[] = [];
  if (mains.length === 0) return devices;
  const pointAt = (coordinates: Position[], fraction: number): [number, number] => {
    const at = Math.min(coordinates.length - 2, Math.floor(fraction * (coordinates.length - 1)));
    const a = coordinates[at] as Position;
    const b = coordinates[at + 1] as Position;
    const t = fraction * (coordinates.length - 1) - at;
    return [round7((a[0] as number) + ((b[0] as number) - (a[0] as number)) * t), round7((a[1] as number) + ((b[1] as number) - (a[1] as number)) * t)];
  };
  const place = (kind: DeviceKind, entry: { street: DemoStreet; line: Position[] }, fraction: number, n: number) => {
    // The planned point, else the first of ten others along the street that is allowed.
    let [lon, lat] = pointAt(entry.line, fraction);
    for (let step = 1; step <= 10 && !allowed(lon, lat); step++) [lon, lat] = pointAt(entry.line, (fraction + step * 0.1) % 1);
    const prefix = kind === 'air_quality' ? 'aq' : 'tr';
    const streetName = entry.street.name ?? 'Roadside';
    devices.push({
      id: `${prefix}-${String(n).padStart(3, '0')}`,
      name: `${streetName} ${kind === 'air_quality' ? 'air monitor' : 'traffic counter'} ${n}`,
      kind,
      lon,
      lat,
      expectedIntervalS: intervalS[kind],
    });
  };
  const pool = locals.length > 0 ? locals : mains;
  for (let n = 1; n <= 12; n++) {
    const entry = n <= 7 ? mains[(n - 1) % mains.length] : pool[(n * 5) % pool.length];
    place('air_quality', entry as (typeof lines)[number], 0.2 + ((n * 0.37) % 0.6), n);
  }
  for (let n = 1; n <= 8; n++) {
    place('traffic', mains[(n + 1) % mains.length] as (typeof lines)[number], 0.15 + ((n * 0.29) % 0.7), n);
  }
  return devices;
}

function longestLine(geometry: LineString | MultiLineString): Position[] {
  if (geometry.type === 'LineString') return geometry.coordinates;
  return geometry.coordinates.reduce<Position[]>((longest, line) => (line.length > longest.length ? line : longest), []);
}
