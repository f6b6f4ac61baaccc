import { describe, expect, it } from 'vitest';
import type { LiveReading } from '../core/reading.js';
import type { StoredQualityFlag } from '../db/qualityFlagsRepository.js';
import { deviceFlags, scanQuality } from './qualityScan.js';

const at = (minutes: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + minutes * 60_000).toISOString();
const reading = (minutes: number, values: LiveReading['values'], flags = 0) => ({ deviceId: 'aq-1', time: at(minutes), values, flags });

describe('deviceFlags', () => {
  it('flags a value repeated for 3 hours, per metric, and nothing shorter', () => {
    // Every 10 minutes for 4 hours: NO2 stuck at 25 for the first 18 readings (00:00–03:00, 3 hours
    // exactly), PM2.5 varying throughout.
    const readings = Array.from({ length: 24 }, (_, i) => reading(i * 10, { no2: i < 18 ? 25 : 30 + i, pm25: i % 3 }));
    expect(deviceFlags('aq-1', readings, 600)).toEqual([
      { deviceId: 'aq-1', metric: 'no2', reason: 'stuck', start: at(0), end: at(180), value: 25, readings: 18 },
    ]);
    // One reading fewer (2 h 50 min) is not a stuck run.
    expect(deviceFlags('aq-1', readings.slice(1), 600)).toEqual([]);
  });

  it('looks for stuck runs in pollutants only, and not at 0', () => {
    // Four hours of the same humidity, the same bus count and SO2 at 0: all real, none flagged.
    const readings = Array.from({ length: 24 }, (_, i) => reading(i * 10, { humidity: 100, buses_and_coaches: 0, so2: 0, no2: 20 + i }));
    expect(deviceFlags('aq-1', readings, 600)).toEqual([]);
  });

  it('flags an out-of-range value once, and not again once flagged', () => {
    const readings = [reading(0, { humidity: 120 }), reading(10, { humidity: 50 })];
    expect(deviceFlags('aq-1', readings, 600)).toEqual([
      { deviceId: 'aq-1', metric: 'humidity', reason: 'out_of_range', start: at(0), end: '2026-06-01T00:00:00.001Z', value: 120, readings: 1 },
    ]);
    expect(deviceFlags('aq-1', [reading(0, { humidity: 120 }, 64)], 600)).toEqual([]);
  });
});

describe('scanQuality', () => {
  it('looks back at most a day, after a long stop or on its first run', async () => {
    const windows: string[] = [];
    for (const scannedTo of [null, new Date('2026-05-20T00:00:00Z')]) {
      await scanQuality(
        {
          readings: {
            window: async (from) => {
              windows.push(from.toISOString());
              return [];
            },
          },
          flags: { record: async () => undefined, scannedTo: async () => scannedTo, setScannedTo: async () => undefined },
          intervals: async () => new Map(),
        },
        new Date('2026-06-01T06:00:00Z'),
      );
    }
    expect(windows).toEqual(['2026-05-31T06:00:00.000Z', '2026-05-31T06:00:00.000Z']);
  });

  it('reads from where the last scan stopped less 4 hours, records each flag and moves on', async () => {
    const windows: [string, string][] = [];
    const recorded: StoredQualityFlag[] = [];
    let scannedTo: Date | null = new Date('2026-06-01T06:00:00Z');
    const result = await scanQuality(
      {
        readings: {
          window: async (from, to) => {
            windows.push([from.toISOString(), to.toISOString()]);
            return Array.from({ length: 24 }, (_, i) => ({ ...reading(i * 10, { o3: 80 }), deviceId: i < 12 ? 'aq-1' : 'aq-2' }));
          },
        },
        flags: {
          record: async (flag) => void recorded.push(flag),
          scannedTo: async () => scannedTo,
          setScannedTo: async (to) => void (scannedTo = to),
        },
        intervals: async () => new Map([['aq-1', 600], ['aq-2', 600]]),
      },
      new Date('2026-06-01T06:05:00Z'),
    );
    expect(windows).toEqual([['2026-06-01T02:00:00.000Z', '2026-06-01T06:05:00.000Z']]);
    // aq-1 has 12 readings at 80 (2 hours): not stuck. aq-2's 12 readings span 02:00–04:00: not stuck either.
    expect(recorded).toEqual([]);
    expect(result.readings).toBe(24);
    expect(scannedTo?.toISOString()).toBe('2026-06-01T06:05:00.000Z');
  });
});
