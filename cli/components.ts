import { randomBytes } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { redactUrl, type Config } from '../core/config.js';
import { NO_LOCATION, type Device } from '../core/device.js';
import type { HealthReport, IngestStatus } from '../core/health.js';
import type { LiveReading } from '../core/reading.js';
import { localHost } from '../core/portFallback.js';
import { routeTopic, topicRoutes, type TopicRoute } from '../core/topicRoutes.js';
import { topicsFor, type Topics } from '../core/topics.js';
import { seedDemoGeography } from '../db/demoGeography.js';
import { AggregatesRepository } from '../db/aggregatesRepository.js';
import { DevicesRepository } from '../db/devicesRepository.js';
import { DeviceDaysRepository } from '../db/deviceDaysRepository.js';
import { GeographyStore } from '../db/geographyStore.js';
import { EmbeddedDatabase } from '../db/embedded/embeddedDatabase.js';
import { commitIngestBatch } from '../db/ingestCommit.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openDb, type Db } from '../db/pool.js';
import { PropertiesRepository } from '../db/propertiesRepository.js';
import { QualityFlagsRepository } from '../db/qualityFlagsRepository.js';
import { ReadingsRepository } from '../db/readingsRepository.js';
import { StoreJobsRepository } from '../db/storeJobsRepository.js';
import { generateDemoArea, placeDemoDevices, type DemoArea } from '../geo/demoArea.js';
import type { JoinDistances } from '../geo/geographyIndex.js';
import { DeviceDaysJob } from '../ingest/deviceDaysJob.js';
import { DeviceDirectory } from '../ingest/deviceDirectory.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../ingest/embeddedBroker.js';
import { IngestMetrics } from '../ingest/ingestMetrics.js';
import { IngestService } from '../ingest/ingestService.js';
import { EmbeddedBrokerSource, SubscriptionSource } from '../ingest/ingestSources.js';
import { scanQuality } from '../ingest/qualityScan.js';
import { StoreMaintenance } from '../ingest/storeMaintenance.js';
import { createApp, type AppDeps } from '../server/app.js';
import { AirQualityService } from '../server/airQualityService.js';
import { DataQualityService } from '../server/dataQualityService.js';
import { TrafficService } from '../server/trafficService.js';
import { WardCompareService } from '../server/wardCompareService.js';
import { BriefingPdf } from '../server/briefingPdf.js';
import { BriefingService } from '../server/briefingService.js';
import { checkHealth } from '../server/health.js';
import { LiveFeed } from '../server/liveFeed.js';
import { attachRealtime } from '../server/realtime.js';
import { AlertService } from '../server/alertService.js';
import { AlertsRepository } from '../db/alertsRepository.js';
import type { Alert } from '../core/alerts.js';
import { listenHttp } from '../server/webServer.js';
import { Simulator } from '../simulator/simulator.js';
import { connectMqtt, type MqttTarget } from './mqtt.js';

/**
 * The pieces each command is built from. Every function starts one thing and registers how to stop
 * it; `Lifecycle.stop()` stops them in reverse order, so ingest flushes before the database closes.
 */

export class Lifecycle {
  private readonly stoppers: { name: string; stop: () => Promise<void> | void }[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  onStop(name: string, stop: () => Promise<void> | void): void {
    this.stoppers.push({ name, stop });
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, stop } of [...this.stoppers].reverse()) {
        try {
          await stop();
        } catch (error) {
          this.log.error({ err: error, component: name }, `shutdown: stopping ${name} failed`);
        }
      }
    })();
    return this.stopping;
  }
}

export interface Database {
  db: Db;
  embedded: EmbeddedDatabase | undefined;
  description: string;
  /** The stored geography in memory: map layers and the ward/street/property joins. */
  geography: GeographyStore;
}

const demoAreas = new WeakMap<Config, DemoArea>();

/**
 * The demo borough for this configuration, generated once per process and shared by the device
 * seeding, the server and the simulator. Air-quality monitors report every SIMULATOR_INTERVAL_MS;
 * traffic counters count per minute (or slower).
 */
export function demoArea(config: Config): DemoArea {
  let area = demoAreas.get(config);
  if (!area) {
    const airQualityIntervalS = Math.max(1, Math.ceil(config.simulator.intervalMs / 1000));
    area = generateDemoArea({ airQualityIntervalS, trafficIntervalS: Math.max(60, airQualityIntervalS) });
    demoAreas.set(config, area);
  }
  return area;
}

export function joinDistances(config: Config): JoinDistances {
  return { streetMaxDistanceM: config.geography.streetMaxDistanceM, propertyMaxDistanceM: config.geography.propertyMaxDistanceM };
}

/** Starts the embedded database (unless DATABASE_URL is set), connects and migrates. */
export async function connectDatabase(config: Config, lifecycle: Lifecycle, log: Logger): Promise<Omit<Database, 'geography'>> {
  let embedded: EmbeddedDatabase | undefined;
  let url: string;
  let description: string;
  if (config.database.embedded) {
    const { dataDir, port } = config.database;
    embedded = await EmbeddedDatabase.start(dataDir, port, {
      onUnexpectedExit: (detail) => log.error(detail, 'embedded database: exited unexpectedly; restarting'),
      onRestarted: (detail) => log.warn(detail, 'embedded database: restarted'),
      onRestartFailed: (error) => log.error({ err: error }, 'embedded database: restart failed; trying again'),
    });
    const database = embedded;
    lifecycle.onStop('embedded database', () => database.stop());
    url = embedded.url;
    const fellBack = embedded.fellBackFrom === undefined ? '' : `; port ${embedded.fellBackFrom} was taken`;
    description = `embedded TimescaleDB in ${dataDir} (postgres://127.0.0.1:${embedded.port}, single session${fellBack})`;
  } else {
    url = config.database.url;
    description = `TimescaleDB server from DATABASE_URL (${redactUrl(url)})`;
  }
  const db = openDb({
    connectionString: url,
    max: config.database.embedded ? 1 : config.database.poolSize,
    onError: (error) => log.warn({ err: error }, 'database: an idle connection failed; the next query reconnects'),
  });
  lifecycle.onStop('database pool', () => db.end());
  const applied = await migrate(db, await loadMigrations());
  if (applied.length > 0) log.info({ applied }, 'database: migrations applied');
  return { db, embedded, description };
}

/**
 * Connects (connectDatabase), loads the geography (seeding the synthetic borough in demo mode when
 * nothing has been imported) and registers the demo devices where the joins put them.
 */
export async function openDatabase(config: Config, lifecycle: Lifecycle, log: Logger): Promise<Database> {
  const { db, embedded, description: connected } = await connectDatabase(config, lifecycle, log);
  let description = connected;
  const distances = joinDistances(config);
  if (config.demo) {
    const seeded = await seedDemoGeography(db, demoArea(config), distances);
    if (seeded) log.info(seeded, 'geography: synthetic demo borough written');
  }
  const geography = new GeographyStore(db, distances);
  const loaded = await geography.load();
  if (config.demo) await registerDemoDevices(config, db, geography);
  geography.watch(
    config.geography.checkIntervalS * 1000,
    (next) => log.info({ version: next?.version, name: next?.area.name }, 'geography: a new geography was imported; reloaded'),
    (error) => log.warn({ err: error }, 'geography: could not check for a new geography'),
  );
  lifecycle.onStop('geography watch', () => geography.stop());
  if (loaded) description += `; geography: ${loaded.area.name}${loaded.area.synthetic ? ' (synthetic)' : ''}`;
  return { db, embedded, description, geography };
}

/**
 * The demo devices go on the demo borough's streets, or, once a council has imported its own area,
 * on that area's longest streets, so the simulator's readings still land somewhere on its map.
 */
async function registerDemoDevices(config: Config, db: Db, geography: GeographyStore): Promise<void> {
  const current = geography.current;
  const demo = demoArea(config);
  let devices: Device[] = demo.devices;
  if (current && !current.area.synthetic) {
    const intervals = Object.fromEntries(demo.devices.map((device) => [device.kind, device.expectedIntervalS])) as Record<Device['kind'], number>;
    devices = placeDemoDevices(
      current.area.streets.features.map((street) => ({ name: street.properties.name, main: street.properties.main, geometry: street.geometry })),
      intervals,
      (lon, lat) => current.index.resolve(lon, lat).wardCode !== null,
    );
  }
  await new DevicesRepository(db).upsertMany(
    devices.map((device) => ({ ...device, place: current ? current.locate(device.lon, device.lat) : NO_LOCATION })),
  );
}

export interface Broker {
  target: MqttTarget;
  embedded: EmbeddedBroker | undefined;
  description: string;
}

export async function openBroker(config: Config, lifecycle: Lifecycle): Promise<Broker> {
  if (!config.mqtt.embedded) {
    const { url, username, password } = config.mqtt;
    return {
      target: { url, ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) },
      embedded: undefined,
      description: 'external broker from MQTT_URL',
    };
  }
  const routes = ingestRoutes(config);
  // Device messages that arrive before ingest has started wait, unacknowledged, for it.
  const broker = await startEmbeddedBroker(config.mqtt.host, config.mqtt.port, (topic) => routeTopic(routes, topic) !== undefined);
  lifecycle.onStop('embedded MQTT broker', () => broker.close());
  const fellBack = broker.fellBackFrom === undefined ? '' : `; port ${broker.fellBackFrom} was taken, so a free port was used`;
  return { target: { url: broker.url }, embedded: broker, description: `embedded broker (MQTT 3.1.1 and 5${fellBack})` };
}

export function topics(config: Config): Topics {
  return topicsFor(config.mqtt.topicPrefix);
}

async function serviceClient(broker: Broker, clientId: string, lifecycle: Lifecycle, log: Logger, extra: Parameters<typeof connectMqtt>[1] = {}): Promise<MqttClient> {
  const client = await connectMqtt(broker.target, { clientId, ...extra }, log);
  lifecycle.onStop(`MQTT client ${clientId}`, () => client.endAsync());
  return client;
}

/** The enabled formats' topic routes. */
export function ingestRoutes(config: Config): TopicRoute[] {
  return topicRoutes(config.mqtt.topicPrefix, config.ingest.topicPatterns);
}

export interface RunningIngest {
  service: IngestService;
  metrics: IngestMetrics;
  maintenance: StoreMaintenance;
}

export async function startIngest(config: Config, database: Database, broker: Broker, lifecycle: Lifecycle, log: Logger): Promise<RunningIngest> {
  const t = topics(config);
  const { instanceId } = config.ingest;
  const routes = ingestRoutes(config);
  const offline: IngestStatus = { instanceId, state: 'offline', since: new Date().toISOString() };
  // Status and committed readings go out on an ordinary client; device messages come in through the source.
  const mqtt = await serviceClient(broker, `smartplace-ingest-status-${instanceId}`, lifecycle, log, {
    clean: true,
    will: { topic: t.ingestStatus(instanceId), payload: Buffer.from(JSON.stringify(offline)), qos: 1, retain: true },
  });
  const devicesRepository = new DevicesRepository(database.db);
  const devices = new DeviceDirectory({
    load: () => devicesRepository.registry(),
    onLoadError: (error) => log.warn({ err: error }, 'ingest: could not reload the device registry; using the last copy'),
  });
  const { sharedGroup } = config.ingest;
  const source = broker.embedded
    ? new EmbeddedBrokerSource(broker.embedded, routes)
    : new SubscriptionSource({
        ...broker.target,
        // One persistent session per instance: while ingest is down the broker keeps its QoS 1 messages.
        clientId: `smartplace-ingest-${instanceId}`,
        filters: routes.map(({ filter }) => (sharedGroup === undefined ? filter : `$share/${sharedGroup}/${filter}`)),
        sessionExpiryS: 7 * 24 * 3600,
        receiveMaximum: config.ingest.receiveMaximum,
        log,
      });
  const metrics = new IngestMetrics();
  const service = new IngestService({
    source,
    mqtt,
    topics: t,
    routes,
    devices,
    commit: (readings, rejects) => commitIngestBatch(database.db, readings, rejects),
    locate: (lon, lat) => {
      const join = database.geography.current?.index.resolve(lon, lat);
      return { wardCode: join?.wardCode ?? null, usrn: join?.usrn ?? null };
    },
    log,
    instanceId,
    limits: {
      maxPayloadBytes: config.ingest.maxPayloadBytes,
      maxFutureSkewMs: config.ingest.maxFutureSkewS * 1000,
      backfillWindowMs: config.ingest.backfillWindowH * 3600_000,
    },
    batchSize: config.ingest.batchSize,
    batchMaxDelayMs: config.ingest.batchMaxDelayMs,
    maxPending: config.ingest.maxPending,
    metrics,
  });
  // Maintenance is registered first so it stops after ingest: on a stop, ingest stops taking messages
  // at once, rather than going on while a maintenance pass (a refresh can hold the database for
  // seconds) is waited for.
  const maintenance = await startStoreMaintenance(config, database, lifecycle, log);
  try {
    await service.start();
  } catch (error) {
    throw Object.assign(new Error(`ingest could not subscribe: ${(error as Error).message}`, { cause: error }), {
      code: (error as { code?: string }).code ?? 'ingest.start_failed',
    });
  }
  lifecycle.onStop('ingest', () => service.stop());
  return { service, metrics, maintenance };
}

/** How often the embedded database (which has no checkpointer) is checkpointed. */
const EMBEDDED_CHECKPOINT_MS = 5 * 60_000;

/**
 * The store's upkeep runs beside ingest (the writer): the quality scan always, TimescaleDB's jobs
 * when the database cannot run them itself (STORE_RUN_JOBS=auto: the embedded one).
 */
async function startStoreMaintenance(config: Config, database: Database, lifecycle: Lifecycle, log: Logger): Promise<StoreMaintenance> {
  const jobs = new StoreJobsRepository(database.db);
  const changed = await jobs.alignPolicies({ ...config.store, backfillWindowH: config.ingest.backfillWindowH });
  if (changed.length > 0) log.info({ changed }, 'store: retention, compression and refresh policies updated');
  const readings = new ReadingsRepository(database.db);
  const flags = new QualityFlagsRepository(database.db);
  const devices = new DevicesRepository(database.db);
  const maintenance = new StoreMaintenance({
    jobs,
    scan: (now) =>
      scanQuality(
        {
          readings,
          flags,
          intervals: async () => new Map((await devices.list()).map((device) => [device.id, device.expectedIntervalS])),
        },
        now,
      ),
    runJobs: config.store.runJobs === 'app' || (config.store.runJobs === 'auto' && database.embedded !== undefined),
    deviceDays: new DeviceDaysJob({ days: new DeviceDaysRepository(database.db), aggregates: new AggregatesRepository(database.db), devices: () => devices.list() }),
    qualityScanMs: config.store.qualityScanMinutes * 60_000,
    ...(database.embedded === undefined ? {} : { checkpointMs: EMBEDDED_CHECKPOINT_MS }),
    log,
  });
  maintenance.start();
  lifecycle.onStop('store maintenance', () => maintenance.stop());
  return maintenance;
}

/** Prometheus text for /metrics: this process's default metrics plus the given registries. */
export function metricsEndpoint(registries: readonly Registry[]): () => Promise<{ contentType: string; body: string }> {
  const processRegistry = new Registry();
  collectDefaultMetrics({ register: processRegistry, prefix: 'smartplace_' });
  const merged = Registry.merge([processRegistry, ...registries]);
  return async () => ({ contentType: merged.contentType, body: await merged.metrics() });
}

/** `smartplace ingest` on its own serves /metrics on INGEST_METRICS_PORT. */
export async function serveIngestMetrics(config: Config, ingest: RunningIngest, lifecycle: Lifecycle): Promise<{ url: string }> {
  const metrics = metricsEndpoint([ingest.metrics.registry]);
  const { server, choice } = await listenHttp(
    (request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
        return;
      }
      metrics().then(
        ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(error as Error).message}\n`),
      );
    },
    config.http.host,
    config.ingest.metricsPort,
    'INGEST_METRICS_PORT',
  );
  lifecycle.onStop('ingest metrics endpoint', () => new Promise<void>((done) => server.close(() => done())));
  return { url: `http://${localHost(config.http.host)}:${choice.port}/metrics` };
}

export const CLIENT_DIR = fileURLToPath(new URL('../client/dist', import.meta.url));

export async function startServer(
  config: Config,
  database: Database,
  broker: Broker,
  lifecycle: Lifecycle,
  log: Logger,
  /** Metrics of components in this process (ingest, in the all-in-one mode) to serve at /metrics. */
  metricRegistries: readonly Registry[] = [],
): Promise<{ url: string; fellBackFrom: number | undefined; health: () => Promise<HealthReport> }> {
  const t = topics(config);
  const mqtt = await serviceClient(broker, `smartplace-server-${randomBytes(4).toString('hex')}`, lifecycle, log, { clean: true });
  const devices = new DevicesRepository(database.db);
  const readings = new ReadingsRepository(database.db);
  // Readings that arrive before the web server is listening have no browser to go to.
  let send: (batch: LiveReading[]) => void = () => undefined;
  const feed = new LiveFeed({ mqtt, topics: t, log, onReadings: (batch) => send(batch) });
  await feed.start();
  lifecycle.onStop('live feed', () => feed.stop());

  const traffic = new TrafficService(new AggregatesRepository(database.db));
  // Alerts changed before the web server is listening go to no browser; each page gets them in its snapshot.
  let publish: (changed: Alert[]) => void = () => undefined;
  const alertService = new AlertService({
    alerts: new AlertsRepository(database.db),
    devices: () => devices.list(),
    latest: () => readings.latestPerDevice(),
    freeFlow: async (id) => (await traffic.freeFlow({ scope: 'device', id, name: id }, new Date()))?.speedKmh ?? null,
    rules: { offlineAfterS: config.live.offlineAfterS },
    publish: (changed) => publish(changed),
    log,
  });
  const health = () =>
    checkHealth({
      db: database.db,
      embeddedDatabase: database.embedded !== undefined,
      embeddedBroker: broker.embedded !== undefined,
      brokerConnected: () => mqtt.connected,
      ingestInstances: () => feed.ingestInstances(),
    });
  const briefingPdf = new BriefingPdf(config.http.chromiumPath);
  lifecycle.onStop('briefing PDFs', () => briefingPdf.close());
  const app = createApp({
    devices,
    readings,
    area: () => database.geography.current?.area ?? null,
    locate: (lon, lat) => database.geography.current?.locate(lon, lat) ?? null,
    health,
    metrics: metricsEndpoint(metricRegistries),
    clientConfig: { basemapStyleUrl: config.http.basemapStyleUrl ?? null },
    clientDir: CLIENT_DIR,
    log,
    store: storeApi(database.db, devices, readings),
    briefingPdf,
    alerts: alertService,
  });
  const { server, choice } = await listenHttp(app, config.http.host, config.http.port);
  const realtime = await attachRealtime(server, {
    snapshot: async () => ({
      devices: await devices.list(),
      latest: await readings.latestPerDevice(),
      alerts: await alertService.current(),
      health: { offlineAfterS: config.live.offlineAfterS },
      freeFlowKmh: alertService.freeFlowKmh(),
    }),
    device: (id) => alertService.device(id),
    maxUpdatesPerSecond: config.live.maxUpdatesPerSecond,
    ...(config.live.redisUrl === undefined ? {} : { redisUrl: config.live.redisUrl }),
    log,
  });
  lifecycle.onStop('web server', () => realtime.close());
  publish = (changed) => realtime.broadcast('alerts:v1', changed);
  await alertService.start();
  lifecycle.onStop('alerts', () => alertService.stop());
  send = (batch) => {
    realtime.sendReadings(batch);
    alertService.onReadings(batch);
  };
  return { url: `http://${localHost(config.http.host)}:${choice.port}/`, fellBackFrom: choice.fellBackFrom, health };
}

/** The store's query API over the database: repositories in, use cases out. */
export function storeApi(db: Db, devices: DevicesRepository, readings: ReadingsRepository): NonNullable<AppDeps['store']> {
  const aggregates = new AggregatesRepository(db);
  const list = () => devices.list();
  const compare = new WardCompareService(new DeviceDaysRepository(db));
  const properties = new PropertiesRepository(db);
  return {
    aggregates,
    raw: readings,
    airQuality: new AirQualityService({ aggregates, devices: list }),
    quality: new DataQualityService({ aggregates, flags: new QualityFlagsRepository(db), devices: list }),
    traffic: new TrafficService(aggregates),
    compare,
    briefings: new BriefingService({ compare, aggregates, devices: list }),
    streetOfProperty: (uprn) => properties.streetOf(uprn),
  };
}

export async function startSimulator(config: Config, broker: Broker, lifecycle: Lifecycle, log: Logger): Promise<Simulator> {
  const mqtt = await serviceClient(broker, `smartplace-simulator-${randomBytes(4).toString('hex')}`, lifecycle, log, { clean: true });
  const simulator = new Simulator({ mqtt, topics: topics(config), devices: demoArea(config).devices, intervalMs: config.simulator.intervalMs, log });
  simulator.start();
  lifecycle.onStop('simulator', () => simulator.stop());
  return simulator;
}
