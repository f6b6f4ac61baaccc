import { combinedCompleteness, completeness, timeliness, type Completeness, type Timeliness } from '../core/dataCapture.js';
import type { LocatedDevice } from '../core/device.js';
import { METRICS, type Metric } from '../core/metrics.js';
import type { AggregatesRepository } from '../db/aggregatesRepository.js';
import type { QualityFlagsRepository, StoredQualityFlag } from '../db/qualityFlagsRepository.js';
import { areaDevices, type AreaRef } from './areaScope.js';

/**
 * Data quality of a device, street or ward over a period, advertised with the data: completeness
 * (readings received ÷ readings expected from each device's interval), timeliness (share that
 * arrived within 15 minutes of being taken, the aggregates' `on_time`), and values left out as
 * suspect, per metric, with the stretches found (stuck sensor, out of range).
 */

/** A reading is on time when it arrives within this of being taken (the aggregates' `on_time`). */
export const ON_TIME_S = 15 * 60;

export interface DeviceQuality {
  deviceId: string;
  completeness: Completeness;
  timeliness: Timeliness;
  flagged: Partial<Record<Metric, number>>;
}

export interface QualityAnswer {
  /** All devices together: readings received ÷ expected, summed over devices. */
  completeness: Completeness;
  timeliness: Timeliness;
  devices: DeviceQuality[];
  /** The newest MAX_FLAGS stretches; true when there were more. */
  flags: StoredQualityFlag[];
  flagsTruncated: boolean;
}

const MAX_FLAGS = 1000;

export interface DataQualityDeps {
  aggregates: Pick<AggregatesRepository, 'devicesIn' | 'summaries'>;
  flags: Pick<QualityFlagsRepository, 'list'>;
  devices(): Promise<LocatedDevice[]>;
}

export class DataQualityService {
  constructor(private readonly deps: DataQualityDeps) {}

  async report(area: AreaRef, from: Date, to: Date): Promise<QualityAnswer> {
    const { ids, registry } = await areaDevices(area, this.deps, from, to);
    const sums = new Map((await this.deps.aggregates.summaries('device', METRICS, 'hour', from, to, ids)).map((row) => [row.id, row]));
    const period = { start: from.toISOString(), end: to.toISOString() };
    const devices = ids.map((deviceId): DeviceQuality => {
      const row = sums.get(deviceId);
      const intervalS = registry.get(deviceId)?.expectedIntervalS ?? 60;
      const flagged: Partial<Record<Metric, number>> = {};
      for (const metric of METRICS) {
        const count = row?.metrics[metric]?.flagged ?? 0;
        if (count > 0) flagged[metric] = count;
      }
      return {
        deviceId,
        completeness: completeness(row?.readings ?? 0, period, intervalS),
        timeliness: timeliness({ received: row?.readings ?? 0, onTime: row?.onTime ?? 0 }, ON_TIME_S),
        flagged,
      };
    });
    const received = devices.reduce((sum, device) => sum + device.timeliness.received, 0);
    const onTime = devices.reduce((sum, device) => sum + device.timeliness.onTime, 0);
    const flags = await this.deps.flags.list(ids, from, to, MAX_FLAGS + 1);
    return {
      completeness: combinedCompleteness(devices.map((device) => device.completeness)),
      timeliness: timeliness({ received, onTime }, ON_TIME_S),
      devices,
      flags: flags.slice(0, MAX_FLAGS),
      flagsTruncated: flags.length > MAX_FLAGS,
    };
  }
}
