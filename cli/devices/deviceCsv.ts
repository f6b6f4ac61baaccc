import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { DEVICE_KINDS, PAYLOAD_FORMATS, type Device, type PayloadFormat } from '../../core/device.js';
import { DeviceIdSchema } from '../../core/ids.js';
import { METRICS } from '../../core/metrics.js';
import type { DeviceKey, DeviceRegistration } from '../../db/devicesRepository.js';

/**
 * The council's device register as a CSV (docs/devices.md), one device per row:
 *
 *   id,name,kind,lon,lat,expected_interval_s,payload_format,mobile,keys
 *   aq-101,Talbot Road monitor,air_quality,-2.2871,53.4601,900,chirpstack-v4,false,chirpstack-v4:0004a30b001c0530
 *
 * `keys` lists the other names the device goes by, separated by spaces or semicolons, each
 * `format:name`; a SensorThings Datastream also says what it measures: `sensorthings:17=no2@ppb`.
 * Parsing is pure: the text in, every problem (with its line) or the devices out.
 */

export interface DeviceRow extends Device, DeviceRegistration {
  keys: DeviceKey[];
}

export type DeviceCsvResult = { ok: true; devices: DeviceRow[] } | { ok: false; problems: string[] };

const COLUMNS = ['id', 'name', 'kind', 'lon', 'lat', 'expected_interval_s', 'payload_format', 'mobile', 'keys'] as const;
const REQUIRED = ['id', 'name', 'kind', 'lon', 'lat', 'expected_interval_s'] as const;

const number = (min: number, max: number) => z.coerce.number().min(min).max(max);

const RowSchema = z.object({
  id: DeviceIdSchema,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(DEVICE_KINDS),
  lon: number(-180, 180),
  lat: number(-90, 90),
  expected_interval_s: z.coerce.number().int().positive().max(86_400 * 7),
  payload_format: z
    .union([z.enum(PAYLOAD_FORMATS), z.literal('')], { error: `expected one of ${PAYLOAD_FORMATS.join(', ')}` })
    .optional()
    .transform((value): PayloadFormat => value || 'smartplace'),
  mobile: z.preprocess(
    (value) => (typeof value === 'string' ? value.toLowerCase() : value),
    z
      .enum(['true', 'false', 'yes', 'no', ''], { error: 'expected true or false' })
      .optional()
      .transform((value) => value === 'true' || value === 'yes'),
  ),
  keys: z.string().optional(),
});

const KEY_PATTERN = /^([a-z0-9-]+):([^=\s;]+?)(?:=([a-z0-9_]+)@(\S+))?$/;

function parseKeys(text: string): { keys: DeviceKey[]; problem?: string } {
  const keys: DeviceKey[] = [];
  for (const item of text.split(/[\s;]+/).filter((part) => part.length > 0)) {
    const match = KEY_PATTERN.exec(item);
    if (!match) return { keys, problem: `keys: "${item}" is not format:name (or sensorthings:id=metric@unit)` };
    const [, format, key, metric, unit] = match as unknown as [string, string, string, string | undefined, string | undefined];
    if (!(PAYLOAD_FORMATS as readonly string[]).includes(format)) {
      return { keys, problem: `keys: "${format}" is not a payload format (${PAYLOAD_FORMATS.join(', ')})` };
    }
    if ((format === 'sensorthings') !== (metric !== undefined)) {
      return { keys, problem: `keys: "${item}": a SensorThings Datastream, and only that, says what it measures (sensorthings:17=no2@ppb)` };
    }
    if (metric !== undefined && !(METRICS as readonly string[]).includes(metric)) {
      return { keys, problem: `keys: "${metric}" is not a metric (${METRICS.join(', ')})` };
    }
    keys.push({
      payloadFormat: format as PayloadFormat,
      key,
      ...(metric === undefined ? {} : { metric: metric as DeviceKey['metric'] & string }),
      ...(unit === undefined ? {} : { unit }),
    });
  }
  return { keys };
}

export function parseDeviceCsv(text: string): DeviceCsvResult {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
    }) as Record<string, string>[];
  } catch (error) {
    return { ok: false, problems: [`not a readable CSV: ${(error as Error).message}`] };
  }
  const header = Object.keys(records[0] ?? {});
  const missing = REQUIRED.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !(COLUMNS as readonly string[]).includes(column));
  if (records.length === 0) return { ok: false, problems: ['the file holds no devices'] };
  if (missing.length > 0 || unknown.length > 0) {
    return {
      ok: false,
      problems: [
        ...(missing.length > 0 ? [`the header lacks ${missing.join(', ')}`] : []),
        ...(unknown.length > 0 ? [`the header has unknown columns ${unknown.join(', ')} (columns: ${COLUMNS.join(', ')})`] : []),
      ],
    };
  }
  const problems: string[] = [];
  const devices: DeviceRow[] = [];
  const seen = new Map<string, number>();
  const keyLines = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const line = index + 2; // the header is line 1
    const parsed = RowSchema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`line ${line}: ${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const row = parsed.data;
    const { keys, problem } = parseKeys(row.keys ?? '');
    if (problem) problems.push(`line ${line}: ${problem}`);
    if (seen.has(row.id)) problems.push(`line ${line}: device "${row.id}" is already on line ${seen.get(row.id)}`);
    seen.set(row.id, line);
    for (const key of keys) {
      const name = `${key.payloadFormat}:${key.key}`;
      if (keyLines.has(name)) problems.push(`line ${line}: ${name} is already given to the device on line ${keyLines.get(name)}`);
      keyLines.set(name, line);
    }
    devices.push({
      id: row.id,
      name: row.name,
      kind: row.kind,
      lon: row.lon,
      lat: row.lat,
      expectedIntervalS: row.expected_interval_s,
      payloadFormat: row.payload_format,
      mobile: row.mobile,
      keys,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, devices };
}
