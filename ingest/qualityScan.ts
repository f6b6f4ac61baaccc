import { findStuckRuns, isSuspectRun, STUCK_CHECKED_METRICS, STUCK_MIN_DURATION_S, type QualityFlag, type SeriesPoint } from '../core/dataCapture.js';
import { findRangeProblem, METRICS, type Metric } from '../core/metrics.js';
import type { LiveReading } from '../core/reading.js';
import { flagBit, type StoredQualityFlag } from '../db/qualityFlagsRepository.js';

/**
 * Finds suspect values in newly stored readings and flags them, so the continuous aggregates leave
 * them out (and count them): runs of the same value lasting 3 hours or more in a pollutant (a stuck
 * sensor; core/dataCapture.ts says which metrics and why, and why a run at 0 is not one), and
 * values outside a metric's physical range (ingest refuses those, so this catches readings written
 * by other means or before a range was tightened).
 *
 * Each scan reads from where the last one stopped, less the shortest stuck run (and an hour for
 * readings that arrive late), so a run that straddles two scans is seen whole enough to be flagged
 * and the two sightings merge into one stretch (QualityFlagsRepository.record). A scan never looks
 * back more than a day, so memory stays bounded after a long stop (older readings go unscanned).
 */

export interface QualityScanDeps {
  readings: { window(from: Date, to: Date): Promise<(LiveReading & { flags: number })[]> };
  flags: {
    record(flag: StoredQualityFlag): Promise<void>;
    scannedTo(): Promise<Date | null>;
    setScannedTo(at: Date): Promise<void>;
  };
  /** Each device's reporting interval, seconds. */
  intervals(): Promise<ReadonlyMap<string, number>>;
}

/** How far back a scan looks at most (the first one, or one after a long stop): memory stays bounded. */
const MAX_LOOK_BACK_MS = 24 * 3600_000;
const LATE_MARGIN_MS = 3600_000;

export interface QualityScanResult {
  from: Date;
  to: Date;
  readings: number;
  flags: StoredQualityFlag[];
}

export async function scanQuality(deps: QualityScanDeps, now: Date): Promise<QualityScanResult> {
  const scannedTo = await deps.flags.scannedTo();
  const earliest = now.getTime() - MAX_LOOK_BACK_MS;
  const from = new Date(Math.max(earliest, (scannedTo?.getTime() ?? earliest) - STUCK_MIN_DURATION_S * 1000 - LATE_MARGIN_MS));
  const readings = await deps.readings.window(from, now);
  const intervals = await deps.intervals();
  const flags: StoredQualityFlag[] = [];
  let start = 0;
  while (start < readings.length) {
    const deviceId = (readings[start] as LiveReading).deviceId;
    let end = start;
    while (end < readings.length && (readings[end] as LiveReading).deviceId === deviceId) end += 1;
    flags.push(...deviceFlags(deviceId, readings.slice(start, end), intervals.get(deviceId) ?? 60));
    start = end;
  }
  for (const flag of flags) await deps.flags.record(flag);
  await deps.flags.setScannedTo(now);
  return { from, to: now, readings: readings.length, flags };
}

/** One device's suspect stretches, per metric, from its readings in time order. */
export function deviceFlags(deviceId: string, readings: readonly (LiveReading & { flags: number })[], intervalS: number): StoredQualityFlag[] {
  const out: StoredQualityFlag[] = [];
  for (const metric of METRICS) {
    const points: SeriesPoint[] = [];
    for (const reading of readings) {
      const value = reading.values[metric];
      if (value === undefined) continue;
      if (findRangeProblem({ [metric]: value })) {
        if ((reading.flags & flagBit(metric)) === 0) {
          const end = new Date(Date.parse(reading.time) + 1).toISOString();
          out.push({ deviceId, metric, reason: 'out_of_range', start: reading.time, end, value, readings: 1 });
        }
        continue;
      }
      points.push({ time: reading.time, value });
    }
    if (!STUCK_CHECKED_METRICS.includes(metric)) continue;
    out.push(...findStuckRuns(points, { intervalS }).filter(isSuspectRun).map((run) => toStored(deviceId, metric, run)));
  }
  return out;
}

function toStored(deviceId: string, metric: Metric, flag: QualityFlag): StoredQualityFlag {
  return { deviceId, metric, reason: flag.reason, start: flag.start, end: flag.end, value: flag.value, readings: flag.points };
}
