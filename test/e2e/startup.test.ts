import { createServer, type Server } from 'node:net';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/database.js';
import { runToExit, startProduct } from '../support/product.js';

/** The first command always works; a port the user chose that is taken, or a bad setting, is a clear error. */

function occupy(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined)); // already taken by someone else: just as good
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('start-up', () => {
  let dataDir: string;
  const blockers: Server[] = [];

  beforeAll(async () => {
    dataDir = await tempDir('startup');
  });
  afterAll(async () => {
    for (const blocker of blockers) blocker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('takes free ports when the default web and MQTT ports are taken, and says which', async () => {
    for (const port of [8080, 1883]) {
      const blocker = await occupy(port);
      if (blocker) blockers.push(blocker);
    }
    const product = await startProduct({ env: { DATA_DIR: dataDir }, args: ['--no-simulator'] });
    try {
      expect(product.output()).toMatch(/Map:\s+http:\/\/127\.0\.0\.1:(?!8080\/)\d+\/\s+\(port 8080 was taken, so a free port was used\)/);
      expect(product.output()).toMatch(/MQTT:\s+mqtt:\/\/127\.0\.0\.1:(?!1883\s)\d+\s+embedded broker \(MQTT 3\.1\.1 and 5; port 1883 was taken/);
      // "Ready" is printed only once the product reports itself healthy.
      expect((await fetch(`${product.mapUrl}health`)).status).toBe(200);
    } finally {
      expect(await product.stop()).toBe(0);
    }
  });

  it('stops with a clear error when an explicitly configured port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    blockers.push(blocker);
    const port = (blocker.address() as { port: number }).port;
    const { code, output } = await runToExit(['start', '--no-simulator'], { DATA_DIR: dataDir, PORT: String(port), MQTT_PORT: '0' });
    expect(code).toBe(1);
    expect(output).toContain(`PORT=${port}: that port is already in use by another program. Choose a free port, or unset PORT to let Smartplace pick one.`);
  });

  it('lists every configuration problem and exits before starting anything', async () => {
    const { code, output } = await runToExit(['start'], { DATA_DIR: dataDir, PORT: 'http', MQTT_URL: 'localhost:1883', LOG_LEVEL: 'chatty' });
    expect(code).toBe(2);
    expect(output).toContain('Smartplace cannot start: the configuration has problems.');
    expect(output).toContain('PORT: expected a port number from 0 to 65535, got "http"');
    expect(output).toContain('MQTT_URL: must start with mqtt: or');
    expect(output).toContain('LOG_LEVEL:');
  });

  it('says what is missing when DATABASE_URL points at a PostgreSQL without TimescaleDB', async () => {
    const { code, output } = await runToExit(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    expect(code).toBe(1);
    expect(output).toContain('the database does not have the TimescaleDB extension available');
  });

  it('runs migrations on their own and exits', async () => {
    const { code, output } = await runToExit(['migrate'], { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(output).toContain('Migrations are up to date (embedded TimescaleDB in');
  });
});
