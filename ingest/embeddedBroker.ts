import { Aedes } from 'aedes';
import { createServer, type Server } from 'node:net';
import type { PortSetting } from '../core/config.js';
import { listenWithFallback, localHost } from '../core/portFallback.js';

/**
 * The in-process MQTT broker for the all-in-one mode: aedes 2 (MQTT 3.1.1 and 5; aedes 1.x refuses
 * MQTT 5 connections). With MQTT_URL set, an external broker is used and this never starts.
 */

/**
 * Takes a device's message before the broker acknowledges it: returns true if it took the message,
 * and then calls `done` once the message is durable; only then does the device get its PUBACK.
 */
export type PublishInterceptor = (message: { topic: string; payload: Buffer; redelivered: boolean }, done: () => void) => boolean;

export interface EmbeddedBroker {
  port: number;
  fellBackFrom?: number;
  url: string;
  /** Installs (or with undefined removes) the interceptor ingest uses in the all-in-one mode. */
  intercept(interceptor: PublishInterceptor | undefined): void;
  close(): Promise<void>;
}

/**
 * `holds(topic)` says which topics are device messages: until an interceptor is installed (ingest
 * starting) and after it is removed (ingest stopped), those are held unacknowledged, never passed on
 * as if stored. Held messages go to the next interceptor installed.
 */
export async function startEmbeddedBroker(host: string, port: PortSetting, holds: (topic: string) => boolean): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  type Message = Parameters<PublishInterceptor>[0];
  let interceptor: PublishInterceptor | undefined;
  let held: { message: Message; done: () => void }[] = [];
  const offer = (message: Message, done: () => void) => {
    if (interceptor) return interceptor(message, done);
    if (!holds(message.topic)) return false;
    held.push({ message, done });
    return true;
  };
  // aedes sends a QoS 1 PUBACK only after authorizePublish calls back, and reads a connection's next
  // packets only once those already read are handled: holding the callback until ingest has
  // committed is both the durability guarantee and the backpressure.
  broker.authorizePublish = (client, packet, callback) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const taken = client !== null && offer({ topic: packet.topic, payload, redelivered: packet.dup }, () => callback(null));
    if (!taken) callback(null);
  };
  let server: Server | undefined;
  const choice = await listenWithFallback(port, 'MQTT_PORT', (candidate) => {
    const attempt = createServer(broker.handle);
    return new Promise<number>((resolve, reject) => {
      attempt.once('error', reject);
      attempt.listen(candidate, host, () => {
        attempt.off('error', reject);
        server = attempt;
        const address = attempt.address();
        resolve(typeof address === 'object' && address ? address.port : candidate);
      });
    });
  });
  return {
    port: choice.port,
    ...(choice.fellBackFrom === undefined ? {} : { fellBackFrom: choice.fellBackFrom }),
    url: `mqtt://${localHost(host)}:${choice.port}`,
    intercept: (next) => {
      interceptor = next;
      if (!next) return;
      const waiting = held;
      held = [];
      for (const { message, done } of waiting) if (!offer(message, done)) done();
    },
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
