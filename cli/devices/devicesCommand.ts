import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Config } from '../../core/config.js';
import { NO_LOCATION } from '../../core/device.js';
import { DevicesRepository } from '../../db/devicesRepository.js';
import { GeographyStore } from '../../db/geographyStore.js';
import { connectDatabase, joinDistances, type Lifecycle } from '../components.js';
import { parseDeviceCsv } from './deviceCsv.js';

/**
 * `smartplace devices import <file.csv>`, `devices list`, `devices retire <id>` and
 * `devices restore <id>`: the council's device register (docs/devices.md). Returns the exit code.
 * Running ingest processes see changes within 30 seconds (their registry copy's refresh).
 */
export async function runDevices(config: Config, lifecycle: Lifecycle, log: Logger, args: string[]): Promise<number> {
  const [action, argument, ...extra] = args;
  const usage = () => {
    console.error('Usage: smartplace devices import <file.csv> | list | retire <id> | restore <id> (see docs/devices.md).');
    return 2;
  };
  if (extra.length > 0) return usage();
  switch (action) {
    case 'import':
      return argument === undefined ? usage() : importDevices(config, lifecycle, log, argument);
    case 'list':
      return argument === undefined ? listDevices(config, lifecycle, log) : usage();
    case 'retire':
    case 'restore':
      return argument === undefined ? usage() : setRetired(config, lifecycle, log, argument, action === 'retire');
    default:
      return usage();
  }
}

async function importDevices(config: Config, lifecycle: Lifecycle, log: Logger, file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`Cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const parsed = parseDeviceCsv(text);
  if (!parsed.ok) {
    console.error(`${file}: nothing was registered.\n${parsed.problems.map((problem) => `  ${problem}`).join('\n')}`);
    return 1;
  }
  const database = await connectDatabase(config, lifecycle, log);
  const geography = new GeographyStore(database.db, joinDistances(config));
  const current = await geography.load();
  const devices = parsed.devices.map((device) => ({ ...device, place: current ? current.locate(device.lon, device.lat) : NO_LOCATION }));
  try {
    await database.db.transaction(async (client) => {
      const repository = new DevicesRepository(client);
      await repository.upsertMany(devices);
      for (const device of devices) await repository.setKeys(device.id, device.keys);
    });
  } catch (error) {
    // A name another device already has (device_keys' key) or a check the database refuses.
    console.error(`${file}: nothing was registered: ${(error as Error).message}`);
    return 1;
  }
  const outside = devices.filter((device) => !device.mobile && current && device.place.wardCode === null).map((device) => device.id);
  console.log(`Registered ${devices.length} device${devices.length === 1 ? '' : 's'} from ${file}.`);
  if (!current) console.log('No geography is loaded, so no device has a ward, street or property yet (see smartplace import).');
  else if (outside.length > 0) console.log(`Outside every ward of ${current.area.name}: ${outside.join(', ')}.`);
  return 0;
}

async function listDevices(config: Config, lifecycle: Lifecycle, log: Logger): Promise<number> {
  const database = await connectDatabase(config, lifecycle, log);
  const repository = new DevicesRepository(database.db);
  const registry = new Map((await repository.registry()).map((entry) => [entry.id, entry]));
  const rows = (await repository.list()).map((device) => {
    const entry = registry.get(device.id);
    return [
      device.id,
      device.kind,
      entry?.payloadFormat ?? '',
      entry?.mobile ? 'mobile' : 'fixed',
      entry?.retired ? 'retired' : 'in service',
      device.location.wardName ?? '—',
      device.location.usrn === null ? '—' : String(device.location.usrn),
      entry?.keys.map((key) => `${key.payloadFormat}:${key.key}`).join(' ') ?? '',
    ];
  });
  const table = [['ID', 'KIND', 'FORMAT', 'POSITION', 'STATUS', 'WARD', 'USRN', 'OTHER NAMES'], ...rows];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of table) console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
  console.log(`${rows.length} device${rows.length === 1 ? '' : 's'}.`);
  return 0;
}

async function setRetired(config: Config, lifecycle: Lifecycle, log: Logger, id: string, retire: boolean): Promise<number> {
  const database = await connectDatabase(config, lifecycle, log);
  const found = await new DevicesRepository(database.db).setRetired(id, retire ? new Date() : null);
  if (!found) {
    console.error(`No device has the id "${id}".`);
    return 1;
  }
  console.log(retire ? `Device ${id} is retired: its messages are refused (ingest.retired_device); its readings stay.` : `Device ${id} is back in service.`);
  return 0;
}
