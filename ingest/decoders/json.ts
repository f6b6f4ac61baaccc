import { fail, type Result } from './result.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload as JSON; `ingest.invalid_json` if it is not UTF-8 or not JSON. */
export function parseJson(payload: Uint8Array): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(payload)) };
  } catch (error) {
    return fail('ingest.invalid_json', `not valid UTF-8 JSON: ${(error as Error).message}`);
  }
}
