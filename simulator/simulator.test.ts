import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '../core/device.js';
import { NativePayloadSchema } from '../core/reading.js';
import { topicsFor } from '../core/topics.js';
import { generateDemoArea } from '../geo/demoArea.js';
import { DECODERS } from '../ingest/decoders/index.js';
import { checkReadings, type ReadingLimits } from '../ingest/validateReadings.js';
import { Simulator } from './simulator.js';

const LIMITS: ReadingLimits = { maxFutureSkewMs: 300_000, backfillWindowMs: 7 * 24 * 3_600_000 };

/** What ingest makes of a native payload from this device: decoded, then range- and time-checked. */
function decode(deviceId: string, payload: Uint8Array, now: Date) {
  const decoded = DECODERS.smartplace({ topic: `test/v1/devices/${deviceId}/readings`, topicKey: deviceId, payload }, { now });
  if (!decoded.ok) return decoded;
  return checkReadings(decoded.readings, now, LIMITS);
}
const NOW = new Date('2026-11-24T08:15:00Z');
const AIR_QUALITY_INTERVAL_MS = 60_000;

interface Published {
  topic: string;
  payload: string;
  qos: unknown;
}

/** Just enough of an MQTT client: records every publish and acknowledges it (or fails it). */
function fakeMqtt(error?: Error) {
  const published: Published[] = [];
  const client = {
    publish(topic: string, payload: string, options: { qos: unknown }, callback: (error?: Error) => void) {
      published.push({ topic, payload, qos: options.qos });
      callback(error);
    },
  };
  return { mqtt: client as unknown as MqttClient, published };
}

// Traffic counters count over 5 minutes here, so their period cannot be confused with the
// air-quality interval.
const devices = generateDemoArea({ airQualityIntervalS: 60, trafficIntervalS: 300 }).devices;
const airQuality = devices.filter((device) => device.kind === 'air_quality');
const traffic = devices.filter((device) => device.kind === 'traffic');

function simulator(overrides: { mqtt?: MqttClient; now?: () => Date; warn?: (object: object, message: string) => void } = {}) {
  return new Simulator({
    mqtt: overrides.mqtt ?? fakeMqtt().mqtt,
    topics: topicsFor('smartplace'),
    devices,
    intervalMs: AIR_QUALITY_INTERVAL_MS,
    log: { warn: overrides.warn ?? (() => {}) },
    now: overrides.now ?? (() => NOW),
  });
}

const encode = (payload: unknown) => new TextEncoder().encode(JSON.stringify(payload));

describe('Simulator.payloadFor', () => {
  it('sends, for every demo device over an hour, payloads that ingest accepts', () => {
    expect(airQuality).toHaveLength(12);
    expect(traffic).toHaveLength(8);
    const sim = simulator();
    for (const device of devices) {
      for (let minute = 0; minute < 60; minute++) {
        const time = new Date(NOW.getTime() + minute * 60_000);
        const payload = sim.payloadFor(device, time);
        expect(NativePayloadSchema.safeParse(payload).success, device.id).toBe(true);
        const decoded = decode(device.id, encode(payload), time);
        if (!decoded.ok) throw new Error(`${device.id} at ${time.toISOString()}: ${decoded.reason} ${decoded.detail}`);
        expect(decoded.readings).toHaveLength(1);
        expect(decoded.readings[0]?.time).toBe(time.toISOString());
      }
    }
  });

  it('gives traffic payloads a count period equal to the device interval, and air-quality payloads none', () => {
    const sim = simulator();
    for (const device of traffic) {
      const payload = sim.payloadFor(device, NOW);
      expect(payload).toMatchObject({ period_s: 300 });
      const decoded = decode(device.id, encode(payload), NOW);
      expect(decoded.ok && decoded.readings[0]?.periodS).toBe(300);
    }
    for (const device of airQuality) expect(sim.payloadFor(device, NOW)).not.toHaveProperty('period_s');
  });

  it('measures pollutants on air-quality devices and counts on traffic devices', () => {
    const sim = simulator();
    const metricsOf = (device: Device) => {
      const payload = sim.payloadFor(device, NOW);
      return 'values' in payload ? Object.keys(payload.values).sort() : [];
    };
    expect(metricsOf(airQuality[0] as Device)).toEqual(['humidity', 'no2', 'o3', 'pm10', 'pm25', 'temperature']);
    expect(metricsOf(traffic[0] as Device)).toEqual([
      'all_hgvs', 'buses_and_coaches', 'cars_and_taxis', 'lgvs', 'pedal_cycles', 'speed_kmh', 'two_wheeled_motor_vehicles',
    ]);
  });
});

describe('Simulator.start and stop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const topicOf = (device: Device) => `smartplace/v1/devices/${device.id}/readings`;
  const countFor = (published: readonly Published[], device: Device) => published.filter((message) => message.topic === topicOf(device)).length;

  it('publishes once per device straight away, at QoS 1, to its readings topic', () => {
    const { mqtt, published } = fakeMqtt();
    const sim = simulator({ mqtt, now: () => new Date() });
    sim.start();
    expect(published.map((message) => message.topic).sort()).toEqual(devices.map(topicOf).sort());
    for (const message of published) {
      expect(message.qos).toBe(1);
      const deviceId = message.topic.split('/')[3] as string;
      const decoded = decode(deviceId, new TextEncoder().encode(message.payload), NOW);
      expect(decoded.ok, message.topic).toBe(true);
    }
    sim.stop();
  });

  // "One message per device per interval": after the message at start-up, the next one is due within
  // one interval (staggered inside it), not up to two intervals later.
  it('has every air-quality device publish again within one air-quality interval', () => {
    const { mqtt, published } = fakeMqtt();
    const sim = simulator({ mqtt });
    sim.start();
    vi.advanceTimersByTime(AIR_QUALITY_INTERVAL_MS);
    const missing = airQuality.filter((device) => countFor(published, device) < 2).map((device) => device.id);
    sim.stop();
    expect(missing).toEqual([]);
  });

  it('settles to one message per air-quality device per interval', () => {
    const { mqtt, published } = fakeMqtt();
    const sim = simulator({ mqtt });
    sim.start();
    vi.advanceTimersByTime(2 * AIR_QUALITY_INTERVAL_MS);
    const before = airQuality.map((device) => countFor(published, device));
    vi.advanceTimersByTime(AIR_QUALITY_INTERVAL_MS);
    const after = airQuality.map((device) => countFor(published, device));
    sim.stop();
    expect(after.map((count, i) => count - (before[i] as number))).toEqual(airQuality.map(() => 1));
  });

  it('publishes traffic counts once per count period', () => {
    const { mqtt, published } = fakeMqtt();
    const sim = simulator({ mqtt });
    sim.start();
    vi.advanceTimersByTime(2 * 300_000);
    const before = traffic.map((device) => countFor(published, device));
    vi.advanceTimersByTime(300_000);
    const after = traffic.map((device) => countFor(published, device));
    sim.stop();
    expect(after.map((count, i) => count - (before[i] as number))).toEqual(traffic.map(() => 1));
  });

  it('stops publishing on stop(), before or after the repeating timers have started', () => {
    const early = fakeMqtt();
    const first = simulator({ mqtt: early.mqtt });
    first.start();
    first.stop();
    vi.advanceTimersByTime(10 * 300_000);
    expect(early.published).toHaveLength(20);

    const late = fakeMqtt();
    const second = simulator({ mqtt: late.mqtt });
    second.start();
    vi.advanceTimersByTime(3 * 300_000);
    second.stop();
    const sent = late.published.length;
    expect(sent).toBeGreaterThan(20);
    vi.advanceTimersByTime(10 * 300_000);
    expect(late.published).toHaveLength(sent);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('logs each publish that fails, naming the device', () => {
    const warnings: object[] = [];
    const sim = simulator({ mqtt: fakeMqtt(new Error('connection lost')).mqtt, warn: (object) => warnings.push(object) });
    sim.start();
    sim.stop();
    expect(warnings).toHaveLength(20);
    expect(warnings[0]).toMatchObject({ device: 'aq-001' });
  });
});
