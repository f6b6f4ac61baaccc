import mqttPacket, { type IConnectPacket, type IPublishPacket, type Packet } from 'mqtt-packet';
import { connect, type Socket } from 'node:net';

/**
 * The smallest MQTT subscriber that can acknowledge a QoS 1 message whenever its caller says so
 * (after a database commit), on mqtt-packet (the parser mqtt.js uses). mqtt.js itself cannot: it
 * handles incoming packets one at a time, and holding a PUBACK back (customHandleAcks,
 * handleMessage) stops it reading the socket. Benchmarks only: no reconnection, no QoS 2.
 */

export interface RawSubscriber {
  /** PUBACKs for these packet ids, in one write. */
  ack(messageIds: readonly number[]): void;
  close(): Promise<void>;
  /** The CONNACK's properties (MQTT 5): e.g. the broker's receiveMaximum. */
  serverProperties: Record<string, unknown>;
}

export interface RawSubscriberOptions {
  url: string;
  clientId: string;
  clean: boolean;
  protocolVersion: 4 | 5;
  properties?: IConnectPacket['properties'];
  filter: string;
  onPublish(packet: IPublishPacket): void;
  onClose?(): void;
}

export async function connectRawSubscriber(options: RawSubscriberOptions): Promise<RawSubscriber> {
  const { hostname, port } = new URL(options.url);
  const socket: Socket = connect({ host: hostname, port: Number(port) });
  socket.setNoDelay(true);
  const opts = { protocolVersion: options.protocolVersion };
  const parser = mqttPacket.parser(opts);
  const send = (packet: Packet) => socket.write(mqttPacket.generate(packet, opts));

  const waiting = new Map<string, (packet: Packet) => void>();
  const next = (cmd: string) => new Promise<Packet>((resolve) => waiting.set(cmd, resolve));
  parser.on('packet', (packet: Packet) => {
    if (packet.cmd === 'publish') {
      options.onPublish(packet);
      return;
    }
    const resolve = waiting.get(packet.cmd);
    waiting.delete(packet.cmd);
    resolve?.(packet);
  });
  parser.on('error', (error: Error) => socket.destroy(error));
  socket.on('data', (chunk: Buffer) => parser.parse(chunk));
  socket.on('close', () => options.onClose?.());

  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const connack = next('connack');
  send({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: options.protocolVersion,
    clientId: options.clientId,
    clean: options.clean,
    keepalive: 60,
    ...(options.properties ? { properties: options.properties } : {}),
  });
  const ack = (await connack) as Packet & { reasonCode?: number; returnCode?: number; properties?: Record<string, unknown> };
  if ((ack.reasonCode ?? ack.returnCode ?? 0) !== 0) throw new Error(`MQTT connect refused (${ack.reasonCode ?? ack.returnCode})`);
  const suback = next('suback');
  send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: options.filter, qos: 1 }] });
  await suback;
  const ping = setInterval(() => send({ cmd: 'pingreq' }), 30_000);
  ping.unref();

  return {
    serverProperties: ack.properties ?? {},
    ack(messageIds) {
      if (messageIds.length === 0 || socket.destroyed) return;
      socket.write(Buffer.concat(messageIds.map((messageId) => mqttPacket.generate({ cmd: 'puback', messageId }, opts))));
    },
    async close() {
      clearInterval(ping);
      if (socket.destroyed) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      send({ cmd: 'disconnect' });
      socket.end();
      await closed;
    },
  };
}
