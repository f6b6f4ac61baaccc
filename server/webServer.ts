import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { PortSetting } from '../core/config.js';
import { listenWithFallback, type PortChoice } from '../core/portFallback.js';

/** The HTTP server, listening on PORT (or a free port if the default 8080 is taken). */
export async function listenHttp(app: Express, host: string, port: PortSetting): Promise<{ server: Server; choice: PortChoice }> {
  const server = createServer(app);
  const choice = await listenWithFallback(port, 'PORT', (candidate) => {
    return new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(candidate, host, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : candidate);
      });
    });
  });
  return { server, choice };
}
