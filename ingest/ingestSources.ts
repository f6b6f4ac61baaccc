import type { TopicRoute } from '../core/topicRoutes.js';
import { routeTopic } from '../core/topicRoutes.js';
import type { EmbeddedBroker } from './embeddedBroker.js';
import type { IngestMessage, IngestSource } from './ingestService.js';
import { MqttSubscriber, type MqttSubscriberOptions } from './mqttSubscriber.js';

/**
 * Where ingest's messages come from: a subscription on an external broker (acknowledged after
 * commit, see mqttSubscriber.ts), or, in the all-in-one mode, the embedded broker itself, which
 * holds each device's PUBACK until ingest has committed the message.
 */

export class SubscriptionSource implements IngestSource {
  private subscriber: MqttSubscriber | undefined;

  constructor(private readonly options: Omit<MqttSubscriberOptions, 'onMessage'>) {}

  get connected(): boolean {
    return this.subscriber?.connected ?? false;
  }

  async start(onMessage: (message: IngestMessage) => void): Promise<void> {
    this.subscriber = new MqttSubscriber({
      ...this.options,
      onMessage: ({ topic, payload, redelivered, ack }) => onMessage({ topic, payload, redelivered, ack }),
    });
    await this.subscriber.start();
  }

  pause(): void {
    this.subscriber?.pause();
  }

  resume(): void {
    this.subscriber?.resume();
  }

  hold(): void {
    this.subscriber?.pause();
  }

  async stop(): Promise<void> {
    await this.subscriber?.stop();
  }
}

export class EmbeddedBrokerSource implements IngestSource {
  readonly connected = true;

  constructor(
    private readonly broker: EmbeddedBroker,
    private readonly routes: readonly TopicRoute[],
  ) {}

  async start(onMessage: (message: IngestMessage) => void): Promise<void> {
    this.broker.intercept(({ topic, payload, redelivered }, done) => {
      if (!routeTopic(this.routes, topic)) return false;
      onMessage({ topic, payload, redelivered, ack: done });
      return true;
    });
  }

  // Nothing to do: the broker reads a device's next messages only once ingest has acknowledged the
  // ones it holds, so a slow database already slows the devices.
  pause(): void {}

  resume(): void {}

  /** From now on device messages are held unacknowledged (the device sends them again later). */
  hold(): void {
    this.broker.intercept(undefined);
  }

  async stop(): Promise<void> {
    this.broker.intercept(undefined);
  }
}
