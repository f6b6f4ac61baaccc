import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { seededRandom, type Random } from '../core/random.js';
import { GeographyIndex, type LocationJoin } from '../geo/geographyIndex.js';
import { metresPerDegreeLat, metresPerDegreeLon } from '../geo/localMetric.js';
import { naiveResolve } from '../geo/naiveJoins.js';
import { loadTraffordWards } from '../test/support/sharedData.js';
import { PropertyIndex } from '../geo/propertyIndex.js';
import { StreetIndex, type StreetShape } from '../geo/streetIndex.js';
import { WardIndex, type WardShape } from '../geo/wardIndex.js';

/**
 * Spatial joins (geo/geographyIndex.ts) on Trafford's 21 real wards at full resolution, with
 * 5,000 synthetic streets and 100,000 synthetic UPRNs generated inside Trafford's bounding box:
 * index build time, memory, resolutions per second on one core (a single thread) for 1,000,000
 * random points in the box (median of REPEATS passes), each index alone, and the naive linear
 * scans on the first NAIVE_POINTS points in the same run. Rates are given by wall clock and by
 * this process's CPU time: on a shared machine the second is the fairer measure of one core,
 * and the reference loop and load average say how busy the machine was.
 */

const STREETS = 5_000;
const PROPERTIES = 100_000;
const POINTS = 1_000_000;
const NAIVE_POINTS = 2_000;
const REPEATS = 5;

type Box = [number, number, number, number];

interface Properties {
  uprns: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
}

const loadWards = loadTraffordWards;

function boundsOf(wards: readonly WardShape[]): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ward of wards) {
    const polygons = ward.geometry.type === 'Polygon' ? [ward.geometry.coordinates] : ward.geometry.coordinates;
    for (const [x, y] of polygons.flat(2) as [number, number][]) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box;
}

/** Short wandering polylines: 2–7 steps of 20–80 m. */
function syntheticStreets(box: Box, random: Random): StreetShape[] {
  const kx = metresPerDegreeLon((box[1] + box[3]) / 2);
  const ky = metresPerDegreeLat((box[1] + box[3]) / 2);
  const streets: StreetShape[] = [];
  for (let n = 0; n < STREETS; n++) {
    let x = box[0] + random() * (box[2] - box[0]);
    let y = box[1] + random() * (box[3] - box[1]);
    let heading = random() * 2 * Math.PI;
    const coordinates = [[x, y]];
    const steps = 2 + Math.floor(random() * 6);
    for (let step = 0; step < steps; step++) {
      const length = 20 + random() * 60;
      heading += (random() - 0.5) * 0.8;
      x += (Math.cos(heading) * length) / kx;
      y += (Math.sin(heading) * length) / ky;
      coordinates.push([x, y]);
    }
    streets.push({ usrn: 24_100_000 + n, geometry: { type: 'LineString', coordinates } });
  }
  return streets;
}

/** Points 5–30 m to the side of a random street segment; one in ten shares the previous one's position (flats). */
function syntheticProperties(streets: readonly StreetShape[], box: Box, random: Random): Properties {
  const kx = metresPerDegreeLon((box[1] + box[3]) / 2);
  const ky = metresPerDegreeLat((box[1] + box[3]) / 2);
  const properties: Properties = { uprns: new Float64Array(PROPERTIES), lons: new Float64Array(PROPERTIES), lats: new Float64Array(PROPERTIES) };
  for (let i = 0; i < PROPERTIES; i++) {
    properties.uprns[i] = 100_000_000_000 + i * 7 + Math.floor(random() * 7);
    if (i > 0 && random() < 0.1) {
      properties.lons[i] = properties.lons[i - 1] as number;
      properties.lats[i] = properties.lats[i - 1] as number;
      continue;
    }
    const line = (streets[Math.floor(random() * streets.length)] as StreetShape).geometry.coordinates as number[][];
    const at = Math.floor(random() * (line.length - 1));
    const [ax, ay] = line[at] as [number, number];
    const [bx, by] = line[at + 1] as [number, number];
    const t = random();
    const ux = (bx - ax) * kx;
    const uy = (by - ay) * ky;
    const length = Math.hypot(ux, uy);
    const offset = (5 + random() * 25) * (random() < 0.5 ? -1 : 1);
    properties.lons[i] = ax + t * (bx - ax) + ((-uy / length) * offset) / kx;
    properties.lats[i] = ay + t * (by - ay) + ((ux / length) * offset) / ky;
  }
  return properties;
}

/** Points 0–30 m to either side of a random street segment: where devices and mobile sensors are. */
function pointsNearStreets(streets: readonly StreetShape[], count: number, random: Random): { lons: Float64Array; lats: Float64Array } {
  const lons = new Float64Array(count);
  const lats = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const line = (streets[Math.floor(random() * streets.length)] as StreetShape).geometry.coordinates as number[][];
    const at = Math.floor(random() * (line.length - 1));
    const [ax, ay] = line[at] as [number, number];
    const [bx, by] = line[at + 1] as [number, number];
    const kx = metresPerDegreeLon(ay);
    const ky = metresPerDegreeLat(ay);
    const t = random();
    const ux = (bx - ax) * kx;
    const uy = (by - ay) * ky;
    const length = Math.hypot(ux, uy);
    const offset = random() * 30 * (random() < 0.5 ? -1 : 1);
    lons[i] = ax + t * (bx - ax) + ((-uy / length) * offset) / kx;
    lats[i] = ay + t * (by - ay) + ((ux / length) * offset) / ky;
  }
  return { lons, lats };
}

function randomPoints(box: Box, count: number, random: Random): { lons: Float64Array; lats: Float64Array } {
  const lons = new Float64Array(count);
  const lats = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    lons[i] = box[0] + random() * (box[2] - box[0]);
    lats[i] = box[1] + random() * (box[3] - box[1]);
  }
  return { lons, lats };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Wall-clock and CPU time (user + system) of `run`. The machine may be shared, so both are shown. */
function time(run: () => void): Timing {
  const cpu = process.cpuUsage();
  const start = performance.now();
  run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const format = (value: number) => Math.round(value).toLocaleString('en-GB');

/** "median/s (min–max)" of count / time over the timings. */
function describeRates(count: number, timings: Timing[], key: keyof Timing): string {
  const perSecond = timings.map((timing) => (count / timing[key]) * 1000);
  return `${format(median(perSecond))}/s (${format(Math.min(...perSecond))}–${format(Math.max(...perSecond))})`;
}

/** `query` over every point, REPEATS times: rates by wall clock and by CPU time. */
function rates(points: { lons: Float64Array; lats: Float64Array }, query: (lon: number, lat: number) => unknown): string {
  const timings: Timing[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    timings.push(
      time(() => {
        let found = 0;
        for (let i = 0; i < points.lons.length; i++) if (query(points.lons[i] as number, points.lats[i] as number) !== null) found++;
        if (found < 0) console.log(found);
      }),
    );
  }
  return `${describeRates(points.lons.length, timings, 'wallMs')} wall clock; ${describeRates(points.lons.length, timings, 'cpuMs')} CPU time`;
}

/**
 * How fast this machine runs plain JavaScript right now: a trivial loop over a Float64Array, in
 * nanoseconds per iteration of CPU time (about one or two clock cycles of work per iteration).
 * On a shared machine it puts the figures above in proportion.
 */
function referenceLoopNs(): number {
  const values = Float64Array.from({ length: 1_000_000 }, (_, i) => i * 0.5);
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const timing = time(() => {
      let sum = 0;
      for (let pass = 0; pass < 50; pass++) for (let i = 0; i < values.length; i++) sum += (values[i] as number) > 1000 ? (values[i] as number) : -(values[i] as number);
      if (sum === 0) console.log(sum);
    });
    runs.push((timing.cpuMs * 1e6) / (50 * values.length));
  }
  return median(runs);
}

/** node's garbage collector, made callable without a command-line flag, so memory figures are exact. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function sameJoin(a: LocationJoin, b: LocationJoin): boolean {
  return (
    a.wardCode === b.wardCode && a.usrn === b.usrn && a.streetDistanceM === b.streetDistanceM && a.uprn === b.uprn && a.uprnDistanceM === b.uprnDistanceM
  );
}

export async function benchJoins(): Promise<void> {
  const wards = loadWards();
  const box = boundsOf(wards);
  const random = seededRandom(27_700);
  const streets = syntheticStreets(box, random);
  const properties = syntheticProperties(streets, box, random);
  const points = randomPoints(box, POINTS, random);
  const vertices = wards.reduce((sum, ward) => sum + (ward.geometry.type === 'Polygon' ? [ward.geometry.coordinates] : ward.geometry.coordinates).flat(2).length, 0);
  console.log(`Trafford: ${wards.length} wards, ${vertices.toLocaleString('en-GB')} vertices; ${STREETS.toLocaleString('en-GB')} synthetic streets, ${PROPERTIES.toLocaleString('en-GB')} synthetic UPRNs`);
  console.log(`Box: ${box.map((value) => value.toFixed(4)).join(', ')}`);

  const gc = collector();
  gc();
  const before = process.memoryUsage();
  let wardIndex = WardIndex.build(wards);
  let streetIndex = StreetIndex.build(streets);
  let propertyIndex = PropertyIndex.build(properties.uprns, properties.lons, properties.lats);
  gc();
  const after = process.memoryUsage();
  const builds = { wards: [] as number[], streets: [] as number[], properties: [] as number[] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    builds.wards.push(time(() => (wardIndex = WardIndex.build(wards))).wallMs);
    builds.streets.push(time(() => (streetIndex = StreetIndex.build(streets))).wallMs);
    builds.properties.push(time(() => (propertyIndex = PropertyIndex.build(properties.uprns, properties.lons, properties.lats))).wallMs);
  }
  const { columns, rows, boundaryCells } = wardIndex.grid;
  console.log(
    `Build, median of ${REPEATS}: wards ${median(builds.wards).toFixed(0)} ms (grid ${columns}×${rows}, ${((boundaryCells / (columns * rows)) * 100).toFixed(1)} % of cells need an exact test), ` +
      `streets ${median(builds.streets).toFixed(0)} ms, UPRNs ${median(builds.properties).toFixed(0)} ms`,
  );
  console.log(
    `Memory of the three indexes (after a full GC; the ward shapes are shared, not copied): ` +
      `JS heap ${megabytes(after.heapUsed - before.heapUsed)} + typed arrays ${megabytes(after.arrayBuffers - before.arrayBuffers)}; process RSS ${megabytes(after.rss)}`,
  );

  const index = new GeographyIndex({ wards: wardIndex, streets: streetIndex, properties: propertyIndex });
  const [load1] = os.loadavg();
  console.log(
    `${format(POINTS)} random points in the box, ${REPEATS} passes each, median (min–max); ` +
      `load average ${(load1 as number).toFixed(1)} on ${os.cpus().length} CPUs; reference loop ${referenceLoopNs().toFixed(2)} ns CPU per iteration:`,
  );
  console.log(`  resolve()               ${rates(points, (lon, lat) => index.resolve(lon, lat))}`);
  console.log(`  wardAt() alone          ${rates(points, (lon, lat) => wardIndex.wardAt(lon, lat))}`);
  console.log(`  streets.nearest(50 m)   ${rates(points, (lon, lat) => streetIndex.nearest(lon, lat, 50))}`);
  console.log(`  UPRNs.nearest(100 m)    ${rates(points, (lon, lat) => propertyIndex.nearest(lon, lat, 100))}`);
  const roadside = pointsNearStreets(streets, POINTS, random);
  console.log(`${format(POINTS)} points 0–30 m from a street (where devices and mobile sensors are), ${REPEATS} passes each:`);
  console.log(`  resolve()               ${rates(roadside, (lon, lat) => index.resolve(lon, lat))}`);

  // The naive scans on the first points, and the index on the same points in the same run.
  const sample = { lons: points.lons.subarray(0, NAIVE_POINTS), lats: points.lats.subarray(0, NAIVE_POINTS) };
  const geography = { wards, streets, properties };
  const naive: LocationJoin[] = [];
  const naiveTime = time(() => {
    for (let i = 0; i < NAIVE_POINTS; i++) naive.push(naiveResolve(geography, sample.lons[i] as number, sample.lats[i] as number));
  });
  const indexed: LocationJoin[] = [];
  const indexedTime = time(() => {
    for (let repeat = 0; repeat < 100; repeat++) {
      indexed.length = 0;
      for (let i = 0; i < NAIVE_POINTS; i++) indexed.push(index.resolve(sample.lons[i] as number, sample.lats[i] as number));
    }
  });
  const differences = naive.filter((join, i) => !sameJoin(join, indexed[i] as LocationJoin)).length;
  const naiveRate = (NAIVE_POINTS / naiveTime.cpuMs) * 1000;
  const indexedRate = ((100 * NAIVE_POINTS) / indexedTime.cpuMs) * 1000;
  console.log(
    `Naive linear scans, first ${format(NAIVE_POINTS)} points: ${format(naiveRate)}/s CPU time; the index on the same points ${format(indexedRate)}/s: ` +
      `${format(indexedRate / naiveRate)}× faster; ${differences} of ${format(NAIVE_POINTS)} results differ`,
  );
}
