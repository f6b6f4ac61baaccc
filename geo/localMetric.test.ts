import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { linesDistanceM, metresPerDegreeLat, metresPerDegreeLon, paddedDegrees, pointDistanceM, segmentDistanceM } from './localMetric.js';

const RADIANS = Math.PI / 180;

/** Vincenty's inverse formula on the WGS84 ellipsoid: geodesic distance in metres (sub-millimetre). */
function vincentyM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = 6_378_137;
  const f = 1 / 298.257223563;
  const b = a * (1 - f);
  const L = (lon2 - lon1) * RADIANS;
  const U1 = Math.atan((1 - f) * Math.tan(lat1 * RADIANS));
  const U2 = Math.atan((1 - f) * Math.tan(lat2 * RADIANS));
  const [sinU1, cosU1, sinU2, cosU2] = [Math.sin(U1), Math.cos(U1), Math.sin(U2), Math.cos(U2)];
  let lambda = L;
  let sinSigma = 0;
  let cosSigma = 0;
  let sigma = 0;
  let cos2Alpha = 0;
  let cos2SigmaM = 0;
  for (let iteration = 0; iteration < 200; iteration++) {
    const sinLambda = Math.sin(lambda);
    const cosLambda = Math.cos(lambda);
    sinSigma = Math.hypot(cosU2 * sinLambda, cosU1 * sinU2 - sinU1 * cosU2 * cosLambda);
    if (sinSigma === 0) return 0;
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
    const previous = lambda;
    lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - previous) < 1e-13) break;
  }
  const u2 = (cos2Alpha * (a * a - b * b)) / (b * b);
  const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  const deltaSigma =
    B *
    sinSigma *
    (cos2SigmaM +
      (B / 4) * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
  return b * A * (sigma - deltaSigma);
}

/** A random point in Great Britain's extent (Scilly to Shetland) and a second one up to `maxM` away. */
function randomPair(random: () => number, maxM: number): [number, number, number, number] {
  const lat = 49.9 + random() * 10.9;
  const lon = -8.2 + random() * 10;
  const distance = 1 + random() * (maxM - 1);
  const bearing = random() * 2 * Math.PI;
  return [lon, lat, lon + (Math.sin(bearing) * distance) / metresPerDegreeLon(lat), lat + (Math.cos(bearing) * distance) / metresPerDegreeLat(lat)];
}

describe('local metric', () => {
  it('measures a point to the nearest of several lines, ends and middles', () => {
    const ky = metresPerDegreeLat(53.4);
    const kx = metresPerDegreeLon(53.4);
    // A street along the parallel, and another 500 m north; the point 100 m south of the first's middle.
    const street = [[-2.35, 53.4], [-2.34, 53.4]];
    const north = [[-2.35, 53.4 + 500 / ky], [-2.34, 53.4 + 500 / ky]];
    expect(linesDistanceM(-2.345, 53.4 - 100 / ky, [north, street])).toBeCloseTo(100, 1);
    // Beyond the end: straight-line distance to the end point.
    expect(linesDistanceM(-2.34 + 300 / kx, 53.4, [street])).toBeCloseTo(300, 0);
  });

  it('measures distances up to 5 km anywhere in Great Britain within 0.1 % of the WGS84 geodesic', () => {
    const random = seededRandom(1);
    let worst = 0;
    for (let n = 0; n < 5_000; n++) {
      const [lon, lat, x, y] = randomPair(random, 5_000);
      const d = pointDistanceM(lon, lat, metresPerDegreeLon(lat), metresPerDegreeLat(lat), x, y);
      worst = Math.max(worst, Math.abs(d - vincentyM(lon, lat, x, y)) / vincentyM(lon, lat, x, y));
    }
    expect(worst).toBeLessThan(0.001);
  });

  it('measures the distance to the nearest point of a segment within 0.1 % (plus sampling) of the geodesic', () => {
    const random = seededRandom(2);
    for (let n = 0; n < 100; n++) {
      const [lon, lat, ax, ay] = randomPair(random, 3_000);
      const bearing = random() * 2 * Math.PI;
      const length = random() * 1_000;
      const bx = ax + (Math.sin(bearing) * length) / metresPerDegreeLon(ay);
      const by = ay + (Math.cos(bearing) * length) / metresPerDegreeLat(ay);
      const d = segmentDistanceM(lon, lat, metresPerDegreeLon(lat), metresPerDegreeLat(lat), ax, ay, bx, by);
      let sampled = Number.POSITIVE_INFINITY;
      for (let i = 0; i <= 4_000; i++) sampled = Math.min(sampled, vincentyM(lon, lat, ax + (i / 4_000) * (bx - ax), ay + (i / 4_000) * (by - ay)));
      expect(Math.abs(d - sampled)).toBeLessThan(0.001 * sampled + 0.15);
    }
  });

  it('measures a segment from its interior, or from the nearer end beyond it', () => {
    const lat = 53.4;
    const kx = metresPerDegreeLon(lat);
    const ky = metresPerDegreeLat(lat);
    const [ax, bx] = [-2.3 - 100 / kx, -2.3 + 100 / kx];
    expect(segmentDistanceM(-2.3 + 30 / kx, lat + 40 / ky, kx, ky, ax, lat, bx, lat)).toBeCloseTo(40, 9);
    expect(segmentDistanceM(-2.3 + 130 / kx, lat - 40 / ky, kx, ky, ax, lat, bx, lat)).toBeCloseTo(50, 9);
    expect(segmentDistanceM(-2.3, lat, kx, ky, ax, lat, ax, lat)).toBeCloseTo(100, 9); // a point
  });

  it('pads search distances so that they cover every point within them', () => {
    const k = metresPerDegreeLon(53.4);
    expect(paddedDegrees(100, k) * k).toBeGreaterThan(100);
    expect(paddedDegrees(100, k) * k).toBeLessThan(100.001);
    expect(paddedDegrees(0, k)).toBeGreaterThan(0);
  });
});
