import { describe, expect, it } from 'vitest';
import { checkReadings } from './validateReadings.js';

const receivedAt = new Date('2026-11-21T12:00:00Z');
const limits = { maxFutureSkewMs: 300_000, backfillWindowMs: 24 * 3600_000 };

describe('checkReadings', () => {
  it('passes readings in range and in the window, giving a reading without a time the receive time', () => {
    const result = checkReadings(
      [{ time: '2026-11-21T11:59:00.000Z', values: { no2: 0, humidity: 100 } }, { values: { cars_and_taxis: 10_000 }, periodS: 60 }],
      receivedAt,
      limits,
    );
    expect(result).toEqual({
      ok: true,
      readings: [
        { time: '2026-11-21T11:59:00.000Z', values: { no2: 0, humidity: 100 } },
        { time: '2026-11-21T12:00:00.000Z', values: { cars_and_taxis: 10_000 }, periodS: 60 },
      ],
    });
  });

  it.each([
    [{ no2: -0.1 }, 'reading: no2 = -0.1 is outside 0–2000'],
    [{ temperature: 61 }, 'reading: temperature = 61 is outside -50–60'],
    [{ lgvs: 2.5 }, 'reading: lgvs = 2.5 is outside 0–10000, whole numbers'],
    [{ pm25: Number.NaN }, 'reading: pm25 = NaN is outside 0–1000'],
  ])('refuses %j as out of range', (values, detail) => {
    expect(checkReadings([{ time: '2026-11-21T11:59:00.000Z', values }], receivedAt, limits)).toEqual({ ok: false, reason: 'ingest.out_of_range', detail });
  });

  it('allows the clock skew exactly, and refuses a millisecond more', () => {
    expect(checkReadings([{ time: '2026-11-21T12:05:00.000Z', values: { no2: 1 } }], receivedAt, limits).ok).toBe(true);
    expect(checkReadings([{ time: '2026-11-21T12:05:00.001Z', values: { no2: 1 } }], receivedAt, limits)).toMatchObject({
      ok: false,
      reason: 'ingest.time_in_future',
    });
  });

  it('allows the backfill window exactly, and refuses older, naming which reading of several', () => {
    expect(checkReadings([{ time: '2026-11-20T12:00:00.000Z', values: { no2: 1 } }], receivedAt, limits).ok).toBe(true);
    const result = checkReadings(
      [
        { time: '2026-11-21T11:00:00.000Z', values: { no2: 1 } },
        { time: '2026-11-20T11:59:59.999Z', values: { no2: 1 } },
      ],
      receivedAt,
      limits,
    );
    expect(result).toEqual({ ok: false, reason: 'ingest.too_old', detail: 'readings[1]: time 2026-11-20T11:59:59.999Z is older than the backfill window' });
  });
});
