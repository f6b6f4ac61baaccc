import { findRangeProblem } from '../core/metrics.js';
import type { Rejection } from '../core/rejections.js';
import type { DecodedReading } from './decoders/types.js';

/**
 * The checks every format shares once a message is decoded: values within their metric's physical
 * range (core/metrics.ts), and times neither ahead of the clock by more than the allowed skew nor
 * older than the backfill window. A reading without a time takes the receive time. Pure.
 */

export interface ReadingLimits {
  maxFutureSkewMs: number;
  backfillWindowMs: number;
}

export interface CheckedReading extends DecodedReading {
  time: string;
}

export type CheckResult = { ok: true; readings: CheckedReading[] } | ({ ok: false } & Rejection);

export function checkReadings(readings: readonly DecodedReading[], receivedAt: Date, limits: ReadingLimits): CheckResult {
  const checked: CheckedReading[] = [];
  for (const [index, reading] of readings.entries()) {
    const where = readings.length > 1 ? `readings[${index}]` : 'reading';
    const problem = findRangeProblem(reading.values);
    if (problem) {
      const expected = `${problem.min}–${problem.max}${problem.integer ? ', whole numbers' : ''}`;
      return { ok: false, reason: 'ingest.out_of_range', detail: `${where}: ${problem.metric} = ${problem.value} is outside ${expected}` };
    }
    const time = reading.time ?? receivedAt.toISOString();
    const ms = Date.parse(time);
    if (ms - receivedAt.getTime() > limits.maxFutureSkewMs) {
      return { ok: false, reason: 'ingest.time_in_future', detail: `${where}: time ${time} is ahead of the server clock (${receivedAt.toISOString()})` };
    }
    if (receivedAt.getTime() - ms > limits.backfillWindowMs) {
      return { ok: false, reason: 'ingest.too_old', detail: `${where}: time ${time} is older than the backfill window` };
    }
    checked.push({ ...reading, time });
  }
  return { ok: true, readings: checked };
}
