import { describe, expect, it } from 'vitest';
import { bytes, sampleBytes } from './samples/samples.js';
import { decodeSenml, deviceKeyOfBaseName } from './senml.js';

const now = new Date('2026-11-21T10:30:00Z');
const DEVICE = 'urn:dev:mac:0024befffe804ff1';

function decode(payload: Uint8Array | unknown[], topicKey?: string) {
  return decodeSenml({ topic: `smartplace/v1/senml/${topicKey ?? ''}`, topicKey, payload: payload instanceof Uint8Array ? payload : bytes(payload) }, { now });
}

describe('decodeSenml', () => {
  it('decodes a pack into one reading per time, in order, with base unit and ppb conversions', () => {
    expect(decode(sampleBytes('senml-pack.json'))).toStrictEqual({
      ok: true,
      deviceKey: DEVICE,
      readings: [
        // bt 1795255200 = 2026-11-21T10:00:00Z; no2 20 ppb × 1.91 = 38.2 µg/m³
        { time: '2026-11-21T10:00:00.000Z', values: { no2: 38.2, pm25: 8.4, pm10: 14.1, temperature: 9.5, humidity: 81 } },
        // t = 60 s later; no2 22 ppb × 1.91 = 42.02 µg/m³
        { time: '2026-11-21T10:01:00.000Z', values: { no2: 42.02, pm25: 9.1 } },
      ],
    });
  });

  it('names the device by its base name with one trailing : or / removed', () => {
    expect(deviceKeyOfBaseName('urn:dev:ow:10e2073a01080063:')).toBe('urn:dev:ow:10e2073a01080063');
    expect(deviceKeyOfBaseName('aq-senml-03/')).toBe('aq-senml-03');
    expect(deviceKeyOfBaseName('aq-senml-03')).toBe('aq-senml-03');
    expect(deviceKeyOfBaseName(':')).toBeUndefined();
    expect(decode(sampleBytes('senml-pack.json'), DEVICE)).toMatchObject({ ok: true, deviceKey: DEVICE });
  });

  it('uses the topic key when the pack has no base name', () => {
    expect(decode([{ n: 'temperature', u: 'K', v: 282.65 }], 'aq-senml-03')).toStrictEqual({
      ok: true,
      deviceKey: 'aq-senml-03',
      // 282.65 K − 273.15 = 9.5 °C; no time at all: the pipeline uses the receive time
      readings: [{ values: { temperature: 9.5 } }],
    });
  });

  it('takes times below 2**28 as relative to now, per RFC 8428', () => {
    const pack = [
      { bn: 'aq-senml-03/', bt: -120, n: 'no2', v: 30 },
      { n: 'no2', v: 31, t: 60 },
      { n: 'no2', v: 32, t: 120 },
    ];
    expect(decode(pack)).toMatchObject({
      ok: true,
      readings: [
        { time: '2026-11-21T10:28:00.000Z', values: { no2: 30 } },
        { time: '2026-11-21T10:29:00.000Z', values: { no2: 31 } },
        { time: '2026-11-21T10:30:00.000Z', values: { no2: 32 } },
      ],
    });
    const absolute = decode([{ bn: 'aq-senml-03', n: 'no2', v: 30, t: 2 ** 28 }]);
    expect(absolute).toMatchObject({ ok: true, readings: [{ time: '1978-07-04T21:24:16.000Z' }] });
  });

  it('adds the base value, and reads lat/lon records as a position', () => {
    const pack = [
      { bn: 'aq-bike-02:', bt: 1795255200, bv: 10, n: 'pm25', v: 2.5 },
      { n: 'lat', u: 'lat', bv: 0, v: 53.8008 },
      { n: 'lon', u: 'lon', v: -1.5491 },
    ];
    expect(decode(pack)).toStrictEqual({
      ok: true,
      deviceKey: 'aq-bike-02',
      readings: [{ time: '2026-11-21T10:00:00.000Z', values: { pm25: 12.5 }, position: { lon: -1.5491, lat: 53.8008 } }],
    });
  });

  it('ignores string, boolean and data values, and names that are not metrics', () => {
    const pack = [
      { bn: 'aq-senml-03/', n: 'door', vb: true },
      { n: 'no2', vs: 'high' },
      { n: 'rssi', v: -97 },
      { n: 'o3', u: 'ppb', v: 25 },
    ];
    // 25 ppb × 2.00 = 50 µg/m³
    expect(decode(pack)).toMatchObject({ ok: true, readings: [{ values: { o3: 50 } }] });
  });

  it('refuses a pack that names two devices', () => {
    const pack = [
      { bn: 'aq-senml-03/', n: 'no2', v: 30 },
      { bn: 'aq-senml-04/', n: 'no2', v: 31 },
    ];
    expect(decode(pack)).toEqual({
      ok: false,
      reason: 'ingest.invalid_payload',
      detail: 'records[1].bn names "aq-senml-04" after "aq-senml-03": a message holds one device\'s readings.',
    });
    expect(decode([{ bn: 'aq-senml-03/', n: 'no2', v: 30 }, { bn: 'aq-senml-03:', n: 'o3', v: 31 }])).toMatchObject({ ok: true });
  });

  it('refuses a pack for another device than the topic names', () => {
    expect(decode(sampleBytes('senml-pack.json'), 'aq-senml-03')).toEqual({
      ok: false,
      deviceKey: 'aq-senml-03',
      reason: 'ingest.device_mismatch',
      detail: `The topic names device "aq-senml-03" but the base name is "${DEVICE}".`,
    });
  });

  it('refuses a pack that names no device', () => {
    expect(decode([{ n: 'no2', v: 30 }])).toEqual({
      ok: false,
      reason: 'ingest.invalid_payload',
      detail: 'The pack has no base name (bn) and the topic names no device.',
    });
  });

  it('refuses a pack with no numeric value of a Smartplace metric', () => {
    expect(decode([{ bn: 'aq-senml-03/', n: 'battery', u: 'V', v: 3.6 }, { n: 'no2', vs: 'n/a' }])).toEqual({
      ok: false,
      deviceKey: 'aq-senml-03',
      reason: 'ingest.no_values',
      detail: 'No record holds a numeric value of a Smartplace metric.',
    });
  });

  it('refuses a unit it cannot convert', () => {
    expect(decode([{ bn: 'aq-senml-03/', n: 'pm10', u: 'ppb', v: 12 }])).toEqual({
      ok: false,
      deviceKey: 'aq-senml-03',
      reason: 'ingest.unknown_unit',
      detail: 'records[0] (pm10): pm10 is in "ppb", which cannot be converted to µg/m³.',
    });
  });

  it('refuses payloads of the wrong shape, naming the field', () => {
    expect(decode(bytes('[{"n":"no2",'), 'aq-senml-03')).toMatchObject({ ok: false, deviceKey: 'aq-senml-03', reason: 'ingest.invalid_json' });
    expect(decode(bytes({ n: 'no2', v: 30 }), 'aq-senml-03')).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'the payload: Invalid input: expected array, received object' });
    expect(decode([], 'aq-senml-03')).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'the payload: a SenML pack holds at least one record' });
    expect(decode([{ n: 'no2', v: '30' }], 'aq-senml-03')).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'records[0].v: Invalid input: expected number, received string' });
    expect(decode([{ bver: 11, n: 'no2', v: 30 }], 'aq-senml-03')).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'records[0].bver is 11; SenML version 10 is understood.' });
    expect(decode([{ n: 'no2', v: 30, crit_: 1 }], 'aq-senml-03')).toMatchObject({
      reason: 'ingest.invalid_payload',
      detail: 'The pack uses "crit_", a must-understand field this decoder does not know.',
    });
    expect(decode([{ n: 'no2', v: 30 }, { n: 'no2', v: 31 }], 'aq-senml-03')).toMatchObject({
      reason: 'ingest.invalid_payload',
      detail: 'records[1] gives no2 a second time for the same time.',
    });
  });
});
