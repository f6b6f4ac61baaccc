import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser } from '../support/browser.js';
import { ALTRINCHAM, BOWDON, BROADHEATH, COMPARE_NOW, seedCompareData, traffordArea } from '../support/compareData.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';
import { startStoreApp, type StoreApp } from '../support/storeApp.js';

/**
 * The ward comparison page in Chromium, served with the built client over the real API and the
 * embedded TimescaleDB holding test/support/compareData.ts's February in Trafford's 21 real wards
 * (ONS 2023, OGL): a planner answers "which wards are worst for NO₂, and is the gap between
 * Altrincham and Bowdon real?" by keyboard, and exports what they found. Screenshots go to scratch/.
 */

const SCRATCH = fileURLToPath(new URL('../../scratch/', import.meta.url));
const CLIENT = fileURLToPath(new URL('../../client/dist', import.meta.url));

interface PageGlobals {
  document: { documentElement: { scrollWidth: number } };
}

let t: TestDatabase;
let app: StoreApp;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  t = await startTestDatabase();
  await seedCompareData(t.pool);
  const area = traffordArea();
  app = await startStoreApp(t.pool, () => area, { now: () => COMPARE_NOW, clientDir: CLIENT });
  origin = new URL(app.base).origin;
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  app?.close();
  await t?.destroy();
});

async function openPage(path: string, width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(`${origin}${path}`);
  return page;
}

const pageErrors = (page: Page) => (page as Page & { errors: string[] }).errors;

/** The ward names of a table's body rows, top to bottom. */
function rowNames(page: Page, table: string): Promise<string[]> {
  return page.locator(`${table} tbody tr th`).allInnerTexts();
}

describe('comparing wards on the page', () => {
  it('lets a planner rank the wards and compare two of them by keyboard, then share and export', async () => {
    const page = await openPage('/compare');
    // The default view: NO₂, the last 30 whole days, every ward.
    await expect.poll(() => page.locator('#compare-status').innerText(), { timeout: 15_000 }).toMatch(/NO₂/);
    expect((await rowNames(page, '#ranking-table')).slice(0, 2)).toEqual(['Altrincham', 'Bowdon']);
    await expect.poll(() => page.locator('#compare-map-svg [data-code]').count()).toBe(21);

    // Keyboard only: choose the wards, Altrincham first, then Bowdon, and compare.
    await page.locator('#metric').focus();
    await page.keyboard.press('Tab'); // onto the period radios (Last 30 days is checked)
    await page.locator('#wards-pick').focus();
    await page.keyboard.press('Space');
    await page.locator(`#ward-${ALTRINCHAM}`).focus();
    await page.keyboard.press('Space');
    await page.locator(`#ward-${BOWDON}`).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('#ward-count').innerText()).toMatch(/2 wards selected/);
    await page.locator('#compare-submit').focus();
    await page.keyboard.press('Enter');

    await expect.poll(() => page.url()).toContain(`wards=${ALTRINCHAM},${BOWDON}`);
    const sentence = page.locator('#comparison-0 .app-comparison__sentence');
    await expect.poll(() => sentence.innerText(), { timeout: 15_000 }).toMatch(
      // The last 30 days run from 30 January: 28 of 30 days' hours for Altrincham, 27 for Bowdon.
      /^Altrincham's NO₂ was 9\.0 µg\/m³ higher than Bowdon's \(95% interval \d+\.\d to \d+\.\d\), from 2 devices and 1 device with 93% and 90% data capture\.$/,
    );
    expect(await page.locator('#comparison-0').getAttribute('data-supported')).toBe('true');
    expect(await rowNames(page, '#ward-table')).toEqual(['Altrincham', 'Bowdon']);
    const table = await page.locator('#ward-table').innerText();
    expect(table).toContain('Hours over 200 µg/m³ (UK)');
    expect(table).toContain('25.3'); // Bowdon's 95th percentile of daily means, 25.25
    expect(await page.locator('#trend-chart-svg').count()).toBe(1);
    await page.screenshot({ path: `${SCRATCH}compare-two-wards.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // The CSV link is the API's, with the same view.
    const csvHref = await page.locator('#download-csv').getAttribute('href');
    expect(csvHref).toContain(`wards=${ALTRINCHAM},${BOWDON}`);
    expect(csvHref).toContain('format=csv');
    const csv = await (await fetch(new URL(csvHref as string, origin))).text();
    expect(csv.split('\n')[1]).toMatch(new RegExp(`^1,${ALTRINCHAM},Altrincham,yes,30,`));

    // The map as a PNG, white behind it, wide enough to print.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-png').click()]);
    const path = `${SCRATCH}compare-map-export.png`;
    await download.saveAs(path);
    const png = PNG.sync.read(await readFile(path));
    expect(png.width).toBeGreaterThanOrEqual(1200);
    expect([png.data[0], png.data[1], png.data[2]]).toEqual([255, 255, 255]);

    // Another metric, then back: the URL holds the view, and back restores it.
    await page.locator('#metric').selectOption('daqi');
    await page.locator('#compare-submit').click();
    await expect.poll(() => page.url()).toContain('metric=daqi');
    await expect.poll(() => page.locator('#compare-status').innerText()).toMatch(/DAQI/);
    await page.goBack();
    await expect.poll(() => page.locator('#metric').inputValue()).toBe('no2');
    await expect.poll(() => sentence.innerText()).toMatch(/^Altrincham's NO₂ was 9\.0/);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it('opens a shared URL as it was, says when wards cannot be compared, and fits a phone', async () => {
    const page = await openPage(`/compare?metric=no2&period=custom&from=2026-02-01&to=2026-02-28&wards=${ALTRINCHAM},${BROADHEATH}`, 390);
    const sentence = page.locator('#comparison-0 .app-comparison__sentence');
    await expect.poll(() => sentence.innerText(), { timeout: 15_000 }).toBe('Altrincham and Broadheath cannot be compared on NO₂ for this period: Broadheath has no devices with NO₂ data.');
    expect(await page.locator('#period-custom').isChecked()).toBe(true);
    expect(await page.locator('#from-day').inputValue()).toBe('1');
    await expect.poll(() => page.locator('#compare-map-svg [data-code]').count()).toBe(21);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCRATCH}compare-phone.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  it("shows the server's refusal in the error summary, on the field at fault", async () => {
    const page = await openPage(`/compare?metric=no2&period=30d&wards=${ALTRINCHAM},E05999999`);
    await expect.poll(() => page.locator('#error-summary').innerText(), { timeout: 15_000 }).toContain('There is no ward E05999999 in this area.');
    expect(await page.locator('#wards-error').innerText()).toContain('E05999999');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
