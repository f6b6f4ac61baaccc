import { z } from 'zod';
import type { Metric, MetricValues } from '../../core/metrics.js';
import type { LonLat } from '../../core/reading.js';
import { IsoTimeSchema } from './isoTime.js';
import { parseJson } from './json.js';
import { readNumber } from './measurement.js';
import { toPosition } from './position.js';
import { decoded, fail, reading, rejected, topicKeyOf, zodDetail, type Result } from './result.js';
import type { Decoder } from './types.js';

/**
 * Sensor.Community (formerly Luftdaten) JSON: a reading as the archive API serves it (`sensor.id`,
 * `timestamp`, `location`) or as the airRohr firmware pushes it (value types prefixed with the
 * sensor: `SDS_P1`, `BME280_temperature`). Values are strings, already in µg/m³, °C and %.
 */

const TextOrNumber = z.union([z.string(), z.number()]);

const SensorCommunitySchema = z.object({
  sensor: z.object({ id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'a sensor id is a whole number')]) }).optional(),
  timestamp: z.string().optional(),
  location: z.object({ latitude: TextOrNumber.nullable().optional(), longitude: TextOrNumber.nullable().optional() }).optional(),
  sensordatavalues: z.array(z.object({ value_type: z.string(), value: TextOrNumber.nullable() })),
});

type SensorCommunityMessage = z.infer<typeof SensorCommunitySchema>;

/** P1 and P2 are PM10 and PM2.5; pressure, P0 (PM1), samples, signal… are not stored. */
const VALUE_TYPES: ReadonlyMap<string, Metric> = new Map([
  ['P1', 'pm10'],
  ['P2', 'pm25'],
  ['temperature', 'temperature'],
  ['humidity', 'humidity'],
]);

/** `SDS_P1` → pm10, `BME280_temperature` → temperature, `P2` → pm25. */
function metricOfValueType(valueType: string): Metric | undefined {
  return VALUE_TYPES.get(valueType.slice(valueType.lastIndexOf('_') + 1));
}

/**
 * The values by metric. A station with two sensors measuring the same thing (a DHT22 and a BME280
 * both give temperature) sends both; the first one listed is kept.
 */
function readValues(items: SensorCommunityMessage['sensordatavalues']): Result<MetricValues> {
  const values: MetricValues = {};
  for (const [index, item] of items.entries()) {
    const metric = metricOfValueType(item.value_type);
    if (!metric || item.value === null || values[metric] !== undefined) continue;
    const value = readNumber(item.value);
    if (value === undefined) return fail('ingest.invalid_payload', `sensordatavalues[${index}] (${item.value_type}) has value "${item.value}", which is not a number.`);
    values[metric] = value;
  }
  return { ok: true, value: values };
}

/** `2026-11-21 10:14:37` is UTC; an ISO 8601 time with a zone is accepted too. */
function readTimestamp(timestamp: string | undefined): Result<string | undefined> {
  if (timestamp === undefined) return { ok: true, value: undefined };
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(timestamp) ? `${timestamp.replace(' ', 'T')}Z` : timestamp;
  const parsed = IsoTimeSchema.safeParse(iso);
  if (!parsed.success) return fail('ingest.invalid_payload', `timestamp "${timestamp}" is not a UTC time like 2026-11-21 10:14:37.`);
  return { ok: true, value: parsed.data };
}

function readLocation(location: SensorCommunityMessage['location']): Result<LonLat | undefined> {
  const blank = (raw: string | number | null | undefined) => raw === undefined || raw === null || raw === '';
  if (!location || (blank(location.latitude) && blank(location.longitude))) return { ok: true, value: undefined };
  const lat = readNumber(location.latitude);
  const lon = readNumber(location.longitude);
  if (lat === undefined || lon === undefined) return fail('ingest.invalid_payload', 'location.latitude and location.longitude must both be numbers.');
  return toPosition(lat, lon, 'location');
}

export const decodeSensorCommunity: Decoder = (input) => {
  const topicKey = topicKeyOf(input);
  const json = parseJson(input.payload);
  if (!json.ok) return rejected(json, topicKey);
  const parsed = SensorCommunitySchema.safeParse(json.value);
  if (!parsed.success) return rejected(fail('ingest.invalid_payload', zodDetail(parsed.error)), topicKey);
  const sensorId = parsed.data.sensor === undefined ? undefined : String(parsed.data.sensor.id);
  if (sensorId !== undefined && topicKey !== undefined && sensorId !== topicKey) {
    return rejected(fail('ingest.device_mismatch', `The topic names device "${topicKey}" but sensor.id is ${sensorId}.`), topicKey);
  }
  const deviceKey = sensorId ?? topicKey;
  if (deviceKey === undefined) return fail('ingest.invalid_payload', 'The message has no sensor.id and the topic names no device.');
  const values = readValues(parsed.data.sensordatavalues);
  if (!values.ok) return rejected(values, deviceKey);
  if (Object.keys(values.value).length === 0) {
    return rejected(fail('ingest.no_values', 'sensordatavalues holds no P1, P2, temperature or humidity value.'), deviceKey);
  }
  const time = readTimestamp(parsed.data.timestamp);
  if (!time.ok) return rejected(time, deviceKey);
  const position = readLocation(parsed.data.location);
  if (!position.ok) return rejected(position, deviceKey);
  return decoded(deviceKey, [reading({ time: time.value, values: values.value, position: position.value })]);
};
