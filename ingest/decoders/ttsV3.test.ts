import { describe, expect, it } from 'vitest';
import { bytes, sampleBytes, sampleJson } from './samples/samples.js';
import { decodeTtsV3 } from './ttsV3.js';

const context = { now: new Date('2026-11-21T10:30:00Z') };
const topic = 'v3/smartplace-aq@leeds-council/devices/aq-lora-017/up';

function decode(payload: Uint8Array | Record<string, unknown>, topicKey: string | undefined = 'aq-lora-017') {
  return decodeTtsV3({ topic, topicKey, payload: payload instanceof Uint8Array ? payload : bytes(payload) }, context);
}

/** The fixed-site sample with its uplink_message changed. */
function withUplink(change: (uplink: Record<string, unknown>) => void): Record<string, unknown> {
  const message = sampleJson('tts-v3-uplink.json');
  change(message.uplink_message as Record<string, unknown>);
  return message;
}

describe('decodeTtsV3', () => {
  it('decodes an uplink, converting ppb and keeping the registry location', () => {
    expect(decode(sampleBytes('tts-v3-uplink.json'))).toEqual({
      ok: true,
      deviceKey: 'aq-lora-017',
      readings: [
        {
          time: '2026-11-21T10:15:02.201Z',
          // no2_ppb 20 × 1.91 = 38.2 µg/m³; battery is not a metric
          values: { no2: 38.2, pm25: 8.4, pm10: 14.1, temperature: 9.5, humidity: 81 },
          position: { lon: -1.54917, lat: 53.80003 },
        },
      ],
    });
  });

  it('decodes a mobile uplink: { value, unit } objects and the GPS fix', () => {
    const result = decodeTtsV3({ topic: 'v3/smartplace-mobile@leeds-council/devices/aq-bus-04/up', topicKey: 'aq-bus-04', payload: sampleBytes('tts-v3-uplink-gps.json') }, context);
    expect(result).toEqual({
      ok: true,
      deviceKey: 'aq-bus-04',
      // no2 0.021 ppm = 21 ppb × 1.91 = 40.11 µg/m³
      readings: [{ time: '2026-11-21T10:20:31.784Z', values: { no2: 40.11, pm25: 12.5 }, position: { lon: -1.54785, lat: 53.79648 } }],
    });
  });

  it('prefers the frm-payload location, then the decoded payload, then the user location', () => {
    const mobile = sampleJson('tts-v3-uplink-gps.json');
    const uplink = mobile.uplink_message as Record<string, unknown>;
    uplink.locations = { user: { latitude: 53.7955, longitude: -1.5483 }, 'frm-payload': { latitude: 53.79, longitude: -1.54 } };
    uplink.decoded_payload = { no2: 30, lat: 53.78, lon: -1.53 };
    const at = (payload: Record<string, unknown>) => {
      const result = decodeTtsV3({ topic, payload: bytes(payload) }, context);
      return result.ok ? result.readings[0]?.position : result;
    };
    expect(at(mobile)).toEqual({ lon: -1.54, lat: 53.79 });
    uplink.locations = { user: { latitude: 53.7955, longitude: -1.5483 } };
    expect(at(mobile)).toEqual({ lon: -1.53, lat: 53.78 });
    uplink.decoded_payload = { no2: 30 };
    expect(at(mobile)).toEqual({ lon: -1.5483, lat: 53.7955 });
    delete uplink.locations;
    expect(at(mobile)).toBeUndefined();
  });

  it('reads a coordinate TTS left out as zero, and takes 0,0 as no fix', () => {
    const greenwich = withUplink((uplink) => (uplink.locations = { user: { latitude: 51.4779 } }));
    expect(decode(greenwich)).toMatchObject({ ok: true, readings: [{ position: { lon: 0, lat: 51.4779 } }] });
    const noFix = withUplink((uplink) => {
      uplink.locations = {};
      uplink.decoded_payload = { no2: 30, latitude: 0, longitude: 0 };
    });
    expect(decode(noFix)).toStrictEqual({ ok: true, deviceKey: 'aq-lora-017', readings: [{ time: '2026-11-21T10:15:02.201Z', values: { no2: 30 } }] });
  });

  it('takes the time from received_at when uplink_message has none, and carries no time when neither has one', () => {
    const outer = withUplink((uplink) => delete uplink.received_at);
    expect(decode(outer)).toMatchObject({ ok: true, readings: [{ time: '2026-11-21T10:15:02.418Z' }] });
    delete outer.received_at;
    expect(decode(outer)).toMatchObject({ ok: true, readings: [expect.not.objectContaining({ time: expect.anything() })] });
  });

  it('reads aliases, numeric strings, values with units and a count period', () => {
    const traffic = withUplink((uplink) => {
      uplink.locations = {};
      uplink.decoded_payload = { Cars: '41', LGV: 9, hgv: 2, speed: '38.6 km/h', temperature_c: '9.50 °C', period_s: 300, rssi: -97 };
    });
    expect(decode(traffic)).toMatchObject({
      ok: true,
      readings: [{ values: { cars_and_taxis: 41, lgvs: 9, all_hgvs: 2, speed_kmh: 38.6, temperature: 9.5 }, periodS: 300 }],
    });
  });

  it('works without a topic key, naming the device from the payload', () => {
    expect(decode(sampleBytes('tts-v3-uplink.json'), '')).toMatchObject({ ok: true, deviceKey: 'aq-lora-017' });
  });

  it('refuses a message for another device than the topic names', () => {
    expect(decode(sampleBytes('tts-v3-uplink.json'), 'aq-lora-018')).toEqual({
      ok: false,
      deviceKey: 'aq-lora-018',
      reason: 'ingest.device_mismatch',
      detail: 'The topic names device "aq-lora-018" but end_device_ids.device_id is "aq-lora-017".',
    });
  });

  it('refuses an uplink without decoded_payload, or with no Smartplace value in it', () => {
    const raw = withUplink((uplink) => delete uplink.decoded_payload);
    expect(decode(raw)).toEqual({
      ok: false,
      deviceKey: 'aq-lora-017',
      reason: 'ingest.no_values',
      detail: 'uplink_message has no decoded_payload: the device needs a payload formatter in The Things Stack.',
    });
    const batteryOnly = withUplink((uplink) => (uplink.decoded_payload = { battery: 3.61, pm1: 4 }));
    expect(decode(batteryOnly)).toMatchObject({ ok: false, reason: 'ingest.no_values' });
  });

  it('refuses a unit it cannot convert', () => {
    const ppbParticles = withUplink((uplink) => (uplink.decoded_payload = { pm10_ppb: 12 }));
    expect(decode(ppbParticles)).toEqual({
      ok: false,
      deviceKey: 'aq-lora-017',
      reason: 'ingest.unknown_unit',
      detail: 'uplink_message.decoded_payload.pm10_ppb: pm10 is in "ppb", which cannot be converted to µg/m³.',
    });
  });

  it('refuses payloads of the wrong shape, naming the field', () => {
    expect(decode(bytes('{"end_device_ids":'))).toMatchObject({ ok: false, deviceKey: 'aq-lora-017', reason: 'ingest.invalid_json' });
    expect(decode({ end_device_ids: { device_id: 'aq-lora-017' }, join_accept: {} })).toMatchObject({
      reason: 'ingest.invalid_payload',
      detail: 'uplink_message: Invalid input: expected object, received undefined',
    });
    const badTime = withUplink((uplink) => (uplink.received_at = 'yesterday'));
    expect(decode(badTime)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'uplink_message.received_at: Invalid ISO datetime' });
    const notANumber = withUplink((uplink) => (uplink.decoded_payload = { no2: 'high' }));
    expect(decode(notANumber)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'uplink_message.decoded_payload.no2 is not a number.' });
    const twice = withUplink((uplink) => (uplink.decoded_payload = { no2: 30, no2_ppb: 16 }));
    expect(decode(twice)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'uplink_message.decoded_payload.no2 and uplink_message.decoded_payload.no2_ppb both give no2.' });
    const halfFix = withUplink((uplink) => (uplink.decoded_payload = { no2: 30, latitude: 53.8 }));
    expect(decode(halfFix)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'uplink_message.decoded_payload.latitude is given without the other coordinate.' });
    const offTheMap = withUplink((uplink) => (uplink.locations = { user: { latitude: 153.8, longitude: -1.5 } }));
    expect(decode(offTheMap)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'uplink_message.locations.user: latitude 153.8 is outside -90 to 90.' });
    const badPeriod = withUplink((uplink) => (uplink.decoded_payload = { cars: 3, period_s: 0 }));
    expect(decode(badPeriod)).toMatchObject({ reason: 'ingest.invalid_payload', detail: 'uplink_message.decoded_payload.period_s must be a whole number of seconds from 1 to 86400.' });
  });
});
