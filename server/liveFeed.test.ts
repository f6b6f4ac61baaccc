import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { IngestStatus } from '../core/health.js';
import type { LiveReading } from '../core/reading.js';
import { topicsFor } from '../core/topics.js';
import { LiveFeed } from './liveFeed.js';

const topics = topicsFor('smartplace');
const STORED = 'smartplace/internal/v1/stored';
const STATUS_BOX_1 = 'smartplace/internal/v1/ingest/box-1/status';

class FakeMqtt extends EventEmitter {
  readonly subscriptions: { topics: string | string[]; options: unknown }[] = [];

  async subscribeAsync(topicObject: string | string[], options?: unknown): Promise<[]> {
    this.subscriptions.push({ topics: topicObject, options });
    return [];
  }

  deliver(topic: string, payload: string): void {
    this.emit('message', topic, Buffer.from(payload, 'utf8'));
  }
}

const readings: LiveReading[] = [
  { deviceId: 'aq-001', time: '2024-03-01T10:00:00.000Z', values: { no2: 41.5, pm25: 9 } },
  { deviceId: 'tr-001', time: '2024-03-01T10:00:00.000Z', values: { cars_and_taxis: 12 }, periodS: 300 },
];

function status(overrides: Partial<IngestStatus> = {}): IngestStatus {
  return { instanceId: 'box-1', state: 'running', since: '2024-03-01T09:00:00.000Z', stored: 10, ...overrides };
}

async function started(options: { now?: () => number } = {}) {
  const mqtt = new FakeMqtt();
  const received: LiveReading[][] = [];
  const warnings: { object: object; message: string }[] = [];
  const feed = new LiveFeed({
    mqtt: mqtt as unknown as MqttClient,
    topics,
    onReadings: (batch) => received.push(batch),
    log: { warn: (object, message) => warnings.push({ object, message }) },
    ...options,
  });
  await feed.start();
  return { mqtt, feed, received, warnings };
}

describe('LiveFeed', () => {
  it('subscribes to the stored-readings topic and every ingest status', async () => {
    const { mqtt } = await started();
    expect(mqtt.subscriptions.map((subscription) => subscription.topics)).toEqual([[STORED, 'smartplace/internal/v1/ingest/+/status']]);
  });

  it('hands a valid stored-readings message to onReadings', async () => {
    const { mqtt, received, warnings } = await started();
    mqtt.deliver(STORED, JSON.stringify(readings));
    expect(received).toEqual([readings]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['malformed JSON', '[{"deviceId": "aq-001",'],
    ['an object instead of an array', JSON.stringify(readings[0])],
    ['a reading without a time', JSON.stringify([{ deviceId: 'aq-001', values: { no2: 1 } }])],
    ['a device id with a space', JSON.stringify([{ ...readings[0], deviceId: 'a b' }])],
  ])('ignores %s on the stored topic and logs a warning', async (_what, payload) => {
    const { mqtt, received, warnings } = await started();
    mqtt.deliver(STORED, payload);
    expect(received).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.object).toMatchObject({ topic: STORED });
  });

  it('does not call onReadings for an empty batch, and does not warn about it', async () => {
    const { mqtt, received, warnings } = await started();
    mqtt.deliver(STORED, '[]');
    expect(received).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('keeps each instance status with the time it arrived', async () => {
    let now = Date.UTC(2024, 2, 1, 12);
    const { mqtt, feed } = await started({ now: () => now });
    mqtt.deliver(STATUS_BOX_1, JSON.stringify(status()));
    now += 5000;
    mqtt.deliver('smartplace/internal/v1/ingest/box-2/status', JSON.stringify(status({ instanceId: 'box-2', state: 'starting' })));
    expect(feed.ingestInstances()).toEqual([
      { status: status(), receivedAt: Date.UTC(2024, 2, 1, 12) },
      { status: status({ instanceId: 'box-2', state: 'starting' }), receivedAt: Date.UTC(2024, 2, 1, 12, 0, 5) },
    ]);
  });

  it('replaces an instance status with a later one', async () => {
    let now = Date.UTC(2024, 2, 1, 12);
    const { mqtt, feed } = await started({ now: () => now });
    mqtt.deliver(STATUS_BOX_1, JSON.stringify(status()));
    now += 5000;
    mqtt.deliver(STATUS_BOX_1, JSON.stringify(status({ stored: 25 })));
    expect(feed.ingestInstances()).toEqual([{ status: status({ stored: 25 }), receivedAt: Date.UTC(2024, 2, 1, 12, 0, 5) }]);
  });

  it('ignores an empty payload (a cleared retained status) without warning', async () => {
    const now = Date.UTC(2024, 2, 1, 12);
    const { mqtt, feed, warnings } = await started({ now: () => now });
    mqtt.deliver(STATUS_BOX_1, JSON.stringify(status()));
    mqtt.deliver(STATUS_BOX_1, '');
    expect(feed.ingestInstances()).toEqual([{ status: status(), receivedAt: now }]);
    expect(warnings).toEqual([]);
  });

  it('ignores a malformed status and logs a warning', async () => {
    const { mqtt, feed, warnings } = await started();
    mqtt.deliver(STATUS_BOX_1, JSON.stringify({ instanceId: 'box-1', state: 'dancing', since: '2024-03-01T09:00:00Z' }));
    mqtt.deliver(STATUS_BOX_1, 'not json');
    expect(feed.ingestInstances()).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]?.object).toEqual({ topic: STATUS_BOX_1 });
  });

  it('ignores a status whose instance id does not match its topic, and topics that are not statuses', async () => {
    const { mqtt, feed, warnings } = await started();
    mqtt.deliver(STATUS_BOX_1, JSON.stringify(status({ instanceId: 'box-2' })));
    mqtt.deliver('smartplace/internal/v1/ingest/box-1/other', JSON.stringify(status()));
    mqtt.deliver('smartplace/internal/v1/ingest/a/b/status', JSON.stringify(status({ instanceId: 'a/b' })));
    expect(feed.ingestInstances()).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('ignores messages on other topics', async () => {
    const { mqtt, feed, received, warnings } = await started();
    mqtt.deliver('smartplace/v1/devices/aq-001/readings', JSON.stringify(readings));
    mqtt.deliver('other/internal/v1/stored', JSON.stringify(readings));
    expect(received).toEqual([]);
    expect(feed.ingestInstances()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('ignores everything after stop()', async () => {
    const { mqtt, feed, received } = await started();
    feed.stop();
    mqtt.deliver(STORED, JSON.stringify(readings));
    mqtt.deliver(STATUS_BOX_1, JSON.stringify(status()));
    expect(received).toEqual([]);
    expect(feed.ingestInstances()).toEqual([]);
    expect(mqtt.listenerCount('message')).toBe(0);
  });
});
