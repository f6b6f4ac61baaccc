import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AreaGeography } from '../core/area.js';
import type { DeviceLocation, LocatedDevice } from '../core/device.js';
import type { HealthReport } from '../core/health.js';
import type { LiveReading } from '../core/reading.js';
import { createApp, type AppDeps } from './app.js';

const HOUR = 3600_000;

const location: DeviceLocation = {
  wardCode: 'E05000001',
  wardName: 'Abbey',
  usrn: 12345678,
  streetName: 'High Street',
  streetDistanceM: 3.2,
  uprn: 100023456789,
  uprnDistanceM: 12.5,
};
const device: LocatedDevice = { id: 'aq-001', name: 'High Street', kind: 'air_quality', lon: -0.1, lat: 51.5, expectedIntervalS: 60, location };

function reading(overrides: Partial<LiveReading> = {}): LiveReading {
  return { deviceId: 'aq-001', time: '2024-03-01T10:00:00.000Z', values: { no2: 41.5 }, ...overrides };
}

const area: AreaGeography = {
  name: 'Demo Borough',
  synthetic: true,
  notice: 'This area is made up.',
  attribution: 'Smartplace',
  bounds: [-0.2, 51.4, 0.0, 51.6],
  wards: { type: 'FeatureCollection', features: [] },
  streets: { type: 'FeatureCollection', features: [] },
};

function healthReport(overrides: Partial<HealthReport> = {}): HealthReport {
  return {
    status: 'ok',
    time: '2024-03-01T12:00:00.000Z',
    broker: { state: 'up', embedded: true },
    database: { state: 'up', embedded: true, latencyMs: 1.5, error: null },
    ingest: { state: 'up', instances: [] },
    ...overrides,
  };
}

interface SeriesCall {
  deviceId: string;
  from: Date;
  to: Date;
  limit: number;
}

/** Fake repositories over an in-memory list; `series` records what it was asked for. */
function fakes(stored: { devices?: object[]; readings?: object[] } = {}) {
  const devices = (stored.devices ?? [device]) as LocatedDevice[];
  const readings = (stored.readings ?? []) as LiveReading[];
  const seriesCalls: SeriesCall[] = [];
  const errors: { object: object; message: string }[] = [];
  const deps: AppDeps = {
    devices: {
      list: async () => devices,
      get: async (id) => devices.find((d) => d.id === id),
    },
    readings: {
      latestPerDevice: async () => readings,
      series: async (deviceId, from, to, limit) => {
        seriesCalls.push({ deviceId, from, to, limit });
        return readings.filter((r) => r.deviceId === deviceId).slice(0, limit);
      },
    },
    area: () => area,
    locate: (lon, lat) => (lon < 0 ? { ...location, uprnDistanceM: lat } : { ...location, wardCode: null, wardName: null }),
    health: async () => healthReport(),
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '# HELP smartplace_test 1\nsmartplace_test 1\n' }),
    clientConfig: { basemapStyleUrl: null },
    clientDir: '/nonexistent/smartplace-client',
    log: { error: (object, message) => errors.push({ object, message }) },
  };
  return { deps, seriesCalls, errors };
}

let server: Server | undefined;

async function start(deps: AppDeps): Promise<string> {
  server = createApp(deps).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  if (!server) return;
  const closing = once(server, 'close');
  server.closeAllConnections();
  server.close();
  await closing;
  server = undefined;
});

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('GET /health', () => {
  it('answers 200 with the report when everything is up', async () => {
    const { deps } = fakes();
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/health`);
    expect(status).toBe(200);
    expect(body).toEqual(healthReport());
  });

  it('answers 503 when the report is degraded, so a load balancer sees it', async () => {
    const { deps } = fakes();
    const degraded = healthReport({ status: 'degraded', broker: { state: 'down', embedded: false } });
    const base = await start({ ...deps, health: async () => degraded });
    const { status, body } = await getJson(`${base}/health`);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'degraded', broker: { state: 'down' } });
  });
});

describe('GET /metrics', () => {
  it('serves the Prometheus text it is given, with its content type', async () => {
    const { deps } = fakes();
    const base = await start(deps);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toBe('# HELP smartplace_test 1\nsmartplace_test 1\n');
  });
});

describe('GET /api/v1/devices', () => {
  it('presents only the whitelisted device fields', async () => {
    const { deps } = fakes({ devices: [{ ...device, secret: 'mqtt-password', location: { ...location, owner: 'a person' } }] });
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/devices`);
    expect(status).toBe(200);
    expect(body).toEqual([{ id: 'aq-001', name: 'High Street', kind: 'air_quality', lon: -0.1, lat: 51.5, expectedIntervalS: 60, location }]);
    expect(JSON.stringify(body)).not.toContain('a person');
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});

describe('GET /api/v1/latest', () => {
  it('presents the newest reading of each device, keeping periodS and dropping unknown fields', async () => {
    const { deps } = fakes({
      readings: [
        { ...reading(), internalRowId: 17 },
        { deviceId: 'tr-001', time: '2024-03-01T10:05:00.000Z', values: { cars_and_taxis: 12 }, periodS: 300 },
      ],
    });
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/latest`);
    expect(status).toBe(200);
    expect(body).toEqual([
      { deviceId: 'aq-001', time: '2024-03-01T10:00:00.000Z', values: { no2: 41.5 } },
      { deviceId: 'tr-001', time: '2024-03-01T10:05:00.000Z', values: { cars_and_taxis: 12 }, periodS: 300 },
    ]);
  });
});

describe('GET /api/v1/area', () => {
  it('returns the loaded geography', async () => {
    const { deps } = fakes();
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/area`);
    expect(status).toBe(200);
    expect(body).toEqual(area);
  });

  it('leaves the streets out with streets=false (the ward comparison draws only wards), and refuses other values', async () => {
    const { deps } = fakes();
    const street = { type: 'Feature', properties: { usrn: 1000, name: 'High Street', streetType: null, main: true, uprnCount: 0 }, geometry: { type: 'LineString', coordinates: [[-0.1, 51.5], [-0.11, 51.51]] } };
    const withStreet = { ...area, streets: { type: 'FeatureCollection', features: [street] } } as unknown as AreaGeography;
    const base = await start({ ...deps, area: () => withStreet });
    expect(((await getJson(`${base}/api/v1/area`)).body as AreaGeography).streets.features).toHaveLength(1);
    const { status, body } = await getJson(`${base}/api/v1/area?streets=false`);
    expect(status).toBe(200);
    expect(body).toEqual({ ...withStreet, streets: { type: 'FeatureCollection', features: [] } });
    expect((await getJson(`${base}/api/v1/area?streets=no`)).status).toBe(400);
  });

  it('is sent gzipped to a client that accepts it (a real area is megabytes of text)', async () => {
    const { deps } = fakes();
    const streets = Array.from({ length: 200 }, (_, i) => ({
      type: 'Feature' as const,
      properties: { usrn: 1000 + i, name: `Street ${i}`, main: false, uprnCount: 0 },
      geometry: { type: 'LineString' as const, coordinates: [[-0.1, 51.5], [-0.11, 51.51]] },
    }));
    const big = { ...area, streets: { type: 'FeatureCollection' as const, features: streets } } as unknown as AreaGeography;
    const base = await start({ ...deps, area: () => big });
    // undici's fetch asks for gzip and decodes it; the header says what went over the wire.
    const response = await fetch(`${base}/api/v1/area`);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.json()).toEqual(big);
  });

  it('answers 404 api.area_not_found before any geography is loaded', async () => {
    const { deps } = fakes();
    const base = await start({ ...deps, area: () => null });
    const { status, body } = await getJson(`${base}/api/v1/area`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'api.area_not_found', message: 'No geography has been loaded yet.' } });
  });
});

describe('GET /api/v1/locate', () => {
  it("returns the point's ward, street and property", async () => {
    const { deps } = fakes();
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/locate?lon=-2.5&lat=53.25`);
    expect(status).toBe(200);
    expect(body).toEqual({ lon: -2.5, lat: 53.25, ...location, uprnDistanceM: 53.25 });
  });

  it('refuses missing, non-numeric, out-of-range and unexpected parameters with 400', async () => {
    const { deps } = fakes();
    const base = await start(deps);
    for (const query of ['lon=-2.5', 'lon=abc&lat=53', 'lon=-200&lat=53', 'lon=-2&lat=95', 'lon=-2&lat=53&radius=5']) {
      const { status, body } = await getJson(`${base}/api/v1/locate?${query}`);
      expect(status, query).toBe(400);
      expect((body as { error: { code: string } }).error.code, query).toBe('api.invalid_query');
    }
  });

  it('answers 404 api.area_not_found before any geography is loaded', async () => {
    const { deps } = fakes();
    const base = await start({ ...deps, locate: () => null });
    const { status, body } = await getJson(`${base}/api/v1/locate?lon=-2&lat=53`);
    expect(status).toBe(404);
    expect((body as { error: { code: string } }).error.code).toBe('api.area_not_found');
  });
});

describe('GET /api/v1/client-config', () => {
  it('returns the client configuration as given', async () => {
    const { deps } = fakes();
    const base = await start({ ...deps, clientConfig: { basemapStyleUrl: 'https://tiles.example/style.json' } });
    const { status, body } = await getJson(`${base}/api/v1/client-config`);
    expect(status).toBe(200);
    expect(body).toEqual({ basemapStyleUrl: 'https://tiles.example/style.json', briefingPdf: false });
    const withPdf = await start({ ...deps, briefingPdf: { available: true, render: async () => null } });
    expect((await getJson(`${withPdf}/api/v1/client-config`)).body).toMatchObject({ briefingPdf: true });
  });
});

describe('GET /api/v1/devices/:id/readings', () => {
  const stored = [reading({ time: '2024-03-01T10:00:00.000Z' }), reading({ time: '2024-03-01T10:01:00.000Z' }), reading({ time: '2024-03-01T10:02:00.000Z' })];

  it('passes from, to and limit to the repository and presents the result', async () => {
    const { deps, seriesCalls } = fakes({ readings: stored });
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2024-03-01T09:00:00Z&to=2024-03-01T11:00:00Z&limit=5`);
    expect(status).toBe(200);
    expect(seriesCalls).toEqual([
      // One more than asked for, to tell whether the period holds more.
      { deviceId: 'aq-001', from: new Date(Date.UTC(2024, 2, 1, 9)), to: new Date(Date.UTC(2024, 2, 1, 11)), limit: 6 },
    ]);
    expect(body).toEqual({
      device: { id: 'aq-001', name: 'High Street', kind: 'air_quality', lon: -0.1, lat: 51.5, expectedIntervalS: 60, location },
      from: '2024-03-01T09:00:00.000Z',
      to: '2024-03-01T11:00:00.000Z',
      truncated: false,
      readings: stored,
    });
  });

  it('reads an offset timestamp as the instant it names', async () => {
    const { deps, seriesCalls } = fakes();
    const base = await start(deps);
    // 10:00+01:00 is 09:00Z; "+" must be sent as %2B or the query string turns it into a space.
    const { status } = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2024-03-01T10:00:00%2B01:00&to=2024-03-01T11:00:00Z`);
    expect(status).toBe(200);
    expect(seriesCalls[0]?.from).toEqual(new Date(Date.UTC(2024, 2, 1, 9)));
  });

  it('defaults from to 24 hours before to and limit to 1000 (asking the repository for 1001)', async () => {
    const { deps, seriesCalls } = fakes();
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/devices/aq-001/readings?to=2024-03-02T00:00:00Z`);
    expect(status).toBe(200);
    expect(seriesCalls).toEqual([{ deviceId: 'aq-001', from: new Date(Date.UTC(2024, 2, 1)), to: new Date(Date.UTC(2024, 2, 2)), limit: 1001 }]);
    expect(body).toMatchObject({ from: '2024-03-01T00:00:00.000Z', to: '2024-03-02T00:00:00.000Z' });
  });

  it('defaults to the last 24 hours when given no period', async () => {
    const { deps, seriesCalls } = fakes();
    const base = await start(deps);
    const before = Date.now();
    const { status } = await getJson(`${base}/api/v1/devices/aq-001/readings`);
    const after = Date.now();
    expect(status).toBe(200);
    const call = seriesCalls[0];
    if (!call) throw new Error('series was not called');
    expect(call.to.getTime()).toBeGreaterThanOrEqual(before);
    expect(call.to.getTime()).toBeLessThanOrEqual(after);
    expect(Math.abs(call.to.getTime() - call.from.getTime() - 24 * HOUR)).toBeLessThanOrEqual(1000);
  });

  it('reports truncated when the period holds more readings than the limit, and returns only the limit', async () => {
    const { deps } = fakes({ readings: stored });
    const base = await start(deps);
    const { body } = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2024-03-01T09:00:00Z&to=2024-03-01T11:00:00Z&limit=2`);
    expect(body).toMatchObject({ truncated: true, readings: [{ time: '2024-03-01T10:00:00.000Z' }, { time: '2024-03-01T10:01:00.000Z' }] });
  });

  it('reports not truncated when the period holds exactly the limit', async () => {
    const { deps } = fakes({ readings: stored });
    const base = await start(deps);
    const { body } = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2024-03-01T09:00:00Z&to=2024-03-01T11:00:00Z&limit=3`);
    expect(body).toMatchObject({ truncated: false });
    expect((body as { readings: unknown[] }).readings).toHaveLength(3);
  });

  it('reports not truncated when fewer readings than the limit came back', async () => {
    const { deps } = fakes({ readings: stored });
    const base = await start(deps);
    const { body } = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2024-03-01T09:00:00Z&to=2024-03-01T11:00:00Z&limit=4`);
    expect(body).toMatchObject({ truncated: false });
    expect((body as { readings: unknown[] }).readings).toHaveLength(3);
  });

  it('accepts a period of exactly 31 days', async () => {
    const { deps } = fakes();
    const base = await start(deps);
    const { status } = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:00Z`);
    expect(status).toBe(200);
  });

  it.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=10001', 'limit'],
    ['limit=2.5', 'limit'],
    ['from=yesterday', 'from'],
    ['from=2024-03-02T00:00:00Z&to=2024-03-01T00:00:00Z', 'from'],
    ['from=2024-03-01T00:00:00Z&to=2024-03-01T00:00:00Z', 'from'],
    // 31 days and one second.
    ['from=2024-01-01T00:00:00Z&to=2024-02-01T00:00:01Z', 'to'],
  ])('answers 400 api.invalid_query for %s, naming %s', async (query, parameter) => {
    const { deps, seriesCalls } = fakes();
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/devices/aq-001/readings?${query}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'api.invalid_query', message: 'The query parameters are not valid.' } });
    const details = (body as { error: { details: { parameter: string; problem: string }[] } }).error.details;
    expect(details.map((detail) => detail.parameter)).toEqual([parameter]);
    expect(details[0]?.problem).not.toBe('');
    expect(seriesCalls).toEqual([]);
  });

  it('says why a period is refused', async () => {
    const { deps } = fakes();
    const base = await start(deps);
    const reversed = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2024-03-02T00:00:00Z&to=2024-03-01T00:00:00Z`);
    expect(reversed.body).toMatchObject({ error: { details: [{ parameter: 'from', problem: 'from must be before to' }] } });
    const tooLong = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2024-01-01T00:00:00Z&to=2024-03-01T00:00:00Z`);
    expect(tooLong.body).toMatchObject({ error: { details: [{ parameter: 'to', problem: 'a period may be at most 31 days' }] } });
    // With only `from` given, `to` is now: the period is too long because of `from`, so that is named.
    const fromOnly = await getJson(`${base}/api/v1/devices/aq-001/readings?from=2020-01-01T00:00:00Z`);
    expect(fromOnly.body).toMatchObject({ error: { details: [{ parameter: 'from', problem: 'a period may be at most 31 days' }] } });
  });

  it('names an unknown parameter in the details', async () => {
    const { deps } = fakes();
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/devices/aq-001/readings?colour=red`);
    expect(status).toBe(400);
    const details = (body as { error: { details: { parameter: string; problem: string }[] } }).error.details;
    expect(details).toHaveLength(1);
    // zod reports an unrecognised key with an empty path; a client reading `parameter` must not get "".
    expect(details[0]?.parameter).toBe('colour');
    expect(details[0]?.problem).not.toBe('');
  });

  it('answers 404 api.device_not_found for an unknown device, without asking for readings', async () => {
    const { deps, seriesCalls } = fakes();
    const base = await start(deps);
    const { status, body } = await getJson(`${base}/api/v1/devices/aq-999/readings`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'api.device_not_found', message: 'No device has the id "aq-999".' } });
    expect(seriesCalls).toEqual([]);
  });

  it('answers 404 for an id that can never be a device, without asking the repository', async () => {
    const { deps, seriesCalls } = fakes();
    let asked = 0;
    const base = await start({ ...deps, devices: { ...deps.devices, get: async () => (asked++, device) } });
    const { status, body } = await getJson(`${base}/api/v1/devices/a%20b/readings`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'api.device_not_found', message: 'No device has the id "a b".' } });
    expect(asked).toBe(0);
    expect(seriesCalls).toEqual([]);
  });
});

describe('unknown API paths', () => {
  it.each(['/api/v1/nope', '/api/v2/devices'])('answers %s with 404 api.not_found as JSON', async (path) => {
    const { deps } = fakes();
    const base = await start(deps);
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: { code: 'api.not_found' } });
  });

  it.each(['/api/v1/nope', '/api/v2/devices'])('names the whole path %s in the message', async (path) => {
    const { deps } = fakes();
    const base = await start(deps);
    const { body } = await getJson(`${base}${path}`);
    expect(body).toEqual({ error: { code: 'api.not_found', message: `There is no API at GET ${path}.` } });
  });
});

describe('unexpected errors', () => {
  it('answers 500 api.internal_error without the stack or the original message, and logs once', async () => {
    const { deps, errors } = fakes();
    const boom = new Error('connect ECONNREFUSED 10.0.0.5:5432');
    const base = await start({ ...deps, readings: { ...deps.readings, latestPerDevice: async () => Promise.reject(boom) } });
    const response = await fetch(`${base}/api/v1/latest`);
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: 'api.internal_error', message: 'Something went wrong on the server. It has been logged.' } });
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toContain('10.0.0.5');
    expect(text).not.toContain('app.test.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.object).toMatchObject({ err: boom, method: 'GET', path: '/api/v1/latest' });
  });
});

describe('the static client', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartplace-client-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with Cache-Control: no-cache', async () => {
    const clientDir = await mkdtemp(join(dir, 'built-'));
    await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>Smartplace</title>');
    const { deps } = fakes();
    const base = await start({ ...deps, clientDir });
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe('<!doctype html><title>Smartplace</title>');
  });

  it('lets hashed assets be cached for an hour', async () => {
    const clientDir = await mkdtemp(join(dir, 'built-'));
    await writeFile(join(clientDir, 'index.html'), '<!doctype html>');
    await writeFile(join(clientDir, 'app-1a2b.js'), 'console.log(1);');
    const { deps } = fakes();
    const base = await start({ ...deps, clientDir });
    const response = await fetch(`${base}/app-1a2b.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('answers 503 with a plain-text hint to build the client when there is no index.html', async () => {
    const clientDir = await mkdtemp(join(dir, 'empty-'));
    const { deps } = fakes();
    const base = await start({ ...deps, clientDir });
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('npm run build:client');
  });
});
