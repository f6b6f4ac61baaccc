import mqtt, { type MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MqttSubscriber, type InboundMessage } from '../../ingest/mqttSubscriber.js';
import { endMqttSession } from '../support/mosquitto.js';

/**
 * The ack-after-commit subscriber against the machine's real Mosquitto (127.0.0.1:1883): a message
 * not yet acknowledged is redelivered after a reconnect; an acknowledged one is not; a paused
 * subscriber takes nothing until resumed. Each test uses topics and client ids of its own.
 */

const BROKER = 'mqtt://127.0.0.1:1883';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function publisher(): Promise<MqttClient> {
  const client = await mqtt.connectAsync(BROKER, { protocolVersion: 5 });
  cleanups.push(() => client.endAsync());
  return client;
}

function subscriber(clientId: string, filter: string, received: InboundMessage[], sessionExpiryS = 60): MqttSubscriber {
  const sub = new MqttSubscriber({
    url: BROKER,
    clientId,
    filters: [filter],
    sessionExpiryS,
    receiveMaximum: 100,
    reconnectMinMs: 100,
    onMessage: (message) => received.push(message),
    log: quiet,
  });
  cleanups.push(() => sub.stop());
  return sub;
}

/** A client id and topic of this test's own; its session is ended on the broker afterwards. */
function ownSession(): { id: string; topic: string } {
  const id = `sub-test-${randomBytes(4).toString('hex')}`;
  cleanups.push(() => endMqttSession(BROKER, id));
  return { id, topic: `${id}/readings` };
}

describe('MqttSubscriber on Mosquitto', () => {
  it('gets an unacknowledged message again, marked as a redelivery, after a reconnect; not an acknowledged one', async () => {
    const { id, topic } = ownSession();
    const first: InboundMessage[] = [];
    const sub = subscriber(id, topic, first);
    await sub.start();
    const pub = await publisher();
    await pub.publishAsync(topic, 'one', { qos: 1 });
    await pub.publishAsync(topic, 'two', { qos: 1 });
    await vi.waitFor(() => expect(first.map((m) => m.payload.toString())).toEqual(['one', 'two']));
    first[0]?.ack(); // "one" committed; "two" not yet
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sub.stop(); // as if ingest had died before committing "two"

    const second: InboundMessage[] = [];
    const again = subscriber(id, topic, second);
    await again.start();
    await vi.waitFor(() => expect(second.map((m) => [m.payload.toString(), m.redelivered])).toEqual([['two', true]]));
    // A stale ack, from the connection that is gone, does nothing.
    first[1]?.ack();
    second[0]?.ack();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await again.stop();
    const third: InboundMessage[] = [];
    await subscriber(id, topic, third).start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(third).toEqual([]);
  });

  it('queues messages in the broker while it is away, and delivers them when it is back', async () => {
    const { id, topic } = ownSession();
    const first: InboundMessage[] = [];
    const sub = subscriber(id, topic, first);
    await sub.start();
    await sub.stop();
    const pub = await publisher();
    for (let i = 0; i < 5; i++) await pub.publishAsync(topic, `m${i}`, { qos: 1 });
    const second: InboundMessage[] = [];
    await subscriber(id, topic, second).start();
    await vi.waitFor(() => expect(second.map((m) => m.payload.toString())).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']));
  });

  it('takes nothing while paused and everything once resumed', async () => {
    const { id, topic } = ownSession();
    const received: InboundMessage[] = [];
    const sub = subscriber(id, topic, received);
    await sub.start();
    sub.pause();
    const pub = await publisher();
    for (let i = 0; i < 3; i++) await pub.publishAsync(topic, `m${i}`, { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual([]);
    sub.resume();
    await vi.waitFor(() => expect(received).toHaveLength(3));
    for (const message of received) message.ack();
  });

  it('reports a broker it cannot reach, and a subscription the broker will not take', async () => {
    const unreachable = new MqttSubscriber({
      url: 'mqtt://127.0.0.1:1',
      clientId: 'nobody',
      filters: ['x'],
      sessionExpiryS: 0,
      receiveMaximum: 10,
      onMessage: () => undefined,
      log: quiet,
    });
    await expect(unreachable.start()).rejects.toMatchObject({ code: 'mqtt.unreachable' });
    const { id } = ownSession();
    // Mosquitto answers an invalid filter by closing the connection rather than with a SUBACK code.
    const refused = subscriber(id, 'a/#/b', []);
    await expect(refused.start()).rejects.toThrow(/cannot connect to the MQTT broker: the connection closed/);
  });
});
