import { describe, expect, it } from 'vitest';
import { decodeNative, type DecodeLimits } from './decodeNative.js';

const now = new Date('2026-11-21T12:00:00Z');
const limits: DecodeLimits = { maxPayloadBytes: 1024, maxFutureSkewMs: 300_000, backfillWindowMs: 7 * 24 * 3600_000 };
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('decodeNative', () => {
  it('decodes one reading, normalising the time to UTC', () => {
    const result = decodeNative('aq-001', bytes({ time: '2026-11-21T11:59:00+01:00', values: { no2: 31.2, pm25: 8 } }), now, limits);
    expect(result).toEqual({ ok: true, readings: [{ deviceId: 'aq-001', time: '2026-11-21T10:59:00.000Z', values: { no2: 31.2, pm25: 8 } }] });
  });

  it('decodes a batch and keeps the count period', () => {
    const payload = {
      readings: [
        { time: '2026-11-21T11:58:00Z', values: { cars_and_taxis: 14, speed_kmh: 38 }, period_s: 60 },
        { time: '2026-11-21T11:59:00Z', values: { cars_and_taxis: 11, speed_kmh: 42 }, period_s: 60 },
      ],
    };
    const result = decodeNative('tr-001', bytes(payload), now, limits);
    expect(result.ok && result.readings.map((reading) => [reading.time, reading.periodS])).toEqual([
      ['2026-11-21T11:58:00.000Z', 60],
      ['2026-11-21T11:59:00.000Z', 60],
    ]);
  });

  it('refuses a payload over the size limit before parsing it', () => {
    const result = decodeNative('aq-001', new Uint8Array(1025), now, limits);
    expect(result).toEqual({ ok: false, reason: 'ingest.payload_too_large', detail: 'payload is 1025 bytes; the limit is 1024' });
  });

  it('refuses bytes that are not UTF-8 JSON', () => {
    expect(decodeNative('aq-001', bytes('{"time":'), now, limits)).toMatchObject({ ok: false, reason: 'ingest.invalid_json' });
    expect(decodeNative('aq-001', new Uint8Array([0x7b, 0xff, 0x7d]), now, limits)).toMatchObject({ ok: false, reason: 'ingest.invalid_json' });
  });

  it('refuses JSON of the wrong shape, saying where', () => {
    const result = decodeNative('aq-001', bytes({ time: '2026-11-21T11:59:00Z', values: { nox: 3 } }), now, limits);
    expect(result).toMatchObject({ ok: false, reason: 'ingest.invalid_payload' });
    expect(!result.ok && result.detail).toContain('nox');
  });

  it('refuses the whole message when one reading is out of range, naming it', () => {
    const payload = {
      readings: [
        { time: '2026-11-21T11:58:00Z', values: { no2: 20 } },
        { time: '2026-11-21T11:59:00Z', values: { no2: 20, humidity: 130 } },
      ],
    };
    expect(decodeNative('aq-001', bytes(payload), now, limits)).toEqual({
      ok: false,
      reason: 'ingest.out_of_range',
      detail: 'readings[1]: humidity = 130 is outside 0–100',
    });
  });

  it('refuses fractional counts', () => {
    const result = decodeNative('tr-001', bytes({ time: '2026-11-21T11:59:00Z', values: { lgvs: 2.5 } }), now, limits);
    expect(result).toEqual({ ok: false, reason: 'ingest.out_of_range', detail: 'reading: lgvs = 2.5 is outside 0–10000, whole numbers' });
  });

  it('allows the clock skew into the future and no more', () => {
    expect(decodeNative('aq-001', bytes({ time: '2026-11-21T12:05:00Z', values: { no2: 1 } }), now, limits).ok).toBe(true);
    expect(decodeNative('aq-001', bytes({ time: '2026-11-21T12:05:00.001Z', values: { no2: 1 } }), now, limits)).toMatchObject({
      ok: false,
      reason: 'ingest.time_in_future',
    });
  });

  it('allows backfill inside the window and no older', () => {
    expect(decodeNative('aq-001', bytes({ time: '2026-11-14T12:00:00Z', values: { no2: 1 } }), now, limits).ok).toBe(true);
    expect(decodeNative('aq-001', bytes({ time: '2026-11-14T11:59:59.999Z', values: { no2: 1 } }), now, limits)).toMatchObject({
      ok: false,
      reason: 'ingest.too_old',
    });
  });
});
