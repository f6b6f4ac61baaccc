import mqttPacket, { type IConnackPacket, type IPublishPacket, type ISubackPacket, type Packet } from 'mqtt-packet';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * A subscribe-only MQTT 5 client that lets its user acknowledge each QoS 1 message when it chooses:
 * ingest acknowledges a message only once its batch is committed, so a message the broker counts
 * as delivered is already in the database (docs/adr/0010-ingest-acks-after-commit.md).
 *
 * MQTT.js cannot do this without stalling: it reads the next packet only after the previous one's
 * PUBACK has been sent, so acknowledging after a commit would mean one commit per message. Here
 * packets keep flowing while commits happen, and the broker's in-flight window is bounded by the
 * Receive Maximum this client announces. `pause()` stops reading the socket (backpressure): the
 * broker then queues for the session instead of this process's memory.
 *
 * The session is persistent (Clean Start off, a session expiry): while the client is away, or after
 * it crashes before acknowledging, the broker keeps and redelivers its QoS 1 messages.
 */

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  /** The broker marked it as a redelivery (DUP): it may have been received, and even stored, before. */
  redelivered: boolean;
  /** Sends the PUBACK (QoS 1); a no-op for QoS 0, or if the connection it came on has gone. */
  ack(): void;
}

export interface SubscriberLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface MqttSubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  /** Topic filters, subscribed at QoS 1; `$share/{group}/{filter}` for a shared subscription. */
  filters: readonly string[];
  /** How long the broker keeps the session while the client is away. */
  sessionExpiryS: number;
  /** The most unacknowledged QoS 1 messages the broker may have in flight to this client. */
  receiveMaximum: number;
  keepaliveS?: number;
  connectTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  onMessage(message: InboundMessage): void;
  /** Connected (and subscribed) or not. */
  onConnection?(connected: boolean): void;
  log: SubscriberLogger;
}

export class MqttSubscriberError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const PROTOCOL = { protocolVersion: 5 } as const;
const NOOP = () => undefined;

/** CONNACK and SUBACK reason codes worth a sentence (MQTT 5, 3.2.2.2 and 3.9.3). */
const REASONS: Readonly<Record<number, string>> = {
  0x80: 'unspecified error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorised',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8f: 'topic filter invalid',
  0x91: 'packet identifier in use',
  0x97: 'quota exceeded',
  0x9e: 'shared subscriptions not supported',
  0xa2: 'wildcard subscriptions not supported',
};

function describeReason(code: number): string {
  return `${REASONS[code] ?? 'refused'} (reason code 0x${code.toString(16)})`;
}

export class MqttSubscriber {
  private socket: Socket | undefined;
  /** Bumped on every new connection: an ack for a message from an older connection is dropped. */
  private generation = 0;
  private subscribeId = 0;
  private paused = false;
  private stopping = false;
  private subscribed = false;
  private awaitingPong = false;
  private reconnectDelayMs: number;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private corked = false;
  private firstConnection: { resolve(): void; reject(error: Error): void } | undefined;

  constructor(private readonly options: MqttSubscriberOptions) {
    this.reconnectDelayMs = options.reconnectMinMs ?? 500;
  }

  get connected(): boolean {
    return this.subscribed;
  }

  /** Connects and subscribes; rejects if the first attempt fails, so a wrong URL is reported at once. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.firstConnection = { resolve, reject };
      this.connect();
    });
  }

  /** Stops reading messages (the broker keeps them); acks can still be sent. */
  pause(): void {
    this.paused = true;
    this.socket?.pause();
  }

  resume(): void {
    this.paused = false;
    this.socket?.resume();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Disconnects normally: the broker keeps the session (and any unacknowledged messages). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepaliveTimer);
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end(mqttPacket.generate({ cmd: 'disconnect', reasonCode: 0 }, PROTOCOL));
      setTimeout(() => socket.destroy(), 2000).unref();
    });
  }

  private connect(): void {
    const url = new URL(this.options.url);
    const secure = url.protocol === 'mqtts:' || url.protocol === 'ssl:';
    if (!secure && url.protocol !== 'mqtt:' && url.protocol !== 'tcp:') {
      this.fail(new MqttSubscriberError(`ingest connects over mqtt:// or mqtts://, not ${url.protocol}`, 'mqtt.unsupported_protocol'));
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (secure ? 8883 : 1883));
    const socket = secure ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
    socket.setNoDelay(true);
    const generation = ++this.generation;
    this.socket = socket;
    this.subscribed = false;
    this.awaitingPong = false;
    const parser = mqttPacket.parser(PROTOCOL);
    const connectTimer = setTimeout(() => socket.destroy(new Error('timed out connecting to the broker')), this.options.connectTimeoutMs ?? 10_000);
    let lastError: Error | undefined;

    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.write(
        mqttPacket.generate(
          {
            cmd: 'connect',
            protocolId: 'MQTT',
            protocolVersion: 5,
            clientId: this.options.clientId,
            clean: false,
            keepalive: this.options.keepaliveS ?? 30,
            ...(this.options.username === undefined ? {} : { username: this.options.username }),
            ...(this.options.password === undefined ? {} : { password: Buffer.from(this.options.password) }),
            properties: { sessionExpiryInterval: this.options.sessionExpiryS, receiveMaximum: this.options.receiveMaximum },
          },
          PROTOCOL,
        ),
      );
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    parser.on('packet', (packet: Packet) => this.handle(packet, socket, generation, connectTimer));
    parser.on('error', (error: Error) => socket.destroy(error));
    socket.on('error', (error: Error) => {
      lastError = error;
    });
    socket.on('close', () => {
      clearTimeout(connectTimer);
      if (generation !== this.generation) return;
      clearInterval(this.keepaliveTimer);
      const wasSubscribed = this.subscribed;
      this.subscribed = false;
      if (wasSubscribed) this.options.onConnection?.(false);
      if (this.firstConnection) {
        this.fail(
          new MqttSubscriberError(`cannot connect to the MQTT broker: ${lastError?.message ?? 'the connection closed'}`, 'mqtt.unreachable', {
            cause: lastError,
          }),
        );
        return;
      }
      if (this.stopping) return;
      this.options.log.warn({ err: lastError, retryInMs: this.reconnectDelayMs }, 'ingest: lost the MQTT connection; reconnecting');
      this.reconnectTimer = setTimeout(() => this.connect(), this.reconnectDelayMs);
      this.reconnectDelayMs = Math.min(this.options.reconnectMaxMs ?? 5000, this.reconnectDelayMs * 2);
    });
  }

  private handle(packet: Packet, socket: Socket, generation: number, connectTimer: NodeJS.Timeout): void {
    switch (packet.cmd) {
      case 'publish':
        this.deliver(packet, socket, generation);
        return;
      case 'pingresp':
        this.awaitingPong = false;
        return;
      case 'connack':
        clearTimeout(connectTimer);
        this.onConnack(packet, socket);
        return;
      case 'suback':
        this.onSuback(packet, socket);
        return;
      case 'disconnect':
        this.options.log.warn({ reasonCode: packet.reasonCode }, 'ingest: the broker closed the MQTT session');
        return;
      default:
        return;
    }
  }

  private onConnack(packet: IConnackPacket, socket: Socket): void {
    const code = packet.reasonCode ?? packet.returnCode ?? 0;
    if (code !== 0) {
      const error = new MqttSubscriberError(`the MQTT broker refused the connection: ${describeReason(code)}`, 'mqtt.refused');
      if (this.firstConnection) this.fail(error);
      else this.options.log.error({ err: error }, 'ingest: the MQTT broker refused the connection');
      socket.destroy();
      return;
    }
    const keepaliveMs = (packet.properties?.serverKeepAlive ?? this.options.keepaliveS ?? 30) * 1000;
    clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = setInterval(() => this.ping(socket), keepaliveMs / 2);
    this.keepaliveTimer.unref();
    // Always subscribe: a new session needs it, and an existing one keeps its queued messages.
    this.subscribeId = (this.subscribeId % 0xffff) + 1;
    socket.write(
      mqttPacket.generate(
        { cmd: 'subscribe', messageId: this.subscribeId, subscriptions: this.options.filters.map((topic) => ({ topic, qos: 1 as const })) },
        PROTOCOL,
      ),
    );
  }

  private onSuback(packet: ISubackPacket, socket: Socket): void {
    const refused = (packet.granted as number[])
      .map((code, index) => ({ code, filter: this.options.filters[index] }))
      .filter(({ code }) => code >= 0x80);
    if (refused.length > 0) {
      const error = new MqttSubscriberError(
        `the MQTT broker refused the subscription${refused.length > 1 ? 's' : ''} ${refused.map(({ code, filter }) => `"${filter}": ${describeReason(code)}`).join('; ')}`,
        'mqtt.subscribe_refused',
      );
      if (this.firstConnection) {
        this.fail(error);
        socket.destroy();
        return;
      }
      this.options.log.error({ err: error }, 'ingest: subscription refused');
    }
    this.subscribed = true;
    this.reconnectDelayMs = this.options.reconnectMinMs ?? 500;
    if (this.paused) socket.pause();
    this.options.onConnection?.(true);
    const first = this.firstConnection;
    this.firstConnection = undefined;
    first?.resolve();
  }

  private deliver(packet: IPublishPacket, socket: Socket, generation: number): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const messageId = packet.messageId;
    const ack =
      packet.qos === 1 && messageId !== undefined
        ? () => {
            if (generation !== this.generation || socket.destroyed) return; // the broker will redeliver it
            // Acks come in bursts after a commit: one write for the burst.
            if (!this.corked) {
              this.corked = true;
              socket.cork();
              process.nextTick(() => {
                this.corked = false;
                socket.uncork();
              });
            }
            socket.write(mqttPacket.generate({ cmd: 'puback', messageId, reasonCode: 0 }, PROTOCOL));
          }
        : NOOP;
    if (packet.qos === 2) {
      // Subscribed at QoS 1, so the broker never sends QoS 2; refuse rather than half-handle it.
      this.options.log.error({ topic: packet.topic }, 'ingest: the broker sent a QoS 2 message on a QoS 1 subscription; closing');
      socket.destroy();
      return;
    }
    this.options.onMessage({ topic: packet.topic, payload, qos: packet.qos, redelivered: packet.dup, ack });
  }

  private ping(socket: Socket): void {
    // While paused the PINGRESP sits unread in the socket, so silence is not a dead broker.
    if (this.awaitingPong && !this.paused) {
      this.options.log.warn({}, 'ingest: the MQTT broker stopped answering pings; reconnecting');
      socket.destroy();
      return;
    }
    this.awaitingPong = true;
    socket.write(mqttPacket.generate({ cmd: 'pingreq' }, PROTOCOL));
  }

  private fail(error: Error): void {
    const first = this.firstConnection;
    this.firstConnection = undefined;
    this.stopping = true;
    first?.reject(error);
  }
}
