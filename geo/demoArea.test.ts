import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { FIRST_DEMO_UPRN, generateDemoArea, placeDemoDevices } from './demoArea.js';

/** Ray casting: count crossings of a ray running east from the point. */
function insideRing(point: Position, ring: Position[]): boolean {
  const [x, y] = point as [number, number];
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Shoelace formula: positive for a counter-clockwise ring with x east and y north. */
function signedArea(ring: Position[]): number {
  let twice = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    twice += x1 * y2 - x2 * y1;
  }
  return twice / 2;
}

const key = (position: Position) => `${position[0]},${position[1]}`;

/** The ring's vertices without the closing repeat of the first. */
function openRing(ring: Position[]): string[] {
  return ring.slice(0, -1).map(key);
}

/**
 * The longest run of consecutive ring vertices (wrapping round the ring) that are all in `shared`,
 * so a shared boundary that is one unbroken stretch comes back whole.
 */
function sharedRun(ring: Position[], shared: ReadonlySet<string>): string[] {
  const vertices = openRing(ring);
  const n = vertices.length;
  const start = vertices.findIndex((vertex, i) => shared.has(vertex) && !shared.has(vertices[(i - 1 + n) % n] as string));
  const run: string[] = [];
  for (let step = 0; step < n && shared.has(vertices[(start + step) % n] as string); step++) run.push(vertices[(start + step) % n] as string);
  return run;
}

/** Distance in degrees from a point to the segment a–b (planar; fine at this scale for a ~0 check). */
function distanceToSegment(point: Position, a: Position, b: Position): number {
  const [px, py] = point as [number, number];
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function distanceToLine(point: Position, line: Position[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < line.length - 1; i++) best = Math.min(best, distanceToSegment(point, line[i] as Position, line[i + 1] as Position));
  return best;
}

describe('test helpers', () => {
  // A unit square wound counter-clockwise, closed.
  const square: Position[] = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];

  it('insideRing tells inside from outside', () => {
    expect(insideRing([0.5, 0.5], square)).toBe(true);
    expect(insideRing([1.5, 0.5], square)).toBe(false);
    expect(insideRing([-0.5, 0.5], square)).toBe(false);
    expect(insideRing([0.5, 1.5], square)).toBe(false);
  });

  it('signedArea is +1 for the counter-clockwise unit square and -1 reversed', () => {
    expect(signedArea(square)).toBe(1);
    expect(signedArea([...square].reverse())).toBe(-1);
  });
});

describe('generateDemoArea', () => {
  const area = generateDemoArea();
  const wards = area.geography.wards.features;
  const streets = area.geography.streets.features;
  const [west, south, east, north] = area.geography.bounds;

  it('gives identical output for the same seed and different output for another', () => {
    expect(generateDemoArea({ seed: 7 })).toEqual(generateDemoArea({ seed: 7 }));
    expect(JSON.stringify(generateDemoArea({ seed: 7 }))).not.toBe(JSON.stringify(generateDemoArea({ seed: 8 })));
    // The wobble comes from the seed, so the ward outlines themselves differ.
    const ringOf = (seed: number) => generateDemoArea({ seed }).geography.wards.features[0]?.geometry.coordinates[0];
    expect(ringOf(7)).not.toEqual(ringOf(8));
  });

  it('is labelled as synthetic', () => {
    expect(area.geography.synthetic).toBe(true);
    expect(area.geography.notice).toMatch(/synthetic/i);
  });

  it('covers 7.2 km by 4.4 km centred on 1.5° W, 52.5° N', () => {
    // 3 wards × 2.4 km east–west and 2 × 2.2 km north–south. At 52.5° N a degree of longitude is
    // 111.32 × cos 52.5° = 67.767 km, so 7.2 km is 0.106246°; a degree of latitude is 110.57 km, so
    // 4.4 km is 0.039794°.
    expect(west).toBeCloseTo(-1.553123, 5);
    expect(east).toBeCloseTo(-1.446877, 5);
    expect(south).toBeCloseTo(52.480103, 5);
    expect(north).toBeCloseTo(52.519897, 5);
  });

  it('has 6 wards with X05 codes and unique names', () => {
    expect(wards).toHaveLength(6);
    for (const ward of wards) expect(ward.properties.code).toMatch(/^X05\d{6}$/);
    expect(new Set(wards.map((ward) => ward.properties.code)).size).toBe(6);
    const names = wards.map((ward) => ward.properties.name);
    for (const name of names) expect(name.trim()).not.toBe('');
    expect(new Set(names).size).toBe(6);
  });

  it('closes every ward ring and winds it counter-clockwise', () => {
    for (const ward of wards) {
      expect(ward.geometry.coordinates).toHaveLength(1);
      const ring = ward.geometry.coordinates[0] as Position[];
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[ring.length - 1]).toEqual(ring[0]);
      expect(signedArea(ring), ward.properties.name).toBeGreaterThan(0);
    }
  });

  it('keeps every ward vertex inside the bounds', () => {
    for (const ward of wards) {
      for (const [lon, lat] of ward.geometry.coordinates[0] as [number, number][]) {
        expect(lon).toBeGreaterThanOrEqual(west);
        expect(lon).toBeLessThanOrEqual(east);
        expect(lat).toBeGreaterThanOrEqual(south);
        expect(lat).toBeLessThanOrEqual(north);
      }
    }
  });

  it('makes neighbouring wards share exactly the same boundary', () => {
    const rings = wards.map((ward) => ward.geometry.coordinates[0] as Position[]);
    const adjacent: [number, number][] = [];
    for (let a = 0; a < rings.length; a++) {
      for (let b = a + 1; b < rings.length; b++) {
        const ofB = new Set(openRing(rings[b] as Position[]));
        const shared = new Set(openRing(rings[a] as Position[]).filter((vertex) => ofB.has(vertex)));
        if (shared.size < 2) continue;
        adjacent.push([a, b]);
        // A shared edge is drawn with 5 steps: its two corners and 4 wobbled points in between,
        // one unbroken stretch of each ring, walked in opposite directions by the two wards.
        expect(shared.size, `wards ${a} and ${b}`).toBe(6);
        const runA = sharedRun(rings[a] as Position[], shared);
        const runB = sharedRun(rings[b] as Position[], shared);
        expect(runA).toHaveLength(6);
        expect(runB).toEqual([...runA].reverse());
      }
    }
    // Wards are numbered row by row, west to east, in a 3 × 2 grid: 0 1 2 along the south, 3 4 5 above.
    expect(adjacent).toEqual([
      [0, 1],
      [0, 3],
      [1, 2],
      [1, 4],
      [2, 5],
      [3, 4],
      [4, 5],
    ]);
  });

  it('has unique device ids: 12 air-quality monitors and 8 traffic counters', () => {
    const ids = area.devices.map((device) => device.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(area.devices.filter((device) => device.kind === 'air_quality').map((device) => device.id)).toEqual([
      'aq-001', 'aq-002', 'aq-003', 'aq-004', 'aq-005', 'aq-006', 'aq-007', 'aq-008', 'aq-009', 'aq-010', 'aq-011', 'aq-012',
    ]);
    expect(area.devices.filter((device) => device.kind === 'traffic').map((device) => device.id)).toEqual([
      'tr-001', 'tr-002', 'tr-003', 'tr-004', 'tr-005', 'tr-006', 'tr-007', 'tr-008',
    ]);
  });

  it('puts every device inside the bounds and inside exactly one ward', () => {
    for (const device of area.devices) {
      expect(device.lon, device.id).toBeGreaterThan(west);
      expect(device.lon, device.id).toBeLessThan(east);
      expect(device.lat, device.id).toBeGreaterThan(south);
      expect(device.lat, device.id).toBeLessThan(north);
      const containing = wards.filter((ward) => insideRing([device.lon, device.lat], ward.geometry.coordinates[0] as Position[]));
      expect(containing, device.id).toHaveLength(1);
    }
  });

  it('puts devices on streets, and traffic counters on main roads', () => {
    const mains = streets.filter((street) => street.properties.main);
    // 1e-6° is about 10 cm; coordinates are rounded to 1e-7°.
    for (const device of area.devices) {
      const candidates = device.kind === 'traffic' ? mains : streets;
      const nearest = Math.min(...candidates.map((street) => distanceToLine([device.lon, device.lat], street.geometry.coordinates as Position[])));
      expect(nearest, device.id).toBeLessThan(1e-6);
    }
  });

  it('uses the interval options for each kind, 60 s by default', () => {
    for (const device of area.devices) expect(device.expectedIntervalS).toBe(60);
    const custom = generateDemoArea({ airQualityIntervalS: 10, trafficIntervalS: 300 });
    for (const device of custom.devices) expect(device.expectedIntervalS, device.id).toBe(device.kind === 'air_quality' ? 10 : 300);
  });

  it('gives every street a unique 8-digit USRN and a name', () => {
    const usrns = streets.map((street) => street.properties.usrn);
    for (const usrn of usrns) {
      expect(Number.isInteger(usrn)).toBe(true);
      expect(String(usrn)).toMatch(/^\d{8}$/);
    }
    expect(new Set(usrns).size).toBe(usrns.length);
    for (const street of streets) {
      expect(street.properties.name?.trim()).toBeTruthy();
      expect(street.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('has five main roads and three local streets per ward', () => {
    const mains = streets.filter((street) => street.properties.main);
    expect(mains.map((street) => street.properties.name).sort()).toEqual(
      ['High Street', 'London Road', 'Manchester Road', 'Station Road', 'Victoria Road'],
    );
    expect(streets.filter((street) => !street.properties.main)).toHaveLength(18);
  });

  it('sets synthetic properties back from both sides of every street, each linked to its street', () => {
    const { uprns, lons, lats } = area.properties;
    expect(uprns.length).toBeGreaterThan(4000);
    expect(uprns[0]).toBe(FIRST_DEMO_UPRN);
    expect(new Set(uprns).size).toBe(uprns.length);
    expect(area.links.uprns).toEqual(uprns);
    // Every street's count is the number of properties linked to it, and every street has some.
    for (const street of streets) {
      const linked = area.links.usrns.filter((usrn) => usrn === street.properties.usrn).length;
      expect(street.properties.uprnCount, String(street.properties.usrn)).toBe(linked);
      expect(linked).toBeGreaterThan(10);
    }
    // Set back from their own street: 11 m (local) or 14 m (main) in km-space, so 8–20 m in degrees' terms.
    const [west, south, east, north] = area.geography.bounds;
    for (let i = 0; i < uprns.length; i += 97) {
      expect(lons[i]).toBeGreaterThan(west - 0.001);
      expect(lons[i]).toBeLessThan(east + 0.001);
      expect(lats[i]).toBeGreaterThan(south - 0.001);
      expect(lats[i]).toBeLessThan(north + 0.001);
      const street = streets.find((candidate) => candidate.properties.usrn === area.links.usrns[i]);
      const metres = distanceToLine([lons[i] as number, lats[i] as number], street?.geometry.coordinates as Position[]) * 111_000;
      expect(metres).toBeGreaterThan(6);
      expect(metres).toBeLessThan(25);
    }
  });

  it('is the same every time', () => {
    const again = generateDemoArea();
    expect(again.properties.uprns).toEqual(area.properties.uprns);
    expect(again.properties.lons).toEqual(area.properties.lons);
    expect(again.devices).toEqual(area.devices);
  });
});

describe('placeDemoDevices', () => {
  const intervals = { air_quality: 5, traffic: 60 };
  const line = (x: number) => ({ type: 'LineString' as const, coordinates: [[x, 53], [x, 53.01], [x, 53.02]] });

  it('uses the longest streets when none is marked main (an imported area), with the demo ids', () => {
    const streets = Array.from({ length: 30 }, (_, i) => ({ name: i === 0 ? null : `Street ${i}`, main: false, geometry: { ...line(-2 + i * 0.01), coordinates: [[-2 + i * 0.01, 53], [-2 + i * 0.01, 53 + 0.001 * (i + 1)]] } }));
    const devices = placeDemoDevices(streets, intervals);
    expect(devices.map((d) => d.id)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `aq-${String(i + 1).padStart(3, '0')}`),
      ...Array.from({ length: 8 }, (_, i) => `tr-${String(i + 1).padStart(3, '0')}`),
    ]);
    // Traffic counters go on the five longest streets (indexes 25–29).
    for (const device of devices.filter((d) => d.kind === 'traffic')) {
      expect(device.lon).toBeGreaterThanOrEqual(-2 + 25 * 0.01 - 1e-9);
      expect(device.expectedIntervalS).toBe(60);
    }
  });

  it('moves a device along its street to a point that is allowed', () => {
    const streets = [{ name: 'Long Road', main: true, geometry: { type: 'LineString' as const, coordinates: [[0, 0], [1, 0]] } }];
    const anywhere = placeDemoDevices(streets, intervals);
    const eastOnly = placeDemoDevices(streets, intervals, (lon) => lon >= 0.5);
    expect(anywhere.some((device) => device.lon < 0.5)).toBe(true);
    for (const device of eastOnly) expect(device.lon, device.id).toBeGreaterThanOrEqual(0.5);
  });

  it('handles MultiLineStrings and unnamed streets, and places nothing without streets', () => {
    const multi = { type: 'MultiLineString' as const, coordinates: [[[0, 0], [0, 0.001]], [[1, 1], [1, 1.01], [1, 1.02]]] };
    const devices = placeDemoDevices([{ name: null, main: false, geometry: multi }], intervals);
    expect(devices).toHaveLength(20);
    expect(devices[0]?.lon).toBe(1);
    expect(devices[0]?.name).toBe('Roadside air monitor 1');
    expect(placeDemoDevices([], intervals)).toEqual([]);
  });
});
