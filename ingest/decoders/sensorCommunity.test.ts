import { describe, expect, it } from 'vitest';
import { bytes, sampleBytes, sampleJson } from './samples/samples.js';
import { decodeSensorCommunity } from './sensorCommunity.js';

const context = { now: new Date('2026-11-21T10:30:00Z') };

function decode(payload: Uint8Array | Record<string, unknown>, topicKey?: string) {
  const topic = `smartplace/v1/sensor-community/${topicKey ?? ''}`;
  return decodeSensorCommunity({ topic, topicKey, payload: payload instanceof Uint8Array ? payload : bytes(payload) }, context);
}

describe('decodeSensorCommunity', () => {
  it('decodes a reading from the archive API: P1 is PM10, P2 is PM2.5, the timestamp is UTC', () => {
    expect(decode(sampleBytes('sensor-community-api.json'))).toStrictEqual({
      ok: true,
      deviceKey: '72314',
      readings: [{ time: '2026-11-21T10:14:37.000Z', values: { pm10: 14.73, pm25: 6.2 }, position: { lon: -1.5562, lat: 53.8012 } }],
    });
  });

  it('decodes a firmware push with sensor-prefixed value types, named by the topic and with no time', () => {
    expect(decode(sampleBytes('sensor-community-push.json'), 'esp8266-15289342')).toStrictEqual({
      ok: true,
      deviceKey: 'esp8266-15289342',
      readings: [{ values: { pm10: 14.73, pm25: 6.2, temperature: 8.91, humidity: 83.62 } }],
    });
  });

  it('accepts the sensor id as the topic key', () => {
    expect(decode(sampleBytes('sensor-community-api.json'), '72314')).toMatchObject({ ok: true, deviceKey: '72314' });
  });

  it('keeps the first of two sensors measuring the same thing', () => {
    const push = sampleJson('sensor-community-push.json');
    push.sensordatavalues = [
      { value_type: 'temperature', value: '9.10' },
      { value_type: 'BME280_temperature', value: '8.91' },
    ];
    expect(decode(push, 'esp8266-15289342')).toMatchObject({ ok: true, readings: [{ values: { temperature: 9.1 } }] });
  });

  it('takes an empty location as no position', () => {
    const api = sampleJson('sensor-community-api.json');
    api.location = { id: 61273, latitude: '', longitude: '', country: 'GB' };
    const result = decode(api);
    expect(result.ok && result.readings[0]).toStrictEqual({ time: '2026-11-21T10:14:37.000Z', values: { pm10: 14.73, pm25: 6.2 } });
  });

  it('refuses a message for another sensor than the topic names', () => {
    expect(decode(sampleBytes('sensor-community-api.json'), '72315')).toEqual({
      ok: false,
      deviceKey: '72315',
      reason: 'ingest.device_mismatch',
      detail: 'The topic names device "72315" but sensor.id is 72314.',
    });
  });

  it('refuses a message that names no device', () => {
    expect(decode(sampleBytes('sensor-community-push.json'))).toEqual({
      ok: false,
      reason: 'ingest.invalid_payload',
      detail: 'The message has no sensor.id and the topic names no device.',
    });
  });

  it('refuses a message with no PM, temperature or humidity value', () => {
    const pressureOnly = { sensor: { id: 72316 }, sensordatavalues: [{ value_type: 'pressure', value: '101342.84' }] };
    expect(decode(pressureOnly)).toEqual({
      ok: false,
      deviceKey: '72316',
      reason: 'ingest.no_values',
      detail: 'sensordatavalues holds no P1, P2, temperature or humidity value.',
    });
  });

  it('refuses payloads of the wrong shape, naming the field', () => {
    expect(decode(bytes('sensordatavalues=P1'), '1')).toMatchObject({ ok: false, deviceKey: '1', reason: 'ingest.invalid_json' });
    expect(decode({ sensor: { id: 72314 } })).toMatchObject({
      reason: 'ingest.invalid_payload',
      detail: 'sensordatavalues: Invalid input: expected array, received undefined',
    });
    const badValue = { sensor: { id: 72314 }, sensordatavalues: [{ value_type: 'P1', value: 'nan' }] };
    expect(decode(badValue)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'sensordatavalues[0] (P1) has value "nan", which is not a number.' });
    const badTime = { ...sampleJson('sensor-community-api.json'), timestamp: '21/11/2026 10:14' };
    expect(decode(badTime)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'timestamp "21/11/2026 10:14" is not a UTC time like 2026-11-21 10:14:37.' });
    const badLocation = { ...sampleJson('sensor-community-api.json'), location: { latitude: '53.8012', longitude: 'west' } };
    expect(decode(badLocation)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'location.latitude and location.longitude must both be numbers.' });
  });
});
