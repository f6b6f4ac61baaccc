import compression from 'compression';
import express from 'express';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { AreaGeography } from '../core/area.js';
import type { DeviceLocation } from '../core/device.js';
import type { HealthReport } from '../core/health.js';
import { DeviceIdSchema } from '../core/ids.js';
import type { DevicesRepository } from '../db/devicesRepository.js';
import type { ReadingsRepository } from '../db/readingsRepository.js';
import { ApiError, errorHandler, notFound, parseQuery, unknownRoute } from './errors.js';
import { presentDevice, presentLocation, presentReading } from './presenters.js';
import type { AreaLookup } from './areaScope.js';
import { replayRoutes, type ReplayRoutesDeps } from './replayRoutes.js';
import { storeRoutes, type StoreRoutesDeps } from './storeRoutes.js';
import { alertRoutes, type AlertRoutesDeps } from './alertRoutes.js';
import type { BriefingPdf } from './briefingPdf.js';
import { briefingRoutes, type BriefingRoutesDeps } from './briefingRoutes.js';
import { compareRoutes, type CompareRoutesDeps } from './compareRoutes.js';

/** HTTP: the built client, a health endpoint and the JSON API. Routes validate, call, present. */

export interface ClientConfig {
  /** An external MapLibre style; null means the offline basemap drawn from our own geography. */
  basemapStyleUrl: string | null;
}

export interface AppDeps {
  devices: Pick<DevicesRepository, 'list' | 'get'>;
  readings: Pick<ReadingsRepository, 'latestPerDevice' | 'series'>;
  area(): AreaGeography | null;
  /** The ward, street and property of a point; null when no geography is loaded. */
  locate(lon: number, lat: number): DeviceLocation | null;
  health(): Promise<HealthReport>;
  /** Prometheus metrics for /metrics (text exposition format). */
  metrics(): Promise<{ contentType: string; body: string }>;
  clientConfig: ClientConfig;
  /** Directory holding the built client (index.html and assets). */
  clientDir: string;
  log: { error(object: object, message: string): void };
  /** The store's query API (server/storeRoutes.ts, server/replayRoutes.ts); left out by tests of the other routes. */
  store?: Omit<StoreRoutesDeps, keyof AreaLookup> & ReplayRoutesDeps & Pick<CompareRoutesDeps, 'compare'> & Pick<BriefingRoutesDeps, 'briefings' | 'streetOfProperty'>;
  /** Briefings as PDF (server/briefingPdf.ts); without it, the PDF route answers 503. */
  briefingPdf?: Pick<BriefingPdf, 'available' | 'render'>;
  /** Operators' alerts (server/alertRoutes.ts); left out by tests of the other routes. */
  alerts?: AlertRoutesDeps;
}

const MAX_SERIES_DAYS = 31;

const AreaQuerySchema = z.object({ streets: z.enum(['true', 'false']).default('true').transform((value) => value === 'true') }).strict();

const SeriesQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict()
  .transform((query, ctx) => {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 24 * 3600_000);
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
    if (to.getTime() - from.getTime() > MAX_SERIES_DAYS * 24 * 3600_000) {
      // Name the parameter the caller sent: a lone `from` too far back is a problem with `from`.
      const parameter = query.to === undefined ? 'from' : 'to';
      ctx.addIssue({ code: 'custom', path: [parameter], message: `a period may be at most ${MAX_SERIES_DAYS} days` });
    }
    return { from, to, limit: query.limit };
  });

const LocateQuerySchema = z
  .object({
    lon: z.coerce.number().min(-180).max(180),
    lat: z.coerce.number().min(-90).max(90),
  })
  .strict();

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // gzip: the area's GeoJSON and the bundle are megabytes of text (docs/live-performance.md). Not
  // the streamed series, whose pages must go out as they are written.
  app.use(compression({ filter: (request, response) => !request.path.endsWith('/series') && compression.filter(request, response) }));

  app.get('/metrics', async (_request, response) => {
    const { contentType, body } = await deps.metrics();
    response.type(contentType).send(body);
  });

  app.get('/health', async (_request, response) => {
    const report = await deps.health();
    response.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  const api = express.Router();
  api.get('/area', (request, response) => {
    const { streets } = parseQuery(AreaQuerySchema, request);
    const area = deps.area();
    if (!area) throw new ApiError(404, 'api.area_not_found', 'No geography has been loaded yet.');
    // The ward comparison draws wards only: a council's streets can be megabytes.
    response.json(streets ? area : { ...area, streets: { type: 'FeatureCollection', features: [] } });
  });
  api.get('/locate', (request, response) => {
    const { lon, lat } = parseQuery(LocateQuerySchema, request);
    const location = deps.locate(lon, lat);
    if (!location) throw new ApiError(404, 'api.area_not_found', 'No geography has been loaded yet.');
    response.json(presentLocation({ lon, lat }, location));
  });
  api.get('/client-config', (_request, response) => {
    // And whether briefings can be downloaded as PDF (the briefing page hides the link if not).
    response.json({ ...deps.clientConfig, briefingPdf: deps.briefingPdf?.available ?? false });
  });
  api.get('/devices', async (_request, response) => {
    response.json((await deps.devices.list()).map(presentDevice));
  });
  api.get('/latest', async (_request, response) => {
    response.json((await deps.readings.latestPerDevice()).map(presentReading));
  });
  api.get('/devices/:id/readings', async (request, response) => {
    const id = DeviceIdSchema.safeParse(request.params.id);
    if (!id.success) throw notFound('device', request.params.id);
    const query = parseQuery(SeriesQuerySchema, request);
    const device = await deps.devices.get(id.data);
    if (!device) throw notFound('device', id.data);
    // One more than the limit tells whether the period holds more than was returned.
    const readings = await deps.readings.series(device.id, query.from, query.to, query.limit + 1);
    const truncated = readings.length > query.limit;
    response.json({
      device: presentDevice(device),
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      truncated,
      readings: readings.slice(0, query.limit).map(presentReading),
    });
  });
  if (deps.store) {
    // Before the store's routes, whose /wards/:id/… would otherwise take "compare" for a ward code.
    api.use(compareRoutes({ compare: deps.store.compare, area: deps.area, ...(deps.store.now ? { now: deps.store.now } : {}) }));
    api.use(storeRoutes({ ...deps.store, device: (id) => deps.devices.get(id), area: deps.area }));
    api.use(briefingRoutes({ briefings: deps.store.briefings, streetOfProperty: deps.store.streetOfProperty, area: deps.area, ...(deps.store.now ? { now: deps.store.now } : {}) }));
    api.use(replayRoutes(deps.store));
  }
  if (deps.alerts) api.use(alertRoutes(deps.alerts));
  api.use(unknownRoute);
  app.use('/api/v1', api);
  app.use('/api', unknownRoute);

  // Councillors' briefings: the page for any place (its script asks the API), and the same page
  // printed to PDF by Chromium on this server.
  app.get(/^\/briefing\/(ward|street)\/([A-Za-z0-9]+)\.pdf$/, async (request, response) => {
    const [kind, id] = [request.params[0], request.params[1]] as [string, string];
    if (!deps.briefingPdf?.available) {
      throw new ApiError(503, 'briefing.pdf_unavailable', 'PDFs need Chromium on the server (CHROMIUM_PATH). Use the briefing page and your browser\'s Print instead.');
    }
    const query = new URL(request.originalUrl, 'http://localhost').search;
    // Printed from this server's own address, never from the Host header a client sent.
    const url = `http://${localAddress(request)}/briefing/${kind}/${id}${query}`;
    const pdf = await deps.briefingPdf.render(url);
    if (!pdf) throw new ApiError(404, 'briefing.not_printable', 'There is no briefing for this place and period: open the briefing page to see why.');
    response.type('application/pdf').setHeader('Content-Disposition', `attachment; filename="briefing-${kind}-${id}.pdf"`).send(pdf);
  });
  if (existsSync(`${deps.clientDir}/briefing.html`)) {
    app.get(/^\/briefing(\/(ward|street)\/[A-Za-z0-9]+)?\/?$/, (_request, response) => {
      response.setHeader('Cache-Control', 'no-cache').sendFile('briefing.html', { root: deps.clientDir });
    });
  }

  if (existsSync(`${deps.clientDir}/index.html`)) {
    // `extensions`: the ward comparison is at /compare (compare.html).
    app.use(express.static(deps.clientDir, { index: 'index.html', extensions: ['html'], maxAge: '1h', setHeaders: noCacheForHtml }));
  } else {
    app.get('/', (_request, response) => {
      response
        .status(503)
        .type('text/plain')
        .send('The map has not been built yet. Run `npm run build:client` (npm start does this for you), then reload.');
    });
  }

  app.use(errorHandler(deps.log));
  return app;
}

/** host:port this request arrived on, for loopback requests to this same server. */
function localAddress(request: express.Request): string {
  const address = request.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') && !address.startsWith('::ffff:') ? `[${address}]` : address.replace(/^::ffff:/, '');
  return `${host}:${request.socket.localPort}`;
}

function noCacheForHtml(response: express.Response, path: string): void {
  // index.html names the hashed asset files, so it must never be served stale.
  if (path.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
}
