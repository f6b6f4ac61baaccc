import type { LonLat } from '../../core/reading.js';
import { fail, type Result } from './result.js';

/**
 * A WGS84 position from a latitude and a longitude. 0,0 is no position: GPS modules report it when
 * they have no fix, and The Things Stack leaves zero coordinates out of its messages.
 */
export function toPosition(lat: number, lon: number, where: string): Result<LonLat | undefined> {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) return fail('ingest.invalid_payload', `${where}: latitude ${lat} is outside -90 to 90.`);
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) return fail('ingest.invalid_payload', `${where}: longitude ${lon} is outside -180 to 180.`);
  return { ok: true, value: lat === 0 && lon === 0 ? undefined : { lon, lat } };
}
