import { METRICS, type Metric } from '../core/metrics.js';
import type { QualityFlagReason } from '../core/dataCapture.js';
import type { Queryable } from './pool.js';

/**
 * `quality_flags`: stretches of a device's metric found suspect (stuck, out of range), and the bits
 * in `readings.flags` that leave those values out of every aggregate (migration 0007).
 */

export interface StoredQualityFlag {
  deviceId: string;
  metric: Metric;
  reason: QualityFlagReason;
  /** ISO 8601 UTC; the stretch is [start, end). */
  start: string;
  end: string;
  value: number;
  readings: number;
}

/** The bit of a metric in readings.flags. */
export function flagBit(metric: Metric): number {
  const index = METRICS.indexOf(metric);
  if (index < 0) throw new RangeError(`unknown metric "${metric}"`);
  return 1 << index;
}

/** Values within this of a stuck run's value are the same value (floating-point means of equal readings). */
const SAME_VALUE = 1e-6;

export class QualityFlagsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Records a suspect stretch and flags its readings. A stretch that overlaps or touches one already
   * recorded for the same device, metric, reason and value extends it (a stuck sensor seen by two
   * scans is one stretch). Only readings of that value are flagged: a stuck run is a repeated value.
   */
  async record(flag: StoredQualityFlag): Promise<void> {
    const bit = flagBit(flag.metric);
    const column = flag.metric; // one of METRICS, checked by flagBit
    const flagged = await this.db.query(
      `UPDATE readings SET flags = flags | $5
       WHERE device_id = $1 AND time >= $2 AND time < $3 AND abs(${column} - $4) <= ${SAME_VALUE} AND flags & $5 = 0`,
      [flag.deviceId, flag.start, flag.end, flag.value, bit],
    );
    const merged = await this.db.query(
      `UPDATE quality_flags SET start_time = least(start_time, $4), end_time = greatest(end_time, $5), readings = readings + $7, detected_at = now()
       WHERE id = (SELECT id FROM quality_flags
                   WHERE device_id = $1 AND metric = $2 AND reason = $3 AND abs(value - $6) <= ${SAME_VALUE}
                     AND start_time <= $5 AND end_time >= $4
                   ORDER BY end_time DESC LIMIT 1)`,
      [flag.deviceId, flag.metric, flag.reason, flag.start, flag.end, flag.value, flagged.rowCount ?? 0],
    );
    if ((merged.rowCount ?? 0) > 0) return;
    await this.db.query(
      `INSERT INTO quality_flags (device_id, metric, reason, start_time, end_time, value, readings) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [flag.deviceId, flag.metric, flag.reason, flag.start, flag.end, flag.value, Math.max(1, flagged.rowCount ?? 0)],
    );
  }

  /** Stretches of these devices overlapping [from, to), newest first. */
  async list(deviceIds: readonly string[], from: Date, to: Date, limit = 1000): Promise<StoredQualityFlag[]> {
    const result = await this.db.query<{ device_id: string; metric: Metric; reason: QualityFlagReason; start_time: Date; end_time: Date; value: number; readings: number }>(
      `SELECT device_id, metric, reason, start_time, end_time, value, readings FROM quality_flags
       WHERE device_id = ANY($1::text[]) AND start_time < $3 AND end_time > $2
       ORDER BY end_time DESC, device_id, metric LIMIT $4`,
      [deviceIds, from, to, limit],
    );
    return result.rows.map((row) => ({
      deviceId: row.device_id,
      metric: row.metric,
      reason: row.reason,
      start: row.start_time.toISOString(),
      end: row.end_time.toISOString(),
      value: row.value,
      readings: row.readings,
    }));
  }

  /** Where the quality scan has got to; null before its first run. */
  async scannedTo(): Promise<Date | null> {
    const result = await this.db.query<{ scanned_to: Date }>('SELECT scanned_to FROM quality_scan_state');
    return result.rows[0]?.scanned_to ?? null;
  }

  async setScannedTo(at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO quality_scan_state (scanned_to) VALUES ($1) ON CONFLICT (singleton) DO UPDATE SET scanned_to = excluded.scanned_to`,
      [at],
    );
  }
}
