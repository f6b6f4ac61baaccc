import type { Metric, MetricValues } from '../../core/metrics.js';
import { coordinateForName, metricForName, normaliseName, quantityOf } from '../../core/quantities.js';
import type { LonLat } from '../../core/reading.js';
import { isRecord, readMeasurement, readNumber } from './measurement.js';
import { toPosition } from './position.js';
import { fail, type Result } from './result.js';

/**
 * Reads an object of named values, as a LoRaWAN network server's payload formatter produces them
 * (TTS `decoded_payload`, ChirpStack `object`): Smartplace metrics by name and alias, units from a
 * name suffix or a `{ value, unit }` object, a GPS position, and a count period. Other fields
 * (battery, rssi…) are ignored.
 */

export interface DecodedObject {
  values: MetricValues;
  position?: LonLat;
  periodS?: number;
}

/** Objects a formatter may nest a GPS fix under. */
const POSITION_OBJECTS = new Set(['gps', 'location', 'position']);
const MAX_PERIOD_S = 86_400;

export function readDecodedObject(object: Record<string, unknown>, where: string): Result<DecodedObject> {
  const values = readValues(object, where);
  if (!values.ok) return values;
  const position = readObjectPosition(object, where);
  if (!position.ok) return position;
  const periodS = readPeriod(object, where);
  if (!periodS.ok) return periodS;
  return { ok: true, value: { values: values.value, position: position.value, periodS: periodS.value } };
}

function readValues(object: Record<string, unknown>, where: string): Result<MetricValues> {
  const values: MetricValues = {};
  const fieldOf = new Map<Metric, string>();
  for (const [field, raw] of Object.entries(object)) {
    const measurement = readMeasurement(raw);
    if (measurement.kind === 'absent') continue;
    if (measurement.kind === 'invalid') {
      if (metricForName(field) === undefined) continue;
      return fail('ingest.invalid_payload', `${where}.${field} is not a number.`);
    }
    const quantity = quantityOf(field, measurement.value, measurement.unit);
    if (!quantity) continue;
    if (!quantity.ok) return fail('ingest.unknown_unit', `${where}.${field}: ${quantity.detail}.`);
    const earlier = fieldOf.get(quantity.metric);
    if (earlier !== undefined) return fail('ingest.invalid_payload', `${where}.${earlier} and ${where}.${field} both give ${quantity.metric}.`);
    fieldOf.set(quantity.metric, field);
    values[quantity.metric] = quantity.value;
  }
  return { ok: true, value: values };
}

/** Latitude and longitude fields in the object itself, else in a `gps`, `location` or `position` object. */
function readObjectPosition(object: Record<string, unknown>, where: string): Result<LonLat | undefined> {
  const own = readCoordinates(object, where);
  if (!own.ok || own.value !== undefined) return own;
  for (const [field, nested] of Object.entries(object)) {
    if (!POSITION_OBJECTS.has(normaliseName(field)) || !isRecord(nested)) continue;
    const found = readCoordinates(nested, `${where}.${field}`);
    if (!found.ok || found.value !== undefined) return found;
  }
  return { ok: true, value: undefined };
}

function readCoordinates(object: Record<string, unknown>, where: string): Result<LonLat | undefined> {
  const found: { lat?: [string, unknown]; lon?: [string, unknown] } = {};
  for (const [field, raw] of Object.entries(object)) {
    const axis = coordinateForName(field);
    if (axis && raw !== null && raw !== undefined) found[axis] = [field, raw];
  }
  if (!found.lat && !found.lon) return { ok: true, value: undefined };
  if (!found.lat || !found.lon) {
    const [field] = (found.lat ?? found.lon) as [string, unknown];
    return fail('ingest.invalid_payload', `${where}.${field} is given without the other coordinate.`);
  }
  const lat = readNumber(found.lat[1]);
  const lon = readNumber(found.lon[1]);
  if (lat === undefined) return fail('ingest.invalid_payload', `${where}.${found.lat[0]} is not a number.`);
  if (lon === undefined) return fail('ingest.invalid_payload', `${where}.${found.lon[0]} is not a number.`);
  return toPosition(lat, lon, where);
}

/** `period_s` (or `periodS`): the seconds that traffic counts cover, as in the native payload. */
function readPeriod(object: Record<string, unknown>, where: string): Result<number | undefined> {
  for (const [field, raw] of Object.entries(object)) {
    if (normaliseName(field) !== 'period_s' || raw === null || raw === undefined) continue;
    const period = readNumber(raw);
    if (period === undefined || !Number.isInteger(period) || period < 1 || period > MAX_PERIOD_S) {
      return fail('ingest.invalid_payload', `${where}.${field} must be a whole number of seconds from 1 to ${MAX_PERIOD_S}.`);
    }
    return { ok: true, value: period };
  }
  return { ok: true, value: undefined };
}
