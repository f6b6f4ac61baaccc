import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { redactUrl } from '../core/config.js';

export interface MqttTarget {
  url: string;
  username?: string;
  password?: string;
}

export class BrokerUnreachableError extends Error {
  readonly code = 'mqtt.unreachable';
}

/**
 * Connects a service client (MQTT 5). Fails at once if the broker cannot be reached at start-up, so
 * a wrong MQTT_URL is reported clearly; once connected, the client reconnects by itself.
 */
export async function connectMqtt(
  target: MqttTarget,
  options: Pick<IClientOptions, 'clientId' | 'clean' | 'will' | 'properties'>,
  log: Logger,
): Promise<MqttClient> {
  try {
    const client = await mqtt.connectAsync(
      target.url,
      {
        protocolVersion: 5,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
        ...(target.username === undefined ? {} : { username: target.username }),
        ...(target.password === undefined ? {} : { password: target.password }),
        ...options,
      },
      false,
    );
    client.on('error', (error) => log.warn({ err: error, clientId: options.clientId }, 'mqtt: client error'));
    client.on('offline', () => log.warn({ clientId: options.clientId }, 'mqtt: disconnected from the broker; reconnecting'));
    client.on('reconnect', () => log.debug({ clientId: options.clientId }, 'mqtt: reconnecting'));
    return client;
  } catch (error) {
    throw new BrokerUnreachableError(`cannot connect to the MQTT broker at ${redactUrl(target.url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
