import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { AreaGeography } from '../../core/area.js';
import { storeApi } from '../../cli/components.js';
import { DevicesRepository } from '../../db/devicesRepository.js';
import type { Db } from '../../db/pool.js';
import { ReadingsRepository } from '../../db/readingsRepository.js';
import { createApp, type AppDeps } from '../../server/app.js';

/**
 * The HTTP API over a real database with the store's routes, and nothing else of the product (no
 * broker, no live feed; the built client only when `clientDir` is given): for the store's tests,
 * the ward comparison page's and the store's benchmark.
 */
export interface StoreApp {
  /** http://127.0.0.1:port/api/v1 */
  base: string;
  close(): void;
}

export async function startStoreApp(db: Db, area: () => AreaGeography | null, options: { now?: () => Date; log?: (object: object) => void; clientDir?: string; briefingPdf?: AppDeps['briefingPdf'] } = {}): Promise<StoreApp> {
  const devices = new DevicesRepository(db);
  const readings = new ReadingsRepository(db);
  const app = createApp({
    devices,
    readings,
    area,
    locate: () => null,
    health: async () => {
      throw new Error('not part of the store app');
    },
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    clientConfig: { basemapStyleUrl: null },
    clientDir: options.clientDir ?? '/nonexistent',
    ...(options.briefingPdf ? { briefingPdf: options.briefingPdf } : {}),
    log: { error: (object) => options.log?.(object) },
    store: { ...storeApi(db, devices, readings), ...(options.now ? { now: options.now } : {}) },
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
