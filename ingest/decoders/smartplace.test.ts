import { describe, expect, it } from 'vitest';
import { bytes } from './samples/samples.js';
import { decodeSmartplace } from './smartplace.js';

const context = { now: new Date('2026-11-21T12:00:00Z') };
const topic = 'smartplace/v1/devices/aq-001/readings';
const decode = (payload: unknown, topicKey?: string) => decodeSmartplace({ topic, topicKey: topicKey ?? 'aq-001', payload: bytes(payload) }, context);

describe('decodeSmartplace', () => {
  it('decodes one reading for the device the topic names, normalising the time to UTC', () => {
    expect(decode({ time: '2026-11-21T11:59:00+01:00', values: { no2: 31.2, pm25: 8 } })).toEqual({
      ok: true,
      deviceKey: 'aq-001',
      readings: [{ time: '2026-11-21T10:59:00.000Z', values: { no2: 31.2, pm25: 8 } }],
    });
  });

  it('decodes a batch and keeps the count period', () => {
    const payload = {
      readings: [
        { time: '2026-11-21T11:58:00Z', values: { cars_and_taxis: 14, speed_kmh: 38 }, period_s: 60 },
        { time: '2026-11-21T11:59:00Z', values: { cars_and_taxis: 11, speed_kmh: 42 }, period_s: 60 },
      ],
    };
    expect(decode(payload, 'tr-001')).toEqual({
      ok: true,
      deviceKey: 'tr-001',
      readings: [
        { time: '2026-11-21T11:58:00.000Z', values: { cars_and_taxis: 14, speed_kmh: 38 }, periodS: 60 },
        { time: '2026-11-21T11:59:00.000Z', values: { cars_and_taxis: 11, speed_kmh: 42 }, periodS: 60 },
      ],
    });
  });

  it('keeps a mobile reading’s position', () => {
    const result = decode({ time: '2026-11-21T11:59:00Z', values: { pm10: 21 }, position: { lon: -1.5491, lat: 53.8008 } });
    expect(result).toEqual({
      ok: true,
      deviceKey: 'aq-001',
      readings: [{ time: '2026-11-21T11:59:00.000Z', values: { pm10: 21 }, position: { lon: -1.5491, lat: 53.8008 } }],
    });
  });

  it('leaves range and time checks to the pipeline', () => {
    const payload = {
      readings: [
        { time: '2026-11-21T13:00:00Z', values: { humidity: 130 } },
        { time: '2020-01-01T00:00:00Z', values: { lgvs: 2.5 } },
      ],
    };
    expect(decode(payload)).toMatchObject({ ok: true, readings: [{ values: { humidity: 130 } }, { values: { lgvs: 2.5 } }] });
  });

  it('refuses bytes that are not UTF-8 JSON, naming the device', () => {
    expect(decode('{"time":')).toMatchObject({ ok: false, deviceKey: 'aq-001', reason: 'ingest.invalid_json' });
    const notUtf8 = decodeSmartplace({ topic, topicKey: 'aq-001', payload: new Uint8Array([0x7b, 0xff, 0x7d]) }, context);
    expect(notUtf8).toMatchObject({ ok: false, reason: 'ingest.invalid_json' });
  });

  it('refuses JSON of the wrong shape, saying where', () => {
    expect(decode({ time: '2026-11-21T11:59:00Z', values: { nox: 3 } })).toEqual({
      ok: false,
      deviceKey: 'aq-001',
      reason: 'ingest.invalid_payload',
      detail: 'values: Unrecognized key: "nox" (and 1 more problem)',
    });
    const batch = decode({ readings: [{ time: '2026-11-21T11:59:00', values: { no2: 1 } }] });
    expect(batch).toMatchObject({ ok: false, reason: 'ingest.invalid_payload', detail: 'readings[0].time: Invalid ISO datetime' });
  });

  it('names the field even when the payload is neither one reading nor a batch', () => {
    expect(decode({ reading: [] })).toMatchObject({ ok: false, detail: 'readings: Invalid input: expected array, received undefined' });
  });

  it('refuses a message whose topic names no device', () => {
    const payload = bytes({ time: '2026-11-21T11:59:00Z', values: { no2: 1 } });
    const refusal = { ok: false, reason: 'ingest.invalid_payload', detail: 'The topic names no device, and the native payload does not name one.' };
    expect(decodeSmartplace({ topic: 'smartplace/v1/readings', topicKey: '', payload }, context)).toEqual(refusal);
    expect(decodeSmartplace({ topic: 'smartplace/v1/readings', payload }, context)).toEqual(refusal);
  });
});
