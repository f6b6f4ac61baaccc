import type { Alert } from '../../core/alerts.js';
import express from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocatedDevice } from '../../core/device.js';
import type { LiveReading } from '../../core/reading.js';
import { AlertsRepository } from '../../db/alertsRepository.js';
import { openDb } from '../../db/pool.js';
import { alertRoutes } from '../../server/alertRoutes.js';
import { AlertService } from '../../server/alertService.js';
import { errorHandler } from '../../server/errors.js';
import { attachRealtime } from '../../server/realtime.js';

/**
 * One server process of several, for the fan-out test: the product's realtime, alert service and
 * alert routes over a shared PostgreSQL (DATABASE_URL, a schema holding the alerts table) and Redis
 * (REDIS_URL). The live feed is stood in for by POST /test/readings, so each process can be handed
 * the same readings, as every server is by MQTT. Prints `listening <url>` when ready.
 */

const DEVICE: LocatedDevice = {
  id: 'aq-001',
  name: 'High Street monitor',
  kind: 'air_quality',
  lon: -2.3,
  lat: 53.4,
  expectedIntervalS: 60,
  location: { wardCode: null, wardName: null, usrn: null, streetName: null, streetDistanceM: null, uprn: null, uprnDistanceM: null },
};

const log = { warn: (o: object, m: string) => console.error(m, o), error: (o: object, m: string) => console.error(m, o), info: () => undefined };
const db = openDb({ connectionString: process.env.DATABASE_URL as string, max: 2, onError: () => undefined });
let publish: (changed: Alert[]) => void = () => undefined;
const alerts = new AlertService({
  alerts: new AlertsRepository(db),
  devices: async () => [DEVICE],
  latest: async () => [],
  freeFlow: async () => null,
  rules: { offlineAfterS: 1800 },
  publish: (changed) => publish(changed),
  log,
});
const app = express();
app.use(express.json());
app.post('/test/readings', (request, response) => {
  const readings = request.body as LiveReading[];
  realtime.sendReadings(readings);
  alerts.onReadings(readings);
  void alerts.idle().then(() => response.json({ ok: true }));
});
app.use('/api/v1', alertRoutes(alerts));
app.use(errorHandler(log));
const http = createServer(app);
const realtime = await attachRealtime(http, {
  snapshot: async () => ({ devices: [DEVICE], latest: [], alerts: await alerts.current(), health: { offlineAfterS: 1800 }, freeFlowKmh: {} }),
  device: (id) => (id === DEVICE.id ? DEVICE : undefined),
  maxUpdatesPerSecond: 10,
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  log,
});
publish = (changed) => realtime.broadcast('alerts:v1', changed);
await alerts.start();
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
console.log(`listening http://127.0.0.1:${(http.address() as AddressInfo).port}`);
process.on('SIGTERM', () => {
  void alerts
    .stop()
    .then(() => realtime.close())
    .then(() => db.end())
    .finally(() => process.exit(0));
});
