import { describe, expect, it } from 'vitest';
import { MAX_READINGS_PER_MESSAGE, NativePayloadSchema, findRangeProblem } from './reading.js';

describe('NativePayloadSchema', () => {
  it('accepts one reading, with an offset or Z time', () => {
    expect(NativePayloadSchema.safeParse({ time: '2026-11-21T10:00:00Z', values: { no2: 31.2 } }).success).toBe(true);
    expect(NativePayloadSchema.safeParse({ time: '2026-11-21T10:00:00.250+01:00', values: { pm25: 8 } }).success).toBe(true);
  });

  it('accepts a batch with a count period', () => {
    const batch = {
      readings: [
        { time: '2026-11-21T10:00:00Z', values: { cars_and_taxis: 12, lgvs: 3, speed_kmh: 41.5 }, period_s: 60 },
        { time: '2026-11-21T10:01:00Z', values: { cars_and_taxis: 9 }, period_s: 60 },
      ],
    };
    expect(NativePayloadSchema.safeParse(batch).success).toBe(true);
  });

  it.each([
    ['an unknown metric', { time: '2026-11-21T10:00:00Z', values: { nox: 1 } }],
    ['no values', { time: '2026-11-21T10:00:00Z', values: {} }],
    ['a time without a zone', { time: '2026-11-21T10:00:00', values: { no2: 1 } }],
    ['a string value', { time: '2026-11-21T10:00:00Z', values: { no2: '31' } }],
    ['an extra field', { time: '2026-11-21T10:00:00Z', values: { no2: 1 }, device: 'x' }],
    ['an empty batch', { readings: [] }],
    ['a fractional period', { time: '2026-11-21T10:00:00Z', values: { lgvs: 1 }, period_s: 1.5 }],
  ])('rejects %s', (_what, payload) => {
    expect(NativePayloadSchema.safeParse(payload).success).toBe(false);
  });

  it(`rejects more than ${MAX_READINGS_PER_MESSAGE} readings in one message`, () => {
    const reading = { time: '2026-11-21T10:00:00Z', values: { no2: 1 } };
    expect(NativePayloadSchema.safeParse({ readings: Array(MAX_READINGS_PER_MESSAGE).fill(reading) }).success).toBe(true);
    expect(NativePayloadSchema.safeParse({ readings: Array(MAX_READINGS_PER_MESSAGE + 1).fill(reading) }).success).toBe(false);
  });
});

describe('findRangeProblem', () => {
  it('passes values inside their ranges, edges included', () => {
    expect(findRangeProblem({ no2: 0, humidity: 100, temperature: -50, speed_kmh: 250, cars_and_taxis: 0 })).toBeUndefined();
  });

  it('names the first value outside its range', () => {
    expect(findRangeProblem({ no2: 10, humidity: 100.1 })).toEqual({ metric: 'humidity', value: 100.1, min: 0, max: 100, integer: false });
    expect(findRangeProblem({ pm25: -0.1 })).toMatchObject({ metric: 'pm25', value: -0.1 });
  });

  it('requires whole numbers for counts', () => {
    expect(findRangeProblem({ lgvs: 2.5 })).toMatchObject({ metric: 'lgvs', integer: true });
  });

  it('rejects non-finite numbers', () => {
    expect(findRangeProblem({ o3: Number.NaN })).toMatchObject({ metric: 'o3' });
  });
});
