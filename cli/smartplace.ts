import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { redactUrl, type Config } from '../core/config.js';
import type { HealthReport } from '../core/health.js';
import { runHost } from '../db/embedded/host.js';
import { loadConfig } from './config.js';
import { Lifecycle, openBroker, openDatabase, serveIngestMetrics, startIngest, startServer, startSimulator } from './components.js';
import { runDevices } from './devices/devicesCommand.js';
import { runImport } from './import/importCommand.js';
import { createLogger } from './logger.js';

const USAGE = `Usage: smartplace <command> [options]

Commands:
  start [--no-simulator]  Run everything: database (embedded unless DATABASE_URL), migrations, MQTT broker
                          (embedded unless MQTT_URL), ingest, web server and, in demo mode, the simulator.
  ingest                  Run only the ingest service (needs MQTT_URL).
  serve                   Run only the web server (needs MQTT_URL).
  simulate                Run only the demo device simulator (needs MQTT_URL).
  migrate                 Apply database migrations and exit.
  import <dataset> <file> Load the council's geography (stop \`smartplace start\` first when it uses the
                          embedded database). Datasets, in this order:
      wards <file.geojson>        ONS ward boundaries (WDyyCD/WDyyNM found automatically)
          [--code-property P --name-property P]  other property names (e.g. area_code, area_name)
          [--crs EPSG:4326|EPSG:27700]           when the file does not say
          [--local-authority E08000009 [--local-authority-property LAD23CD]]  one council only
          [--name "Trafford"]                    the area's name on the map
      usrn <file.gpkg>            OS Open USRN streets touching the wards
      street-names <file.csv>     USRN,STREET_NAME,LOCALITY,TOWN from the street gazetteer
      uprn <file.csv|file.gpkg>   OS Open UPRN properties inside the wards (streamed; resumable)
      links <file.csv>            OS Open Linked Identifiers BLPU_UPRN_Street_USRN_11 (resumable)
    [--force]                     import again even if this file was imported already
  import status           What has been imported, when, and how much.
  devices import <file.csv>  Register devices from the council's device register (docs/devices.md):
                          id, name, kind, position, interval, payload format, mobile, other names.
  devices list            Every device: format, fixed or mobile, in service or retired, ward, street.
  devices retire <id>     Refuse the device's messages from now on (its readings stay);
  devices restore <id>    or take it back into service.
  db                      Run only the embedded database, for psql (PGSSLMODE=disable) while Smartplace is stopped.

Configuration comes from the environment (and .env): see .env.example.`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'no-simulator': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      force: { type: 'boolean', default: false },
      'code-property': { type: 'string' },
      'name-property': { type: 'string' },
      crs: { type: 'string' },
      'local-authority': { type: 'string' },
      'local-authority-property': { type: 'string' },
      name: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const log = createLogger(config.log);
  const lifecycle = new Lifecycle(log);
  // Installed before anything starts, so a Ctrl-C during start-up still shuts down in order.
  stopOnSignals(lifecycle, log);
  try {
    switch (command) {
      case 'start':
        await start(config, lifecycle, log, { simulator: config.demo && !values['no-simulator'] });
        break;
      case 'ingest': {
        requireExternalBroker(config, 'ingest');
        const ingest = await startIngest(config, await openDatabase(config, lifecycle, log), await openBroker(config, lifecycle), lifecycle, log);
        const metrics = await serveIngestMetrics(config, ingest, lifecycle);
        console.log(`Smartplace ingest is running (instance ${config.ingest.instanceId}; metrics at ${metrics.url}). Press Ctrl-C to stop.`);
        break;
      }
      case 'serve': {
        requireExternalBroker(config, 'serve');
        const server = await startServer(config, await openDatabase(config, lifecycle, log), await openBroker(config, lifecycle), lifecycle, log);
        console.log(`Smartplace web server: ${server.url}`);
        break;
      }
      case 'simulate':
        requireExternalBroker(config, 'simulate');
        await startSimulator(config, await openBroker(config, lifecycle), lifecycle, log);
        console.log(`Smartplace simulator is publishing to ${config.mqtt.embedded ? 'the embedded broker' : redactUrl(config.mqtt.url)}. Press Ctrl-C to stop.`);
        break;
      case 'migrate': {
        const database = await openDatabase(config, lifecycle, log);
        console.log(`Migrations are up to date (${database.description}).`);
        await lifecycle.stop();
        return;
      }
      case 'db':
        await runEmbeddedDatabaseOnly(config, lifecycle);
        break;
      case 'import':
        process.exitCode = await runImport(config, lifecycle, log, positionals.slice(1), values);
        await lifecycle.stop();
        return;
      case 'devices':
        process.exitCode = await runDevices(config, lifecycle, log, positionals.slice(1));
        await lifecycle.stop();
        return;
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        process.exitCode = 2;
        return;
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    console.error(`\nSmartplace could not start: ${(error as Error).message}${code ? ` [${code}]` : ''}`);
    log.debug({ err: error }, 'start-up failed');
    await lifecycle.stop();
    process.exit(1);
  }
}

function requireExternalBroker(config: Config, command: string): void {
  if (config.mqtt.embedded) {
    throw Object.assign(
      new Error(`\`smartplace ${command}\` runs on its own only with an external broker: set MQTT_URL (the embedded broker runs inside \`smartplace start\`).`),
      { code: 'config.mqtt_url_required' },
    );
  }
}

async function start(config: Config, lifecycle: Lifecycle, log: Logger, options: { simulator: boolean }): Promise<void> {
  const database = await openDatabase(config, lifecycle, log);
  const broker = await openBroker(config, lifecycle);
  const ingest = await startIngest(config, database, broker, lifecycle, log);
  const server = await startServer(config, database, broker, lifecycle, log, [ingest.metrics.registry]);
  if (options.simulator) await startSimulator(config, broker, lifecycle, log);
  // Ready means healthy: the server has heard from ingest (its retained status) and reached the database.
  const health = await waitForHealth(server.health, 10_000);

  const mode = config.demo
    ? `demo mode: synthetic borough, simulator ${options.simulator ? 'on' : 'off'}`
    : `simulator ${options.simulator ? 'on' : 'off'}`;
  const webNote = server.fellBackFrom === undefined ? '' : `  (port ${server.fellBackFrom} was taken, so a free port was used)`;
  const seconds = (performance.now() / 1000).toFixed(1);
  console.log(
    [
      '',
      `Smartplace is running (${mode}).`,
      `  Map:       ${server.url}${webNote}`,
      `  Health:    ${server.url}health   Metrics: ${server.url}metrics`,
      `  MQTT:      ${redactUrl(broker.target.url)}  ${broker.description}`,
      `  Topics:    ${config.mqtt.topicPrefix}/v1/devices/{deviceId}/readings  (payload: docs/payloads.md)`,
      `  Database:  ${database.description}`,
      health.status === 'ok'
        ? `Ready in ${seconds} s. Press Ctrl-C to stop.`
        : `Started in ${seconds} s but not healthy yet (see ${server.url}health). Press Ctrl-C to stop.`,
      '',
    ].join('\n'),
  );
}

async function waitForHealth(check: () => Promise<HealthReport>, timeoutMs: number): Promise<HealthReport> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const report = await check();
    if (report.status === 'ok' || performance.now() > deadline) return report;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function runEmbeddedDatabaseOnly(config: Config, lifecycle: Lifecycle): Promise<void> {
  if (!config.database.embedded) throw Object.assign(new Error('`smartplace db` runs the embedded database; DATABASE_URL is set.'), { code: 'config.not_embedded' });
  const { dataDir, port } = config.database;
  const stop = await runHost({ dataDir, port: port.port, explicitPort: port.explicit }, (message) => {
    if (message.type === 'ready') {
      console.log(`Embedded TimescaleDB (data in ${dataDir}) is listening. One connection at a time:`);
      console.log(`  PGSSLMODE=disable psql -h 127.0.0.1 -p ${message.port} -U postgres postgres`);
    }
  });
  lifecycle.onStop('embedded database', stop);
}

function stopOnSignals(lifecycle: Lifecycle, log: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      console.error('Stopping immediately.');
      process.exit(130);
    }
    signalled = true;
    console.log(`\n${signal}: stopping (writing what is pending first; press Ctrl-C again to stop at once)…`);
    lifecycle.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

await main();
