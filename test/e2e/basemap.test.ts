import { createServer, type Server } from 'node:http';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countColour, launchBrowser } from '../support/browser.js';
import { tempDir } from '../support/database.js';
import { startProduct, type RunningProduct } from '../support/product.js';

/** BASEMAP_STYLE_URL replaces the offline basemap with an external MapLibre style. */

describe('an external basemap style', () => {
  let styleServer: Server;
  const requested: string[] = [];
  let dataDir: string;
  let product: RunningProduct;

  beforeAll(async () => {
    // A stand-in for a tile provider's style: one background layer in a colour nothing else uses.
    styleServer = createServer((request, response) => {
      requested.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      response.end(JSON.stringify({ version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#123456' } }] }));
    });
    await new Promise<void>((resolve) => styleServer.listen(0, '127.0.0.1', resolve));
    const styleUrl = `http://127.0.0.1:${(styleServer.address() as { port: number }).port}/style.json`;
    dataDir = await tempDir('basemap');
    product = await startProduct({ args: ['--no-simulator'], env: { DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0', BASEMAP_STYLE_URL: styleUrl } });
  });

  afterAll(async () => {
    await product?.stop();
    styleServer?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loads the configured style instead of the offline basemap', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(product.mapUrl);
      await page.locator('#device-table tbody tr').nth(19).waitFor();
      await expect.poll(() => requested, { timeout: 10_000 }).toEqual(['/style.json']);
      await expect
        .poll(async () => countColour(await page.locator('#map').screenshot(), '#123456'), { timeout: 10_000 })
        .toBeGreaterThan(100_000);
      // The offline basemap's ward fill, which covers most of the map when drawn, is gone: at most a
      // few anti-aliased pixels of the ward outlines' white halo over the style's background match it.
      expect(countColour(await page.locator('#map').screenshot(), '#f8f8f4')).toBeLessThan(100);
    } finally {
      await browser.close();
    }
  });
});
