import { z } from 'zod';
import type { Metric, MetricValues } from '../../core/metrics.js';
import { coordinateForName, quantityOf } from '../../core/quantities.js';
import { isoFromEpochMs } from './isoTime.js';
import { parseJson } from './json.js';
import { isRecord } from './measurement.js';
import { toPosition } from './position.js';
import { decoded, fail, reading, rejected, topicKeyOf, zodDetail, type Failure, type Result } from './result.js';
import type { DecodedReading, Decoder } from './types.js';

/**
 * SenML (RFC 8428) JSON: a pack of records. The base name `bn` names the device and each record's
 * `n` the metric (`[{"bn":"urn:dev:ow:10e2073a01080063:","n":"temperature","u":"Cel","v":9.5}]`).
 * Records at the same time make one reading, in the order their times first appear.
 *
 * Times follow RFC 8428 §4.5.3: the time is `bt` + `t` seconds; below 2**28 it is relative to now
 * (0 is now, negative is the past). A record with neither `bt` nor `t` is at now too, and its
 * reading carries no time so that the pipeline uses the receive time, which is what "now" means.
 * Only numeric values (`v`, plus `bv`) are read; `vs`, `vb`, `vd` and sums are ignored.
 */

/** The SenML version this decoder understands (RFC 8428). */
const SENML_VERSION = 10;
const RELATIVE_TIME_LIMIT_S = 2 ** 28;

const SenmlRecordSchema = z.object({
  bn: z.string().optional(),
  bt: z.number().optional(),
  bu: z.string().optional(),
  bv: z.number().optional(),
  bver: z.number().int().optional(),
  n: z.string().optional(),
  u: z.string().optional(),
  v: z.number().optional(),
  vs: z.string().optional(),
  vb: z.boolean().optional(),
  vd: z.string().optional(),
  s: z.number().optional(),
  t: z.number().optional(),
  ut: z.number().optional(),
});

const SenmlPackSchema = z.array(SenmlRecordSchema).min(1, 'a SenML pack holds at least one record');

type SenmlRecord = z.infer<typeof SenmlRecordSchema>;

interface Base {
  bt?: number;
  bu?: string;
  bv?: number;
}

/** The records that share one time. */
interface Group {
  timed: boolean;
  epochMs: number;
  values: MetricValues;
  lat?: number;
  lon?: number;
}

/** `urn:dev:ow:10e2073a01080063:` → `urn:dev:ow:10e2073a01080063`. */
export function deviceKeyOfBaseName(bn: string): string | undefined {
  const key = bn.replace(/[:/]$/, '');
  return key === '' ? undefined : key;
}

/** RFC 8428 §4.4: a field whose name ends in `_` must be understood, and this decoder knows none. */
function mustUnderstandField(json: unknown): string | undefined {
  if (!Array.isArray(json)) return undefined;
  for (const record of json) {
    if (!isRecord(record)) continue;
    const field = Object.keys(record).find((key) => key.endsWith('_'));
    if (field) return field;
  }
  return undefined;
}

function epochMsOf(seconds: number, now: Date): number {
  return seconds < RELATIVE_TIME_LIMIT_S ? now.getTime() + seconds * 1000 : seconds * 1000;
}

function coordinateOf(record: SenmlRecord): 'lat' | 'lon' | undefined {
  if (record.u === 'lat' || record.u === 'lon') return record.u;
  return coordinateForName(record.n ?? '');
}

/** Reads the pack's base name: the device, which may not change within the pack. */
function readDeviceKey(records: SenmlRecord[]): Result<string | undefined> {
  let deviceKey: string | undefined;
  for (const [index, record] of records.entries()) {
    if (record.bn === undefined) continue;
    const key = deviceKeyOfBaseName(record.bn);
    if (deviceKey !== undefined && key !== deviceKey) {
      return fail('ingest.invalid_payload', `records[${index}].bn names "${key ?? ''}" after "${deviceKey}": a message holds one device's readings.`);
    }
    deviceKey = key;
  }
  return { ok: true, value: deviceKey };
}

function readGroups(records: SenmlRecord[], now: Date): Result<Group[]> {
  const base: Base = {};
  const groups = new Map<number, Group>();
  for (const [index, record] of records.entries()) {
    if (record.bt !== undefined) base.bt = record.bt;
    if (record.bu !== undefined) base.bu = record.bu;
    if (record.bv !== undefined) base.bv = record.bv;
    if (record.bver !== undefined && record.bver > SENML_VERSION) {
      return fail('ingest.invalid_payload', `records[${index}].bver is ${record.bver}; SenML version ${SENML_VERSION} is understood.`);
    }
    if (record.v === undefined) continue;
    const value = (base.bv ?? 0) + record.v;
    const timed = base.bt !== undefined || record.t !== undefined;
    const epochMs = epochMsOf((base.bt ?? 0) + (record.t ?? 0), now);
    const group = groups.get(epochMs) ?? { timed, epochMs, values: {} };
    groups.set(epochMs, group);
    group.timed ||= timed;
    const added = addToGroup(group, record, value, `records[${index}]`, base.bu);
    if (added) return added;
  }
  return { ok: true, value: [...groups.values()] };
}

/** Adds one record's value to its group; a failure if it cannot be. */
function addToGroup(group: Group, record: SenmlRecord, value: number, where: string, baseUnit: string | undefined): Failure | undefined {
  const coordinate = coordinateOf(record);
  if (coordinate) {
    group[coordinate] = value;
    return undefined;
  }
  const quantity = quantityOf(record.n ?? '', value, record.u ?? baseUnit);
  if (!quantity) return undefined;
  if (!quantity.ok) return fail('ingest.unknown_unit', `${where} (${record.n ?? ''}): ${quantity.detail}.`);
  const metric: Metric = quantity.metric;
  if (group.values[metric] !== undefined) return fail('ingest.invalid_payload', `${where} gives ${metric} a second time for the same time.`);
  group.values[metric] = quantity.value;
  return undefined;
}

function toReading(group: Group): Result<DecodedReading> {
  let time: string | undefined;
  if (group.timed) {
    time = isoFromEpochMs(group.epochMs);
    if (time === undefined) return fail('ingest.invalid_payload', 'A record time is out of range.');
  }
  if (group.lat === undefined && group.lon === undefined) return { ok: true, value: reading({ time, values: group.values }) };
  if (group.lat === undefined || group.lon === undefined) return fail('ingest.invalid_payload', 'A record gives a latitude or longitude without the other.');
  const position = toPosition(group.lat, group.lon, 'the pack');
  if (!position.ok) return position;
  return { ok: true, value: reading({ time, values: group.values, position: position.value }) };
}

export const decodeSenml: Decoder = (input, context) => {
  const topicKey = topicKeyOf(input);
  const json = parseJson(input.payload);
  if (!json.ok) return rejected(json, topicKey);
  const mustUnderstand = mustUnderstandField(json.value);
  if (mustUnderstand) return rejected(fail('ingest.invalid_payload', `The pack uses "${mustUnderstand}", a must-understand field this decoder does not know.`), topicKey);
  const parsed = SenmlPackSchema.safeParse(json.value);
  if (!parsed.success) return rejected(fail('ingest.invalid_payload', zodDetail(parsed.error, 'records')), topicKey);
  const baseName = readDeviceKey(parsed.data);
  if (!baseName.ok) return rejected(baseName, topicKey);
  if (baseName.value !== undefined && topicKey !== undefined && baseName.value !== topicKey) {
    return rejected(fail('ingest.device_mismatch', `The topic names device "${topicKey}" but the base name is "${baseName.value}".`), topicKey);
  }
  const deviceKey = baseName.value ?? topicKey;
  if (deviceKey === undefined) return fail('ingest.invalid_payload', 'The pack has no base name (bn) and the topic names no device.');
  const groups = readGroups(parsed.data, context.now);
  if (!groups.ok) return rejected(groups, deviceKey);
  const readings: DecodedReading[] = [];
  for (const group of groups.value) {
    if (Object.keys(group.values).length === 0) continue;
    const one = toReading(group);
    if (!one.ok) return rejected(one, deviceKey);
    readings.push(one.value);
  }
  if (readings.length === 0) return rejected(fail('ingest.no_values', 'No record holds a numeric value of a Smartplace metric.'), deviceKey);
  return decoded(deviceKey, readings);
};
