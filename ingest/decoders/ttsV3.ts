import { z } from 'zod';
import type { LonLat } from '../../core/reading.js';
import { readDecodedObject } from './decodedObject.js';
import { IsoTimeSchema } from './isoTime.js';
import { parseJson } from './json.js';
import { toPosition } from './position.js';
import { decoded, fail, reading, rejected, topicKeyOf, zodDetail, type Result } from './result.js';
import type { Decoder } from './types.js';

/**
 * The Things Stack v3 uplink message (topic `v3/{application}@{tenant}/devices/{device}/up`). The
 * device's values are in `uplink_message.decoded_payload`, as the device's payload formatter wrote
 * them. TTS leaves out empty fields, zeros included, so a missing latitude or longitude is 0.
 */

const LocationSchema = z.object({ latitude: z.number().optional(), longitude: z.number().optional() });

const TtsUplinkSchema = z.object({
  end_device_ids: z.object({ device_id: z.string().min(1) }),
  received_at: IsoTimeSchema.optional(),
  uplink_message: z.object({
    received_at: IsoTimeSchema.optional(),
    decoded_payload: z.record(z.string(), z.unknown()).optional(),
    locations: z.record(z.string(), LocationSchema).optional(),
  }),
});

type Locations = Record<string, z.infer<typeof LocationSchema>>;

function locationPosition(locations: Locations, source: string): Result<LonLat | undefined> {
  const location = locations[source];
  if (!location || (location.latitude === undefined && location.longitude === undefined)) return { ok: true, value: undefined };
  return toPosition(location.latitude ?? 0, location.longitude ?? 0, `uplink_message.locations.${source}`);
}

/**
 * The device's own fix first: the `frm-payload` location (TTS's reading of the decoded payload),
 * else lat/lon in the decoded payload, else any other location (`user`, set by hand in the console).
 */
function uplinkPosition(locations: Locations, decodedPosition: LonLat | undefined): Result<LonLat | undefined> {
  const others = Object.keys(locations)
    .filter((source) => source !== 'frm-payload')
    .sort();
  const candidates: (() => Result<LonLat | undefined>)[] = [
    () => locationPosition(locations, 'frm-payload'),
    () => ({ ok: true, value: decodedPosition }),
    ...others.map((source) => () => locationPosition(locations, source)),
  ];
  for (const candidate of candidates) {
    const position = candidate();
    if (!position.ok || position.value) return position;
  }
  return { ok: true, value: undefined };
}

export const decodeTtsV3: Decoder = (input) => {
  const topicKey = topicKeyOf(input);
  const json = parseJson(input.payload);
  if (!json.ok) return rejected(json, topicKey);
  const parsed = TtsUplinkSchema.safeParse(json.value);
  if (!parsed.success) return rejected(fail('ingest.invalid_payload', zodDetail(parsed.error)), topicKey);
  const { end_device_ids: ids, uplink_message: uplink } = parsed.data;
  if (topicKey !== undefined && topicKey !== ids.device_id) {
    return rejected(fail('ingest.device_mismatch', `The topic names device "${topicKey}" but end_device_ids.device_id is "${ids.device_id}".`), topicKey);
  }
  const deviceKey = ids.device_id;
  if (!uplink.decoded_payload) {
    return rejected(fail('ingest.no_values', 'uplink_message has no decoded_payload: the device needs a payload formatter in The Things Stack.'), deviceKey);
  }
  const object = readDecodedObject(uplink.decoded_payload, 'uplink_message.decoded_payload');
  if (!object.ok) return rejected(object, deviceKey);
  const { values, position: decodedPosition, periodS } = object.value;
  if (Object.keys(values).length === 0) {
    return rejected(fail('ingest.no_values', 'uplink_message.decoded_payload holds no value of a Smartplace metric.'), deviceKey);
  }
  const position = uplinkPosition(uplink.locations ?? {}, decodedPosition);
  if (!position.ok) return rejected(position, deviceKey);
  const time = uplink.received_at ?? parsed.data.received_at;
  return decoded(deviceKey, [reading({ time, values, periodS, position: position.value })]);
};
