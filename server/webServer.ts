import { createServer, type RequestListener, type Server } from 'node:http';
import type { PortSetting } from '../core/config.js';
import { listenWithFallback, type PortChoice } from '../core/portFallback.js';

/**
 * An HTTP server listening on `port` (or a free port if its default is taken): the web server on
 * PORT, or `smartplace ingest`'s metrics on INGEST_METRICS_PORT. `variable` names the setting in errors.
 */
export async function listenHttp(
  handler: RequestListener,
  host: string,
  port: PortSetting,
  variable = 'PORT',
): Promise<{ server: Server; choice: PortChoice }> {
  const server = createServer(handler);
  const choice = await listenWithFallback(port, variable, (candidate) => {
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
