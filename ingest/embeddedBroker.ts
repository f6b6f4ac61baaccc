import { Aedes } from 'aedes';
import { createServer, type Server } from 'node:net';
import type { PortSetting } from '../core/config.js';
import { listenWithFallback, localHost } from '../core/portFallback.js';

/**
 * The in-process MQTT broker for the all-in-one mode: aedes 2 (MQTT 3.1.1 and 5; aedes 1.x refuses
 * MQTT 5 connections). With MQTT_URL set, an external broker is used and this never starts.
 */

export interface EmbeddedBroker {
  port: number;
  fellBackFrom?: number;
  url: string;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(host: string, port: PortSetting): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
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
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
