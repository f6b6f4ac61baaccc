import { describe, expect, it } from 'vitest';
import type { Metric } from '../../core/metrics.js';
import { bytes, sampleBytes, sampleJson } from './samples/samples.js';
import { datastreamIdOf, decodeSensorThings } from './sensorThings.js';
import type { DecodeContext } from './types.js';

const DATASTREAMS: Record<string, { metric: Metric; unit: string }> = {
  '42': { metric: 'no2', unit: 'ppb' },
  'aq-101-pm25': { metric: 'pm25', unit: 'µg/m³' },
  "kirkstall's-o3": { metric: 'o3', unit: 'ug/m3' },
  '77': { metric: 'pm10', unit: 'ppb' },
};
const context: DecodeContext = { now: new Date('2026-11-21T10:30:00Z'), datastream: (id) => DATASTREAMS[id] };

function decode(topic: string, payload: Uint8Array | Record<string, unknown>, topicKey?: string, withContext = context) {
  return decodeSensorThings({ topic, topicKey, payload: payload instanceof Uint8Array ? payload : bytes(payload) }, withContext);
}

describe('decodeSensorThings', () => {
  it('decodes an Observation: the Datastream gives metric and unit, the interval’s end the time', () => {
    expect(decode('v1.1/Datastreams(42)/Observations', sampleBytes('sensorthings-observation.json'))).toStrictEqual({
      ok: true,
      deviceKey: '42',
      // 20 ppb × 1.91 = 38.2 µg/m³
      readings: [{ time: '2026-11-21T10:15:00.000Z', values: { no2: 38.2 } }],
    });
  });

  it('reads quoted string ids, and the key the topic pattern took', () => {
    const observation = { phenomenonTime: '2026-11-21T10:15:00+00:00', result: 6.2 };
    expect(decode("v1.1/Datastreams('aq-101-pm25')/Observations", observation)).toMatchObject({ ok: true, deviceKey: 'aq-101-pm25', readings: [{ values: { pm25: 6.2 } }] });
    expect(decode("v1.0/Datastreams('kirkstall''s-o3')/Observations", observation)).toMatchObject({ ok: true, deviceKey: "kirkstall's-o3" });
    expect(decode('sta/aq-101-pm25', observation, 'aq-101-pm25')).toMatchObject({ ok: true, deviceKey: 'aq-101-pm25' });
    expect(datastreamIdOf("'a''b'")).toBe("a'b");
    expect(datastreamIdOf('17')).toBe('17');
  });

  it('falls back to resultTime, and carries no time when the Observation has neither', () => {
    const { phenomenonTime: _interval, ...withResultTime } = sampleJson('sensorthings-observation.json');
    expect(decode('v1.1/Datastreams(42)/Observations', withResultTime)).toMatchObject({ ok: true, readings: [{ time: '2026-11-21T10:15:03.220Z' }] });
    expect(decode('v1.1/Datastreams(42)/Observations', { result: '20' })).toStrictEqual({ ok: true, deviceKey: '42', readings: [{ values: { no2: 38.2 } }] });
  });

  it('reads a Point feature of interest as the position', () => {
    const observation = { phenomenonTime: '2026-11-21T10:15:00Z', result: 6.2, FeatureOfInterest: { feature: { type: 'Point', coordinates: [-1.5491, 53.8008] } } };
    expect(decode("v1.1/Datastreams('aq-101-pm25')/Observations", observation)).toMatchObject({ ok: true, readings: [{ position: { lon: -1.5491, lat: 53.8008 } }] });
  });

  it('refuses an Observation for a Datastream no device has', () => {
    expect(decode('v1.1/Datastreams(43)/Observations', sampleBytes('sensorthings-observation.json'))).toEqual({
      ok: false,
      deviceKey: '43',
      reason: 'ingest.unknown_device',
      detail: 'Datastream 43 is not registered to a device.',
    });
    const withoutRegistry = decode('v1.1/Datastreams(42)/Observations', sampleBytes('sensorthings-observation.json'), undefined, { now: context.now });
    expect(withoutRegistry).toMatchObject({ ok: false, reason: 'ingest.unknown_device' });
  });

  it('refuses a topic that names no Datastream', () => {
    expect(decode('sta/observations', sampleBytes('sensorthings-observation.json'), '')).toEqual({
      ok: false,
      reason: 'ingest.invalid_payload',
      detail: 'The topic names no Datastream: publish to v1.1/Datastreams(ID)/Observations.',
    });
  });

  it('refuses a Datastream unit it cannot convert', () => {
    expect(decode('v1.1/Datastreams(77)/Observations', { result: 12 })).toEqual({
      ok: false,
      deviceKey: '77',
      reason: 'ingest.unknown_unit',
      detail: 'Datastream 77: pm10 is in "ppb", which cannot be converted to µg/m³.',
    });
  });

  it('refuses payloads of the wrong shape, naming the field', () => {
    const topic = 'v1.1/Datastreams(42)/Observations';
    expect(decode(topic, bytes('20'))).toMatchObject({ ok: false, deviceKey: '42', reason: 'ingest.invalid_payload', detail: 'the payload: Invalid input: expected object, received number' });
    expect(decode(topic, bytes('{result: 20}'))).toMatchObject({ reason: 'ingest.invalid_json' });
    expect(decode(topic, { phenomenonTime: '2026-11-21T10:15:00Z' })).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'result: Invalid input: expected number, received undefined' });
    expect(decode(topic, { result: 'high' })).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'result "high" is not a number.' });
    expect(decode(topic, { phenomenonTime: '10:15', result: 20 })).toMatchObject({
      reason: 'ingest.invalid_payload',
      detail: 'phenomenonTime "10:15" is not an ISO 8601 instant or interval.',
    });
  });
});
