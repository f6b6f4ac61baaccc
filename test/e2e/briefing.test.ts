import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BriefingPdf } from '../../server/briefingPdf.js';
import { axeViolations, CHROMIUM, distinctColours, launchBrowser } from '../support/browser.js';
import { ALTRINCHAM, COMPARE_NOW, COMPARE_STREETS, OAKFIELD_ROAD, seedCompareData, traffordArea } from '../support/compareData.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';
import { startStoreApp, type StoreApp } from '../support/storeApp.js';

/**
 * Councillors' briefings in Chromium, served with the built client over the real API and the
 * embedded TimescaleDB holding test/support/compareData.ts's February, in Trafford's real wards
 * (ONS 2023, OGL): find a place by typing, read its briefing, and download it as PDF (printed by
 * the server's own Chromium), whose first page is turned into a PNG to look at. Screenshots and
 * the PDF go to scratch/.
 */

const SCRATCH = fileURLToPath(new URL('../../scratch/', import.meta.url));
const CLIENT = fileURLToPath(new URL('../../client/dist', import.meta.url));
let t: TestDatabase;
let app: StoreApp;
let browser: Browser;
let pdf: BriefingPdf;
let origin: string;

beforeAll(async () => {
  t = await startTestDatabase();
  await seedCompareData(t.pool);
  const loaded = traffordArea(COMPARE_STREETS);
  pdf = new BriefingPdf(CHROMIUM);
  app = await startStoreApp(t.pool, () => loaded, { now: () => COMPARE_NOW, clientDir: CLIENT, briefingPdf: pdf });
  origin = new URL(app.base).origin;
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await pdf?.close();
  app?.close();
  await t?.destroy();
});

describe('briefings on the page', () => {
  it('finds a ward by typing, and shows its briefing with the API’s words, accessibly', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/briefing`);
    await page.locator('#place-search').focus();
    await page.keyboard.type('Altr');
    await expect.poll(() => page.locator('#place-search-listbox [role="option"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('#place-search-listbox-option-0').innerText()).toContain('Altrincham');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/briefing/ward/${ALTRINCHAM}`);

    const api = (await (await fetch(`${app.base}/briefings/ward/${ALTRINCHAM}?period=30d`)).json()) as { headline: string };
    await expect.poll(() => page.locator('#briefing-headline').innerText(), { timeout: 15_000 }).toContain(api.headline);
    expect(api.headline).toBe(
      'Air in Altrincham was Low on the Daily Air Quality Index (DAQI 1–3) on all 28 days with data, 30 January to 28 February 2026; nitrogen dioxide (NO₂) was above the World Health Organization (WHO) guideline.',
    );
    expect(await page.locator('#section-air').innerText()).toContain('30.0 µg/m³');
    expect(await page.locator('#trend-chart-summary').innerText()).toMatch(/Daily NO₂ was between/);
    expect(await page.locator('#place-map-svg').count()).toBe(1);
    await page.screenshot({ path: `${SCRATCH}briefing-ward.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('briefs a street without sensors from the nearest ones, and says how far they are', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${origin}/briefing/street/${OAKFIELD_ROAD}?period=30d`);
    await expect.poll(() => page.locator('#briefing-headline').innerText(), { timeout: 15_000 }).toMatch(/^Oakfield Road has no sensors of its own\. At the nearest sensors, 150 m away/);
    expect(await page.locator('#briefing-caveats').innerText()).toContain('These figures come from the nearest sensors');
    await page.screenshot({ path: `${SCRATCH}briefing-street-phone.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('downloads the briefing as an A4 PDF printed by the server, whose first page has the headline', async () => {
    const response = await fetch(`${origin}/briefing/ward/${ALTRINCHAM}.pdf?period=30d`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const file = `${SCRATCH}briefing-ward.pdf`;
    await writeFile(file, bytes);
    // A4: 210 × 297 mm, about 414 × 585 pixels at 50 dpi.
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', file, `${SCRATCH}briefing-ward-page1`]);
    const png = await readFile(`${SCRATCH}briefing-ward-page1.png`);
    const image = PNG.sync.read(png);
    expect(image.height).toBe(585);
    expect(image.height / image.width).toBeCloseTo(297 / 210, 2);
    expect(distinctColours(png)).toBeGreaterThan(20); // text, map and swatches, not a blank page
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Air in Altrincham was Low on the Daily Air Quality Index (DAQI 1–3)');
    // An unknown place prints nothing: a 404, not a PDF of an error page.
    expect((await fetch(`${origin}/briefing/ward/E05999999.pdf`)).status).toBe(404);
  });
});
