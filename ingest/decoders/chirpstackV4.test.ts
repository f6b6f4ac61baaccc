import { describe, expect, it } from 'vitest';
import { decodeChirpstackV4 } from './chirpstackV4.js';
import { bytes, sampleBytes, sampleJson } from './samples/samples.js';

const context = { now: new Date('2026-11-21T10:30:00Z') };
const topic = 'application/3e5a7c9b-1d3f-4a6c-8e0b-2c4e6a8c0e2f/device/0004a30b00f1e2d3/event/up';

function decode(payload: Uint8Array | Record<string, unknown>, topicKey: string | undefined = '0004a30b00f1e2d3') {
  return decodeChirpstackV4({ topic, topicKey, payload: payload instanceof Uint8Array ? payload : bytes(payload) }, context);
}

function withObject(object: unknown): Record<string, unknown> {
  return { ...sampleJson('chirpstack-v4-up.json'), object };
}

describe('decodeChirpstackV4', () => {
  it('decodes an up event, converting ppb and reading aliases', () => {
    expect(decode(sampleBytes('chirpstack-v4-up.json'))).toStrictEqual({
      ok: true,
      deviceKey: '0004a30b00f1e2d3',
      // o3_ppb 25 × 2.00 = 50 µg/m³; temp and rh are temperature and humidity
      readings: [{ time: '2026-11-21T10:15:04.532Z', values: { no2: 31.5, o3: 50, pm25: 7.9, temperature: 10.2, humidity: 76 } }],
    });
  });

  it('decodes a traffic counter: DfT classes by alias, mph, and the count period', () => {
    const result = decodeChirpstackV4(
      { topic: 'application/x/device/24e124535b312a07/event/up', topicKey: '24e124535b312a07', payload: sampleBytes('chirpstack-v4-up-traffic.json') },
      context,
    );
    expect(result).toStrictEqual({
      ok: true,
      deviceKey: '24e124535b312a07',
      readings: [
        {
          time: '2026-11-21T10:20:00.104Z',
          // 24.5 mph × 1.609344 = 39.428928 km/h
          values: { cars_and_taxis: 41, lgvs: 9, all_hgvs: 2, buses_and_coaches: 1, pedal_cycles: 3, two_wheeled_motor_vehicles: 1, speed_kmh: 39.428928 },
          periodS: 300,
        },
      ],
    });
  });

  it('names the device by its DevEUI in lower case, and compares the topic’s without case', () => {
    const upper = sampleJson('chirpstack-v4-up.json');
    (upper.deviceInfo as Record<string, unknown>).devEui = '0004A30B00F1E2D3';
    expect(decode(upper, '0004A30B00F1E2D3')).toMatchObject({ ok: true, deviceKey: '0004a30b00f1e2d3' });
    expect(decode(upper, undefined)).toMatchObject({ ok: true, deviceKey: '0004a30b00f1e2d3' });
  });

  it('refuses an event for another device than the topic names', () => {
    expect(decode(sampleBytes('chirpstack-v4-up.json'), '0004a30b00f1e2d4')).toEqual({
      ok: false,
      deviceKey: '0004a30b00f1e2d4',
      reason: 'ingest.device_mismatch',
      detail: 'The topic names device "0004a30b00f1e2d4" but deviceInfo.devEui is "0004a30b00f1e2d3".',
    });
  });

  it('reads a GPS position from the object', () => {
    const mobile = withObject({ pm25: 11, gps: { latitude: 53.7996, longitude: -1.5491 } });
    expect(decode(mobile)).toMatchObject({ ok: true, readings: [{ values: { pm25: 11 }, position: { lon: -1.5491, lat: 53.7996 } }] });
  });

  it('carries no time when the event has none', () => {
    const { time: _time, ...timeless } = sampleJson('chirpstack-v4-up.json');
    const result = decode(timeless);
    expect(result.ok && result.readings[0]).toStrictEqual({ values: { no2: 31.5, o3: 50, pm25: 7.9, temperature: 10.2, humidity: 76 } });
  });

  it('refuses an event with no object (no codec), or no Smartplace value in it', () => {
    const { object: _object, ...raw } = sampleJson('chirpstack-v4-up.json');
    expect(decode(raw)).toEqual({
      ok: false,
      deviceKey: '0004a30b00f1e2d3',
      reason: 'ingest.no_values',
      detail: 'The event has no object: the device profile needs a codec in ChirpStack.',
    });
    expect(decode(withObject({ batteryVoltage: 3.6 }))).toMatchObject({ ok: false, reason: 'ingest.no_values', detail: 'object holds no value of a Smartplace metric.' });
  });

  it('refuses a unit it cannot convert', () => {
    expect(decode(withObject({ no2: { value: 3, unit: 'mol/m3' } }))).toEqual({
      ok: false,
      deviceKey: '0004a30b00f1e2d3',
      reason: 'ingest.unknown_unit',
      detail: 'object.no2: no2 is in "mol/m3", which cannot be converted to µg/m³.',
    });
  });

  it('refuses payloads of the wrong shape, naming the field', () => {
    expect(decode(new Uint8Array([0xc3, 0x28]))).toMatchObject({ ok: false, reason: 'ingest.invalid_json' });
    expect(decode({ ...sampleJson('chirpstack-v4-up.json'), deviceInfo: { devEui: 'kirkstall' } })).toMatchObject({
      ok: false,
      reason: 'ingest.invalid_payload',
      detail: 'deviceInfo.devEui: a DevEUI is 16 hex digits',
    });
    expect(decode(withObject([31.5]))).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'object: Invalid input: expected record, received array' });
    expect(decode(withObject({ pm25: true }))).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'object.pm25 is not a number.' });
  });
});
