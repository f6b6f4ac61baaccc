import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { Reading } from '../core/reading.js';
import { DEFAULT_TOPIC_PATTERNS, topicRoutes } from '../core/topicRoutes.js';
import { topicsFor } from '../core/topics.js';
import type { RegistryEntry } from '../db/devicesRepository.js';
import type { InsertResult } from '../db/readingsRepository.js';
import type { Reject } from '../db/rejectsRepository.js';
import { DeviceDirectory } from './deviceDirectory.js';
import { IngestMetrics } from './ingestMetrics.js';
import { IngestService, type IngestMessage, type IngestSource } from './ingestService.js';

const topics = topicsFor('test');
const now = new Date('2026-11-21T12:00:00Z');

class FakePublisher {
  connected = true;
  published: { topic: string; payload: string; retain: boolean }[] = [];
  publish(topic: string, payload: string, options: { retain?: boolean }) {
    this.published.push({ topic, payload, retain: options.retain ?? false });
  }
}

class FakeSource implements IngestSource {
  connected = true;
  paused = false;
  pauses = 0;
  onMessage: ((message: IngestMessage) => void) | undefined;
  async start(onMessage: (message: IngestMessage) => void) {
    this.onMessage = onMessage;
  }
  pause() {
    this.paused = true;
    this.pauses++;
  }
  resume() {
    this.paused = false;
  }
  held = false;
  hold() {
    this.held = true;
  }
  async stop() {
    this.onMessage = undefined;
  }
}

const REGISTRY: RegistryEntry[] = [
  { id: 'aq-001', payloadFormat: 'smartplace', mobile: false, retired: false, expectedIntervalS: 60, place: { wardCode: 'E05000001', usrn: 11111111 }, keys: [] },
  { id: 'tr-001', payloadFormat: 'smartplace', mobile: false, retired: false, expectedIntervalS: 60, place: { wardCode: null, usrn: null }, keys: [] },
  { id: 'bike-1', payloadFormat: 'smartplace', mobile: true, retired: false, expectedIntervalS: 60, place: { wardCode: 'E05000001', usrn: 11111111 }, keys: [] },
  { id: 'old-1', payloadFormat: 'smartplace', mobile: false, retired: true, expectedIntervalS: 60, place: { wardCode: null, usrn: null }, keys: [] },
  {
    id: 'lora-7',
    payloadFormat: 'chirpstack-v4',
    mobile: false,
    retired: false,
    expectedIntervalS: 60,
    place: { wardCode: 'E05000003', usrn: null },
    keys: [{ payloadFormat: 'chirpstack-v4', key: '0004a30b001c0530' }],
  },
];

function setup(options: { failCommits?: number; maxPending?: number; batchSize?: number; registry?: () => RegistryEntry[] | Promise<RegistryEntry[]> } = {}) {
  const publisher = new FakePublisher();
  const source = new FakeSource();
  const stored = new Map<string, Reading>();
  const rejects: Reject[] = [];
  const events: string[] = [];
  let failures = options.failCommits ?? 0;
  let release: (() => void) | undefined;
  let holding = false;
  const commit = async (readings: Reading[], batchRejects: Reject[]): Promise<InsertResult> => {
    if (holding) await new Promise<void>((resolve) => (release = resolve));
    if (failures-- > 0) throw new Error('database unavailable');
    const inserted = readings.filter((reading) => {
      const key = `${reading.deviceId}@${reading.time}`;
      if (stored.has(key)) return false;
      stored.set(key, reading);
      return true;
    });
    rejects.push(...batchRejects);
    events.push(`commit ${readings.length + batchRejects.length}`);
    return { inserted, duplicates: readings.length - inserted.length };
  };
  const devices = new DeviceDirectory({ load: async () => (options.registry ?? (() => REGISTRY))(), missReloadMs: 0 });
  const warnings: string[] = [];
  const metrics = new IngestMetrics();
  const service = new IngestService({
    source,
    mqtt: publisher as unknown as MqttClient,
    topics,
    routes: topicRoutes('test', DEFAULT_TOPIC_PATTERNS),
    devices,
    commit,
    // A stand-in geography: west of -2° is ward E05000002 on street 22222222, east of it nothing.
    locate: (lon: number) => (lon < -2 ? { wardCode: 'E05000002', usrn: 22222222 } : { wardCode: null, usrn: null }),
    log: { info: () => undefined, warn: (_o, message) => warnings.push(message), error: () => undefined },
    instanceId: 'test-1',
    limits: { maxPayloadBytes: 4096, maxFutureSkewMs: 300_000, backfillWindowMs: 24 * 3600_000 },
    batchSize: options.batchSize ?? 100,
    batchMaxDelayMs: 5,
    maxPending: options.maxPending ?? 10_000,
    metrics,
    now: () => now,
    statusIntervalMs: 60_000,
  });
  let sent = 0;
  const send = (topic: string, payload: unknown, redelivered = false) => {
    const id = ++sent;
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    source.onMessage?.({ topic, payload: new TextEncoder().encode(body), redelivered, ack: () => events.push(`ack ${id}`) });
  };
  return {
    publisher,
    source,
    stored,
    rejects,
    events,
    service,
    send,
    warnings,
    metrics,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      release?.();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('IngestService', () => {
  it('says it is running on its retained status topic once its source has started', async () => {
    const t = setup();
    await t.service.start();
    expect(t.source.onMessage).toBeDefined();
    const status = t.publisher.published.find((message) => message.topic === 'test/internal/v1/ingest/test-1/status');
    expect(status?.retain).toBe(true);
    expect(JSON.parse(status?.payload ?? '{}')).toMatchObject({ instanceId: 'test-1', state: 'running' });
    await t.service.stop();
  });

  it('stores valid readings once, publishes the new ones, and acknowledges each message only after its commit', async () => {
    const t = setup();
    await t.service.start();
    const reading = { time: '2026-11-21T11:59:00Z', values: { no2: 30 } };
    t.hold();
    t.send(topics.readings('aq-001'), reading);
    t.send(topics.readings('aq-001'), reading, true); // a QoS 1 redelivery
    await settle();
    expect(t.events).toEqual([]); // nothing acknowledged while the commit is under way
    t.release();
    await t.service.stop();
    expect(t.events).toEqual(['commit 2', 'ack 1', 'ack 2']);
    expect([...t.stored.keys()]).toEqual(['aq-001@2026-11-21T11:59:00.000Z']);
    const live = t.publisher.published.filter((message) => message.topic === topics.stored).map((message) => JSON.parse(message.payload));
    expect(live).toEqual([[{ deviceId: 'aq-001', time: '2026-11-21T11:59:00.000Z', values: { no2: 30 } }]]);
    expect(t.service.status()).toMatchObject({ received: 2, stored: 1, duplicates: 1, rejected: 0, pending: 0, state: 'stopped' });
  });

  it('keeps every rejected message with its reason, device, format and raw payload, and acknowledges it once kept', async () => {
    const t = setup();
    await t.service.start();
    t.send('test/v1/devices/ghost/readings', { time: '2026-11-21T11:59:00Z', values: { no2: 1 } });
    t.send('test/v1/other', 'x');
    t.send(topics.readings('aq-001'), 'not json');
    t.send(topics.readings('aq-001'), { time: '2026-11-21T11:59:00Z', values: { no2: -5 } });
    t.send(topics.readings('old-1'), { time: '2026-11-21T11:59:00Z', values: { no2: 5 } });
    t.send(topics.readings('aq-001'), { time: '2026-11-21T12:10:00Z', values: { no2: 5 } });
    t.send(topics.readings('aq-001'), { time: '2026-11-19T12:00:00Z', values: { no2: 5 } });
    t.send(topics.readings('aq-001'), 'x'.repeat(4097));
    await t.service.stop();
    expect(t.rejects.map((reject) => [reject.reason, reject.deviceId, reject.payloadFormat])).toEqual([
      ['ingest.unknown_device', 'ghost', 'smartplace'],
      ['ingest.bad_topic', null, null],
      ['ingest.invalid_json', 'aq-001', 'smartplace'],
      ['ingest.out_of_range', 'aq-001', 'smartplace'],
      ['ingest.retired_device', 'old-1', 'smartplace'],
      ['ingest.time_in_future', 'aq-001', 'smartplace'],
      ['ingest.too_old', 'aq-001', 'smartplace'],
      ['ingest.payload_too_large', 'aq-001', 'smartplace'],
    ]);
    expect(t.rejects[0]?.detail).toBe('no registered smartplace device is known as "ghost"');
    expect(new TextDecoder().decode(t.rejects[2]?.payload)).toBe('not json');
    expect(t.rejects[2]?.payloadBytes).toBe(8);
    expect(t.stored.size).toBe(0);
    expect(t.events.filter((event) => event.startsWith('ack'))).toHaveLength(8);
    expect(t.service.status()).toMatchObject({ received: 8, rejected: 8, stored: 0 });
    expect(t.service.status().rejectedByReason).toMatchObject({ 'ingest.unknown_device': 1, 'ingest.payload_too_large': 1 });
    const text = await t.metrics.registry.metrics();
    expect(text).toContain('smartplace_ingest_messages_rejected_total{reason="ingest.out_of_range"} 1');
    expect(text).toContain('smartplace_ingest_messages_received_total{format="smartplace"} 7');
    expect(text).toContain('smartplace_ingest_messages_received_total{format="none"} 1');
  });

  it('decodes each format on its own topics and finds the device by the name the format uses', async () => {
    const t = setup();
    await t.service.start();
    t.send('application/5f1d/device/0004a30b001c0530/event/up', {
      time: '2026-11-21T11:59:00Z',
      deviceInfo: { devEui: '0004a30b001c0530', deviceName: 'lora-7' },
      object: { no2_ppb: 20 },
    });
    await t.service.stop();
    expect([...t.stored.values()].map((reading) => [reading.deviceId, reading.values, reading.place])).toEqual([
      ['lora-7', { no2: 38.2 }, { wardCode: 'E05000003', usrn: null }],
    ]);
  });

  it('splits a big batch of new readings into several messages for the live feed', async () => {
    const t = setup({ batchSize: 2500 });
    await t.service.start();
    for (let second = 0; second < 2500; second++) {
      t.send(topics.readings('aq-001'), { time: new Date(now.getTime() - 3_600_000 + second * 1000).toISOString(), values: { no2: 1 } });
    }
    await t.service.stop();
    const live = t.publisher.published.filter((message) => message.topic === topics.stored).map((message) => JSON.parse(message.payload) as unknown[]);
    expect(live.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
  });

  it('retries a failed commit, loses nothing, and acknowledges only after the retry succeeds', async () => {
    const t = setup({ failCommits: 2 });
    await t.service.start();
    for (let minute = 0; minute < 5; minute++) {
      t.send(topics.readings('tr-001'), { time: `2026-11-21T11:5${minute}:00Z`, values: { cars_and_taxis: minute }, period_s: 60 });
    }
    await t.service.stop();
    expect(t.stored.size).toBe(5);
    expect(t.warnings.filter((message) => message.includes('retrying'))).toHaveLength(2);
    expect(t.events).toEqual(['commit 5', 'ack 1', 'ack 2', 'ack 3', 'ack 4', 'ack 5']);
    expect(t.service.status()).toMatchObject({ stored: 5, lastError: null });
  });

  it('pauses its source while too much waits for the database, and resumes once half has been written', async () => {
    const t = setup({ maxPending: 10, batchSize: 4 });
    await t.service.start();
    t.hold();
    for (let second = 0; second < 10; second++) {
      t.send(topics.readings('aq-001'), { time: `2026-11-21T11:59:0${second}Z`, values: { no2: second } });
    }
    expect(t.source.paused).toBe(true);
    t.release();
    await t.service.stop();
    expect(t.source.pauses).toBeGreaterThanOrEqual(1);
    expect(t.stored.size).toBe(10);
    expect(t.warnings.some((message) => message.includes('pausing intake'))).toBe(true);
  });

  it('joins a fixed device by its own place and a mobile device where each reading was taken', async () => {
    const t = setup();
    await t.service.start();
    t.send(topics.readings('aq-001'), { time: '2026-11-21T11:58:00Z', values: { no2: 10 }, position: { lon: -2.3, lat: 53.4 } });
    t.send(topics.readings('bike-1'), {
      readings: [
        { time: '2026-11-21T11:59:00Z', values: { no2: 11 }, position: { lon: -2.3, lat: 53.4 } },
        { time: '2026-11-21T11:59:30Z', values: { no2: 12 }, position: { lon: -1.5, lat: 52.5 } },
        { time: '2026-11-21T11:59:40Z', values: { no2: 13 } },
      ],
    });
    await t.service.stop();
    const stored = [...t.stored.values()].map((reading) => [reading.deviceId, reading.place, reading.position ?? null]);
    expect(stored).toEqual([
      // A fixed device stays where it is registered, whatever position a message carries.
      ['aq-001', { wardCode: 'E05000001', usrn: 11111111 }, null],
      ['bike-1', { wardCode: 'E05000002', usrn: 22222222 }, { lon: -2.3, lat: 53.4 }],
      ['bike-1', { wardCode: null, usrn: null }, { lon: -1.5, lat: 52.5 }],
      // A mobile reading without a fix is kept, joined to nothing rather than to a guess.
      ['bike-1', { wardCode: null, usrn: null }, null],
    ]);
  });

  it('stops taking messages when told to stop, leaves late ones unacknowledged, and does not resume', async () => {
    const t = setup({ maxPending: 4, batchSize: 2 });
    await t.service.start();
    t.hold();
    for (let second = 0; second < 4; second++) t.send(topics.readings('aq-001'), { time: `2026-11-21T11:59:0${second}Z`, values: { no2: second } });
    expect(t.source.paused).toBe(true);
    const stopping = t.service.stop();
    expect(t.source.held).toBe(true);
    // A message the source had already read arrives during shutdown: not taken, not acknowledged.
    t.send(topics.readings('aq-001'), { time: '2026-11-21T11:59:09Z', values: { no2: 9 } });
    t.release();
    await stopping;
    expect(t.stored.size).toBe(4);
    expect(t.events.filter((event) => event.startsWith('ack'))).toEqual(['ack 1', 'ack 2', 'ack 3', 'ack 4']);
    expect(t.source.paused).toBe(true); // never resumed while stopping
  });

  it('pauses its source while messages pile up behind a slow registry reload', async () => {
    let answer: (() => void) | undefined;
    let calls = 0;
    const t = setup({
      maxPending: 3,
      // The start's load answers; the reload for an unknown device hangs, as on a stalled database.
      registry: () => (++calls === 1 ? REGISTRY : new Promise<RegistryEntry[]>((resolve) => (answer = () => resolve(REGISTRY)))),
    });
    await t.service.start();
    t.send(topics.readings('ghost'), { time: '2026-11-21T11:59:00Z', values: { no2: 1 } });
    for (let second = 0; second < 3; second++) t.send(topics.readings('aq-001'), { time: `2026-11-21T11:59:0${second}Z`, values: { no2: second } });
    expect(t.source.paused).toBe(true);
    answer?.();
    await t.service.stop();
    expect(t.stored.size).toBe(3);
    expect(t.rejects.map((reject) => reject.reason)).toEqual(['ingest.unknown_device']);
    expect(calls).toBe(2);
  });

  it('reloads the registry for an unknown device and keeps later messages in order meanwhile', async () => {
    let registry = REGISTRY;
    const t = setup({ registry: () => registry });
    await t.service.start();
    registry = [...REGISTRY, { id: 'new-1', payloadFormat: 'smartplace', mobile: false, retired: false, expectedIntervalS: 60, place: { wardCode: null, usrn: null }, keys: [] }];
    t.send(topics.readings('new-1'), { time: '2026-11-21T11:59:00Z', values: { no2: 1 } });
    t.send(topics.readings('aq-001'), { time: '2026-11-21T11:59:00Z', values: { no2: 2 } });
    await t.service.stop();
    expect([...t.stored.values()].map((reading) => reading.deviceId)).toEqual(['new-1', 'aq-001']);
    expect(t.events.filter((event) => event.startsWith('ack'))).toEqual(['ack 1', 'ack 2']);
  });
});
