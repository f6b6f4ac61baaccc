import { z } from 'zod';
import { readDecodedObject } from './decodedObject.js';
import { IsoTimeSchema } from './isoTime.js';
import { parseJson } from './json.js';
import { decoded, fail, reading, rejected, topicKeyOf, zodDetail } from './result.js';
import type { Decoder } from './types.js';

/**
 * The ChirpStack v4 uplink event (topic `application/{applicationId}/device/{devEui}/event/up`, JSON
 * marshaler). The device's values are in `object`, which ChirpStack sets only when the device
 * profile has a codec. The device is named by its DevEUI, in lower-case hex.
 */

const ChirpstackUpSchema = z.object({
  time: IsoTimeSchema.optional(),
  deviceInfo: z.object({ devEui: z.string().regex(/^[0-9a-fA-F]{16}$/, 'a DevEUI is 16 hex digits') }),
  object: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const decodeChirpstackV4: Decoder = (input) => {
  const topicKey = topicKeyOf(input)?.toLowerCase();
  const json = parseJson(input.payload);
  if (!json.ok) return rejected(json, topicKey);
  const parsed = ChirpstackUpSchema.safeParse(json.value);
  if (!parsed.success) return rejected(fail('ingest.invalid_payload', zodDetail(parsed.error)), topicKey);
  const deviceKey = parsed.data.deviceInfo.devEui.toLowerCase();
  if (topicKey !== undefined && topicKey !== deviceKey) {
    return rejected(fail('ingest.device_mismatch', `The topic names device "${topicKey}" but deviceInfo.devEui is "${deviceKey}".`), topicKey);
  }
  if (!parsed.data.object) {
    return rejected(fail('ingest.no_values', 'The event has no object: the device profile needs a codec in ChirpStack.'), deviceKey);
  }
  const object = readDecodedObject(parsed.data.object, 'object');
  if (!object.ok) return rejected(object, deviceKey);
  const { values, position, periodS } = object.value;
  if (Object.keys(values).length === 0) return rejected(fail('ingest.no_values', 'object holds no value of a Smartplace metric.'), deviceKey);
  return decoded(deviceKey, [reading({ time: parsed.data.time, values, periodS, position })]);
};
