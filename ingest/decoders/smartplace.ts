import { NativePayloadSchema } from '../../core/reading.js';
import { parseJson } from './json.js';
import { decoded, fail, reading, rejected, topicKeyOf, zodDetail } from './result.js';
import type { Decoder } from './types.js';

/**
 * The native Smartplace payload (docs/payloads.md, `NativePayloadSchema`): one reading or a batch,
 * for the device the topic names. The schema is strict: unknown metrics and fields are refused,
 * not ignored. Ranges and times are checked by the pipeline, not here.
 */
export const decodeSmartplace: Decoder = (input) => {
  const deviceKey = topicKeyOf(input);
  if (deviceKey === undefined) {
    return fail('ingest.invalid_payload', 'The topic names no device, and the native payload does not name one.');
  }
  const json = parseJson(input.payload);
  if (!json.ok) return rejected(json, deviceKey);
  const parsed = NativePayloadSchema.safeParse(json.value);
  if (!parsed.success) return rejected(fail('ingest.invalid_payload', zodDetail(parsed.error)), deviceKey);
  const items = 'readings' in parsed.data ? parsed.data.readings : [parsed.data];
  return decoded(
    deviceKey,
    items.map((item) =>
      reading({ time: new Date(item.time).toISOString(), values: item.values, periodS: item.period_s, position: item.position }),
    ),
  );
};
