import { z } from 'zod';
import { toSmartplaceUnit } from '../../core/quantities.js';
import type { LonLat } from '../../core/reading.js';
import { IsoTimeSchema } from './isoTime.js';
import { parseJson } from './json.js';
import { readNumber } from './measurement.js';
import { toPosition } from './position.js';
import { decoded, fail, reading, rejected, topicKeyOf, zodDetail, type Result } from './result.js';
import type { Decoder } from './types.js';

/**
 * An OGC SensorThings API Observation published over MQTT to `v1.1/Datastreams(ID)/Observations`.
 * The Observation carries only a time and a result; what the Datastream measures, and in which
 * unit, comes from the device registry (`context.datastream`).
 */

const TOPIC = /(?:^|\/)v1\.[01]\/Datastreams\(([^/]+)\)\/Observations$/;

const PointSchema = z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]).rest(z.number()) });

const ObservationSchema = z.object({
  phenomenonTime: z.string().optional(),
  resultTime: IsoTimeSchema.nullable().optional(),
  result: z.union([z.number(), z.string()]),
  FeatureOfInterest: z.object({ feature: z.unknown() }).optional(),
});

/** An OData key: `42`, or a quoted string `'aq-101'` in which `''` is a quote. */
export function datastreamIdOf(key: string): string {
  const quoted = /^'(.*)'$/.exec(key);
  return quoted?.[1] === undefined ? key : quoted[1].replaceAll("''", "'");
}

/** The Datastream the topic names: parsed from the standard topic, else the topic pattern's key. */
function datastreamOfTopic(topic: string, topicKey: string | undefined): string | undefined {
  const key = TOPIC.exec(topic)?.[1] ?? topicKey;
  if (key === undefined) return undefined;
  const id = datastreamIdOf(key);
  return id === '' ? undefined : id;
}

/** When the result was observed: `phenomenonTime` (an instant, or the end of an interval `start/end`), else `resultTime`. */
function observationTime(observation: z.infer<typeof ObservationSchema>): Result<string | undefined> {
  const { phenomenonTime, resultTime } = observation;
  if (phenomenonTime === undefined) return { ok: true, value: resultTime ?? undefined };
  const parsed = IsoTimeSchema.safeParse(phenomenonTime.split('/').at(-1));
  if (!parsed.success) return fail('ingest.invalid_payload', `phenomenonTime "${phenomenonTime}" is not an ISO 8601 instant or interval.`);
  return { ok: true, value: parsed.data };
}

/** A GeoJSON Point feature of interest: where a mobile sensor took the Observation. */
function featurePosition(feature: unknown): Result<LonLat | undefined> {
  const point = PointSchema.safeParse(feature);
  if (!point.success) return { ok: true, value: undefined };
  const [lon, lat] = point.data.coordinates;
  return toPosition(lat, lon, 'FeatureOfInterest.feature');
}

export const decodeSensorThings: Decoder = (input, context) => {
  const id = datastreamOfTopic(input.topic, topicKeyOf(input));
  if (id === undefined) return fail('ingest.invalid_payload', 'The topic names no Datastream: publish to v1.1/Datastreams(ID)/Observations.');
  const datastream = context.datastream?.(id);
  if (!datastream) return rejected(fail('ingest.unknown_device', `Datastream ${id} is not registered to a device.`), id);
  const json = parseJson(input.payload);
  if (!json.ok) return rejected(json, id);
  const parsed = ObservationSchema.safeParse(json.value);
  if (!parsed.success) return rejected(fail('ingest.invalid_payload', zodDetail(parsed.error)), id);
  const observation = parsed.data;
  const result = readNumber(observation.result);
  if (result === undefined) return rejected(fail('ingest.invalid_payload', `result "${observation.result}" is not a number.`), id);
  const converted = toSmartplaceUnit(datastream.metric, result, datastream.unit);
  if (!converted.ok) return rejected(fail('ingest.unknown_unit', `Datastream ${id}: ${converted.detail}.`), id);
  const time = observationTime(observation);
  if (!time.ok) return rejected(time, id);
  const position = featurePosition(observation.FeatureOfInterest?.feature);
  if (!position.ok) return rejected(position, id);
  return decoded(id, [reading({ time: time.value, values: { [datastream.metric]: converted.value }, position: position.value })]);
};
