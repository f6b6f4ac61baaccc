import { z } from 'zod';
import { NativePayloadSchema, findRangeProblem, type Reading } from '../core/reading.js';
import type { Rejection } from '../core/rejections.js';

/**
 * Decodes the native Smartplace payload (docs/payloads.md). A pure function of its inputs: no I/O,
 * no clock (the caller passes `now`).
 */

export interface DecodeLimits {
  maxPayloadBytes: number;
  maxFutureSkewMs: number;
  backfillWindowMs: number;
}

export type DecodeResult = { ok: true; readings: Reading[] } | ({ ok: false } & Rejection);

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeNative(deviceId: string, payload: Uint8Array, now: Date, limits: DecodeLimits): DecodeResult {
  if (payload.byteLength > limits.maxPayloadBytes) {
    return {
      ok: false,
      reason: 'ingest.payload_too_large',
      detail: `payload is ${payload.byteLength} bytes; the limit is ${limits.maxPayloadBytes}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(payload));
  } catch (error) {
    return { ok: false, reason: 'ingest.invalid_json', detail: `not valid UTF-8 JSON: ${(error as Error).message}` };
  }
  const parsed = NativePayloadSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: 'ingest.invalid_payload', detail: z.prettifyError(parsed.error).replace(/\s*\n\s*/g, ' ') };
  }
  const items = 'readings' in parsed.data ? parsed.data.readings : [parsed.data];
  const readings: Reading[] = [];
  for (const [index, item] of items.entries()) {
    const where = items.length > 1 ? `readings[${index}]` : 'reading';
    const problem = findRangeProblem(item.values);
    if (problem) {
      const expected = `${problem.min}–${problem.max}${problem.integer ? ', whole numbers' : ''}`;
      return { ok: false, reason: 'ingest.out_of_range', detail: `${where}: ${problem.metric} = ${problem.value} is outside ${expected}` };
    }
    const time = Date.parse(item.time);
    if (time - now.getTime() > limits.maxFutureSkewMs) {
      return { ok: false, reason: 'ingest.time_in_future', detail: `${where}: time ${item.time} is ahead of the server clock (${now.toISOString()})` };
    }
    if (now.getTime() - time > limits.backfillWindowMs) {
      return { ok: false, reason: 'ingest.too_old', detail: `${where}: time ${item.time} is older than the backfill window` };
    }
    readings.push({
      deviceId,
      time: new Date(time).toISOString(),
      values: item.values,
      ...(item.period_s === undefined ? {} : { periodS: item.period_s }),
      ...(item.position === undefined ? {} : { position: item.position }),
    });
  }
  return { ok: true, readings };
}
