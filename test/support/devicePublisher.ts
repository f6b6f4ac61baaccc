import mqtt, { Store, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';

/**
 * A publisher that behaves like a well-made device: MQTT 5, QoS 1, a fixed client id, a bounded
 * number of messages awaiting their PUBACK, and after a lost connection it sends every
 * unacknowledged message again, marked DUP, before anything new.
 *
 * MQTT.js 5 already resends what is unacknowledged after reconnecting, whatever the new broker
 * says about the session (`_onConnect` replays its outgoing store unconditionally), but it resends
 * with DUP clear. The MQTT 5 specification (3.3.1.1) requires DUP on a resend, and the embedded
 * broker passes that flag on to ingest, which is how a refused message the device sends twice
 * is counted once. So the outgoing store here marks what it replays.
 */

export interface PlannedMessage {
  topic: string;
  payload: Buffer;
}

/** MQTT.js's in-memory store, marking every packet it replays on a new connection as a duplicate. */
class DupMarkingStore extends Store {
  private readonly unacknowledged = new Map<number, IPublishPacket>();

  constructor(private readonly onResend: (packet: IPublishPacket) => void) {
    super();
  }

  override put(packet: Packet, cb: () => void): this {
    if (packet.cmd === 'publish' && packet.messageId !== undefined) this.unacknowledged.set(packet.messageId, packet);
    super.put(packet, cb);
    return this;
  }

  override del(packet: Pick<Packet, 'messageId'>, cb: Parameters<Store['del']>[1]): this {
    if (packet.messageId !== undefined) this.unacknowledged.delete(packet.messageId);
    super.del(packet, cb);
    return this;
  }

  // Called as each connection starts: whatever is still here was sent on an earlier one.
  override createStream(): ReturnType<Store['createStream']> {
    for (const packet of this.unacknowledged.values()) {
      if (!packet.dup) this.onResend(packet);
      packet.dup = true;
    }
    return super.createStream();
  }
}

export interface PublisherOptions {
  url: string;
  clientId: string;
  /** Most messages awaiting a PUBACK at once (keep under the broker's Receive Maximum). */
  maxInFlight: number;
  reconnectPeriodMs?: number;
}

export interface PublishRun {
  /** Resolves once every message has been published and acknowledged. */
  done: Promise<void>;
  /** Messages handed to the client so far. */
  readonly published: number;
  readonly acknowledged: number;
  /** Resolves once `count` messages have been published. */
  reached(count: number): Promise<void>;
}

export class DevicePublisher {
  /** What the client reported (refused connections and the like); shown if publishing stalls. */
  readonly errors: string[] = [];
  private closes = 0;

  private constructor(
    readonly client: MqttClient,
    /** Messages sent again, marked DUP, after a reconnect (each listed once however often it is resent). */
    readonly resent: readonly PlannedMessage[],
    private readonly maxInFlight: number,
  ) {
    client.on('error', (error) => this.errors.push(error.message));
    client.on('close', () => this.closes++);
  }

  /** How many times the connection has closed. */
  get connectionsLost(): number {
    return this.closes;
  }

  static async connect(options: PublisherOptions): Promise<DevicePublisher> {
    const resent: PlannedMessage[] = [];
    const outgoingStore = new DupMarkingStore((packet) =>
      resent.push({ topic: packet.topic, payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload) }),
    );
    const client = await mqtt.connectAsync(options.url, {
      clientId: options.clientId,
      protocolVersion: 5,
      clean: false,
      reconnectPeriod: options.reconnectPeriodMs ?? 250,
      connectTimeout: 5000,
      outgoingStore,
    });
    return new DevicePublisher(client, resent, options.maxInFlight);
  }

  /**
   * Publishes `messages` in order at `ratePerS` (as fast as acknowledgements allow when Infinity),
   * never more than `maxInFlight` unacknowledged, and nothing new while disconnected: a device
   * waits for its connection and resends what is unacknowledged first. `done` rejects if no
   * acknowledgement arrives for `stallMs`.
   */
  publish(messages: readonly PlannedMessage[], ratePerS: number, stallMs = 90_000): PublishRun {
    let published = 0;
    let acknowledged = 0;
    const failures: Error[] = [];
    const waiters: { count: number; resolve(): void }[] = [];
    const notify = () => {
      for (const waiter of waiters.splice(0)) {
        if (published >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
    };
    const started = performance.now();
    let lastProgress = started;
    const tick = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (published > acknowledged + failures.length && performance.now() - lastProgress > stallMs) {
        const errors = this.errors.length > 0 ? `; client errors: ${[...new Set(this.errors)].join('; ')}` : '';
        throw new Error(`publisher ${this.client.options.clientId}: no PUBACK for ${stallMs} ms (${acknowledged} of ${published} published acknowledged)${errors}`);
      }
    };
    const done = (async () => {
      while (published < messages.length) {
        const owed = Number.isFinite(ratePerS) ? Math.floor(((performance.now() - started) / 1000) * ratePerS) : messages.length;
        while (published < Math.min(owed, messages.length) && published - acknowledged < this.maxInFlight && this.client.connected) {
          const message = messages[published] as PlannedMessage;
          published++;
          this.client.publish(message.topic, message.payload, { qos: 1 }, (error) => {
            lastProgress = performance.now();
            if (error) failures.push(error);
            else acknowledged++;
          });
        }
        notify();
        await tick();
      }
      while (acknowledged + failures.length < messages.length) await tick();
      if (failures.length > 0) throw new Error(`${failures.length} publishes failed; the first: ${failures[0]?.message}`);
    })();
    // Observed by the caller through `done`; this keeps an early failure from being unhandled meanwhile.
    done.catch(() => undefined);
    return {
      done,
      get published() {
        return published;
      },
      get acknowledged() {
        return acknowledged;
      },
      reached: (count) =>
        new Promise<void>((resolve) => {
          waiters.push({ count, resolve });
          notify();
        }),
    };
  }

  /** Disconnects at once, whatever is unacknowledged (the broker may be gone). */
  async end(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * Spreads `messages` round-robin over several publishers (several devices or gateways, each on its
 * own connection), sharing `ratePerS`, and reports on them together.
 */
export function publishFromAll(publishers: readonly DevicePublisher[], messages: readonly PlannedMessage[], ratePerS: number): PublishRun {
  const runs = publishers.map((publisher, i) =>
    publisher.publish(
      messages.filter((_, j) => j % publishers.length === i),
      ratePerS / publishers.length,
    ),
  );
  const sum = (of: (run: PublishRun) => number) => runs.reduce((total, run) => total + of(run), 0);
  const done = Promise.all(runs.map((run) => run.done)).then(() => undefined);
  done.catch(() => undefined);
  return {
    done,
    get published() {
      return sum((run) => run.published);
    },
    get acknowledged() {
      return sum((run) => run.acknowledged);
    },
    async reached(count) {
      while (sum((run) => run.published) < count) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
}
