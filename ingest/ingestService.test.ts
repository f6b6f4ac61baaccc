import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { Reading } from '../core/reading.js';
import { topicsFor } from '../core/topics.js';
import type { InsertResult } from '../db/readingsRepository.js';
import type { Reject } from '../db/rejectsRepository.js';
import { DeviceDirectory } from './deviceDirectory.js';
import { IngestService } from './ingestService.js';

const topics = topicsFor('test');
const now = new Date('2026-11-21T12:00:00Z');

class FakeMqtt extends EventEmitter {
  connected = true;
  subscriptions: string[] = [];
  published: { topic: string; payload: string; retain: boolean }[] = [];
  async subscribeAsync(topic: string) {
    this.subscriptions.push(topic);
  }
  async unsubscribeAsync(topic: string) {
    this.subscriptions = this.subscriptions.filter((t) => t !== topic);
  }
  publish(topic: string, payload: string, options: { retain?: boolean }) {
    this.published.push({ topic, payload, retain: options.retain ?? false });
  }
}

function setup(options: { failCommits?: number } = {}) {
  const mqtt = new FakeMqtt();
  const stored = new Map<string, Reading>();
  const rejects: Reject[] = [];
  let failures = options.failCommits ?? 0;
  const commit = async (readings: Reading[], batchRejects: Reject[]): Promise<InsertResult> => {
    if (failures-- > 0) throw new Error('database unavailable');
    const inserted = readings.filter((reading) => {
      const key = `${reading.deviceId}@${reading.time}`;
      if (stored.has(key)) return false;
      stored.set(key, reading);
      return true;
    });
    rejects.push(...batchRejects);
    return { inserted, duplicates: readings.length - inserted.length };
  };
  const devices = new DeviceDirectory({
    load: async () =>
      new Map([
        ['aq-001', { wardCode: 'E05000001', usrn: 11111111 }],
        ['tr-001', { wardCode: null, usrn: null }],
      ]),
  });
  const warnings: string[] = [];
  const service = new IngestService({
    mqtt: mqtt as unknown as MqttClient,
    topics,
    devices,
    commit,
    // A stand-in geography: west of -2° is ward E05000002 on street 22222222, east of it nothing.
    locate: (lon: number) => (lon < -2 ? { wardCode: 'E05000002', usrn: 22222222 } : { wardCode: null, usrn: null }),
    log: { info: () => undefined, warn: (_o, message) => warnings.push(message), error: () => undefined },
    instanceId: 'test-1',
    limits: { maxPayloadBytes: 4096, maxFutureSkewMs: 300_000, backfillWindowMs: 24 * 3600_000 },
    batchSize: 100,
    batchMaxDelayMs: 5,
    now: () => now,
    statusIntervalMs: 60_000,
  });
  const send = (topic: string, payload: unknown) => service.handle(topic, new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload)));
  return { mqtt, stored, rejects, service, send, warnings };
}

describe('IngestService', () => {
  it('subscribes at start and says it is running on its retained status topic', async () => {
    const t = setup();
    await t.service.start();
    expect(t.mqtt.subscriptions).toEqual(['test/v1/devices/+/readings']);
    const status = t.mqtt.published.find((message) => message.topic === 'test/internal/v1/ingest/test-1/status');
    expect(status?.retain).toBe(true);
    expect(JSON.parse(status?.payload ?? '{}')).toMatchObject({ instanceId: 'test-1', state: 'running' });
    await t.service.stop();
  });

  it('stores valid readings, then publishes exactly the new ones for the live map', async () => {
    const t = setup();
    await t.service.start();
    const reading = { time: '2026-11-21T11:59:00Z', values: { no2: 30 } };
    await t.send(topics.readings('aq-001'), reading);
    await t.send(topics.readings('aq-001'), reading); // a QoS 1 redelivery
    await t.service.stop();
    expect([...t.stored.keys()]).toEqual(['aq-001@2026-11-21T11:59:00.000Z']);
    const live = t.mqtt.published.filter((message) => message.topic === topics.stored).map((message) => JSON.parse(message.payload));
    expect(live).toEqual([[{ deviceId: 'aq-001', time: '2026-11-21T11:59:00.000Z', values: { no2: 30 } }]]);
    expect(t.service.status()).toMatchObject({ received: 2, stored: 1, duplicates: 1, rejected: 0, pending: 0, state: 'stopped' });
  });

  it('keeps every rejected message with its reason, device and raw payload', async () => {
    const t = setup();
    await t.service.start();
    await t.send('test/v1/devices/ghost/readings', { time: '2026-11-21T11:59:00Z', values: { no2: 1 } });
    await t.send('test/v1/other', 'x');
    await t.send(topics.readings('aq-001'), 'not json');
    await t.send(topics.readings('aq-001'), { time: '2026-11-21T11:59:00Z', values: { no2: -5 } });
    await t.service.stop();
    expect(t.rejects.map((reject) => [reject.reason, reject.deviceId, reject.topic])).toEqual([
      ['ingest.unknown_device', 'ghost', 'test/v1/devices/ghost/readings'],
      ['ingest.bad_topic', null, 'test/v1/other'],
      ['ingest.invalid_json', 'aq-001', 'test/v1/devices/aq-001/readings'],
      ['ingest.out_of_range', 'aq-001', 'test/v1/devices/aq-001/readings'],
    ]);
    expect(new TextDecoder().decode(t.rejects[2]?.payload)).toBe('not json');
    expect(t.rejects[2]?.payloadBytes).toBe(8);
    expect(t.stored.size).toBe(0);
    expect(t.service.status()).toMatchObject({ received: 4, rejected: 4, stored: 0 });
    expect(t.service.status().rejectedByReason).toEqual({
      'ingest.unknown_device': 1,
      'ingest.bad_topic': 1,
      'ingest.invalid_json': 1,
      'ingest.out_of_range': 1,
    });
  });

  it('retries a failed commit and loses nothing', async () => {
    const t = setup({ failCommits: 2 });
    await t.service.start();
    for (let minute = 0; minute < 5; minute++) {
      await t.send(topics.readings('tr-001'), { time: `2026-11-21T11:5${minute}:00Z`, values: { cars_and_taxis: minute }, period_s: 60 });
    }
    await t.service.stop();
    expect(t.stored.size).toBe(5);
    expect(t.warnings.filter((message) => message.includes('retrying'))).toHaveLength(2);
    expect(t.service.status()).toMatchObject({ stored: 5, lastError: null });
  });

  it("joins each reading to its device's ward and street, or to its own position's for a mobile reading", async () => {
    const t = setup();
    await t.service.start();
    await t.send('test/v1/devices/aq-001/readings', {
      readings: [
        { time: '2026-11-21T11:58:00Z', values: { no2: 10 } },
        { time: '2026-11-21T11:59:00Z', values: { no2: 11 }, position: { lon: -2.3, lat: 53.4 } },
        { time: '2026-11-21T11:59:30Z', values: { no2: 12 }, position: { lon: -1.5, lat: 52.5 } },
      ],
    });
    await t.service.stop();
    const stored = [...t.stored.values()].map((reading) => [reading.time, reading.place, reading.position ?? null]);
    expect(stored).toEqual([
      ['2026-11-21T11:58:00.000Z', { wardCode: 'E05000001', usrn: 11111111 }, null],
      ['2026-11-21T11:59:00.000Z', { wardCode: 'E05000002', usrn: 22222222 }, { lon: -2.3, lat: 53.4 }],
      ['2026-11-21T11:59:30.000Z', { wardCode: null, usrn: null }, { lon: -1.5, lat: 52.5 }],
    ]);
  });
});
