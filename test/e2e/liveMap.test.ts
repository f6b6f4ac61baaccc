import mqtt from 'mqtt';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicsFor } from '../../core/topics.js';
import { axeViolations, launchBrowser } from '../support/browser.js';
import { tempDir } from '../support/database.js';
import { startProduct, type RunningProduct } from '../support/product.js';

/**
 * The live operations map in Chromium, on the product started as `npm start` starts it (embedded
 * database and broker, demo devices) with the simulator off, so every reading is the test's own:
 * the sortable, filterable device table, the selected device's 24-hour chart, the time slider's
 * replay of the hourly means, and an axe-core check for WCAG 2.2 AA. Screenshots go to scratch/.
 */

const topics = topicsFor('smartplace');
const HOUR = 3_600_000;
const SCRATCH = fileURLToPath(new URL('../../scratch/', import.meta.url));

/** NO₂ of each device's live reading: three distinct values, so a sort by NO₂ has one right order. */
const LIVE_NO2 = { 'aq-001': 55, 'aq-002': 12, 'aq-003': 33 } as const;

async function publish(product: RunningProduct, deviceId: string, readings: { time: string; values: Record<string, number> }[]): Promise<void> {
  const client = await mqtt.connectAsync(product.mqttUrl, { protocolVersion: 5 });
  await client.publishAsync(topics.readings(deviceId), JSON.stringify({ readings }), { qos: 1 });
  await client.endAsync();
}

/**
 * The little of the DOM the functions run in the page use. The tests compile without the DOM
 * library (it would hide a browser global used by mistake in server code), so it is typed here.
 */
interface PageGlobals {
  document: {
    activeElement: { closest(selector: string): { dataset: Record<string, string | undefined> } | null } | null;
    querySelector(selector: string): { textContent: string | null } | null;
    documentElement: { scrollWidth: number };
  };
  devicePixelRatio: number;
}

/** The device ids of the table's rows, top to bottom. */
function rowIds(page: Page): Promise<string[]> {
  return page.locator('#device-table tbody tr').evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: Record<string, string | undefined> }).dataset.deviceId ?? ''));
}

/** What the table shows in a device's NO₂ column. */
function no2Cell(page: Page, deviceId: string) {
  // The device's name is the row's <th>; the <td>s are type, status, ward, street, then NO₂.
  return page.locator(`#device-table tr[data-device-id="${deviceId}"] td:nth-of-type(5)`);
}

describe('live operations map', () => {
  let dataDir: string;
  let product: RunningProduct;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCRATCH, { recursive: true });
    dataDir = await tempDir('e2e-live-map');
    product = await startProduct({ args: ['--no-simulator'], env: { DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0' } });
    // aq-001 in each of the three hours before this one: NO₂ 10 at ten past and 30 at twenty to, so
    // each hour's mean is 20. Then each device's live reading, now. (Were the hour to end during the
    // test, the hour two before the one under way would still be one of the three.)
    const now = Date.now();
    const thisHour = Math.floor(now / HOUR) * HOUR;
    const past = [1, 2, 3].flatMap((h) => [
      { time: new Date(thisHour - h * HOUR + 10 * 60_000).toISOString(), values: { no2: 10 } },
      { time: new Date(thisHour - h * HOUR + 40 * 60_000).toISOString(), values: { no2: 30 } },
    ]);
    await publish(product, 'aq-001', [...past, { time: new Date(now).toISOString(), values: { no2: LIVE_NO2['aq-001'], pm25: 8 } }]);
    for (const id of ['aq-002', 'aq-003'] as const) await publish(product, id, [{ time: new Date(now).toISOString(), values: { no2: LIVE_NO2[id] } }]);

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(product.mapUrl);
    await page.locator('#device-table tbody tr').nth(19).waitFor();
    await page.locator('#connection[data-live="true"]').waitFor();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('#device-table tr[data-device-id="aq-001"] td:nth-of-type(5)')?.textContent === '55.0');
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    if (!process.env.KEEP_E2E) await rm(dataDir, { recursive: true, force: true });
  });

  it('sorts the table by a column from the keyboard, and reverses it on a second press', async () => {
    await page.waitForTimeout(1500); // let MapLibre and deck.gl draw, for the screenshot
    await page.screenshot({ path: `${SCRATCH}live-map.png`, fullPage: true });
    const header = page.locator('#device-table th[data-sort-key="no2"]');
    expect(await page.locator('#device-table th[data-sort-key="name"]').getAttribute('aria-sort')).toBe('ascending');
    expect(await header.getAttribute('aria-sort')).toBeNull();

    await header.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    expect(await page.locator('#device-table th[data-sort-key="name"]').getAttribute('aria-sort')).toBeNull();
    // 12, 33, 55, then the devices without a value, by name.
    const ascending = await rowIds(page);
    expect(ascending.slice(0, 3)).toEqual(['aq-002', 'aq-003', 'aq-001']);
    expect(ascending).toHaveLength(20);

    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    // Still missing values last.
    const descending = await rowIds(page);
    expect(descending.slice(0, 3)).toEqual(['aq-001', 'aq-003', 'aq-002']);
    expect(descending.slice(3)).toEqual(ascending.slice(3));
    // The focus stays on the heading's button, for a third press.
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.closest('th')?.dataset.sortKey)).toBe('no2');
    await page.locator('#devices').screenshot({ path: `${SCRATCH}table-sorted.png` });
  });

  it('filters the rows by text and by kind, and says how many it shows', async () => {
    expect(await page.locator('#device-count').textContent()).toBe('Showing 20 of 20 devices');
    await page.getByLabel('Filter by name, ward, street or USRN').fill('station road');
    await expect.poll(() => page.locator('#device-count').textContent()).not.toBe('Showing 20 of 20 devices');
    const rows = page.locator('#device-table tbody tr');
    const names = await rows.locator('th').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThan(20);
    for (const name of names) expect(name).toContain('Station Road');
    expect(await page.locator('#device-count').textContent()).toBe(`Showing ${names.length} of 20 devices`);

    await page.getByLabel('Type').selectOption('traffic');
    await expect.poll(async () => (await rows.locator('td:nth-of-type(1)').allTextContents()).every((type) => type === 'Traffic')).toBe(true);
    const traffic = await rows.count();
    expect(traffic).toBeGreaterThan(0);
    expect(traffic).toBeLessThan(names.length);
    expect(await page.locator('#device-count').textContent()).toBe(`Showing ${traffic} of 20 devices`);
    await page.locator('#devices').screenshot({ path: `${SCRATCH}table-filtered.png` });

    await page.getByLabel('Filter by name, ward, street or USRN').fill('');
    await page.getByLabel('Type').selectOption('all');
    await expect.poll(() => page.locator('#device-count').textContent()).toBe('Showing 20 of 20 devices');
  });

  it('shows the selected device’s last 24 hours as a chart with a summary and a table', async () => {
    await page.locator('#device-table button', { hasText: 'London Road air monitor 1' }).focus();
    await page.keyboard.press('Enter');
    const canvas = page.locator('#device-chart canvas[role="img"]');
    await canvas.waitFor();
    // Three past hours at a mean of 20, and the hour of the live reading at 55.
    await expect.poll(() => canvas.getAttribute('aria-label')).toMatch(/^NO₂ hourly mean, last 24 hours: from 20 to 55 µg\/m³, latest 55 µg\/m³ for \d\d:00–\d\d:00/);
    expect(await canvas.getAttribute('aria-label')).toMatch(/; 4 of 24 hours have data\.$/);
    const size = await canvas.evaluate((element) => {
      const c = element as unknown as { width: number; getBoundingClientRect(): { width: number } };
      return { width: c.width, cssWidth: c.getBoundingClientRect().width, dpr: (globalThis as unknown as PageGlobals).devicePixelRatio };
    });
    expect(size.cssWidth).toBeGreaterThan(200);
    expect(size.width).toBe(Math.round(size.cssWidth * size.dpr));
    const means = await page.locator('#device-chart table tbody td').allTextContents();
    expect(means).toEqual(['20', '20', '20', '55']);
    // Seven readings in 24 hours from a monitor meant to report every 5 seconds (17,280 expected);
    // the six past ones were sent just now, so only the live one (1 of 7, 14.3 %) arrived on time.
    const quality = page.locator('#selected-device .device-quality');
    await expect.poll(() => quality.textContent()).toContain('Data completeness, last 24 hours0 % of expected readings (7 of 17,280); 14.3 % arrived within 15 minutes.');
    expect(await quality.textContent()).toMatch(/^Reporting now(Reporting|Late: silent \d+ s \(expected every 5 s\))Data/);
    await page.locator('#device-chart').screenshot({ path: `${SCRATCH}device-chart.png` });
    await page.locator('.side-panel').screenshot({ path: `${SCRATCH}side-panel.png` });

    // The device's other pollutant: PM2.5 only in the hour of the live reading.
    await page.getByLabel('Pollutant').selectOption('pm25');
    await expect.poll(() => canvas.getAttribute('aria-label')).toMatch(/^PM2\.5 hourly mean, last 24 hours: 8 µg\/m³, latest 8 µg\/m³ for \d\d:00–\d\d:00.*; 1 of 24 hours has data\.$/);
    expect(await page.locator('#device-chart table tbody td').allTextContents()).toEqual(['8']);
    await page.locator('#device-chart').screenshot({ path: `${SCRATCH}device-chart-pm25.png` });
    await page.getByLabel('Pollutant').selectOption('no2');
    await expect.poll(() => canvas.getAttribute('aria-label')).toMatch(/^NO₂ hourly mean/);
  });

  it('replays an hour from the hourly means, keeps live readings underneath, and goes back to live', async () => {
    const banner = page.locator('#replay-banner');
    expect(await banner.isVisible()).toBe(false);
    const slider = page.getByLabel('Replay the last 24 hours');
    expect(await slider.getAttribute('aria-valuetext')).toBe('Live');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => banner.textContent()).toMatch(/^Replaying \d\d:00–\d\d:00( yesterday)? \(hourly means\) — live updates paused$/);
    expect(await slider.getAttribute('aria-valuetext')).toMatch(/^\d\d:00 to \d\d:00( yesterday)?, UK time, hourly means$/);
    // aq-001's hour had NO₂ 10 and 30; aq-002 and aq-003 had nothing then.
    await expect.poll(() => no2Cell(page, 'aq-001').textContent()).toBe('20.0');
    expect(await no2Cell(page, 'aq-002').textContent()).toBe('–');
    expect(await page.locator('#device-table tr[data-device-id="aq-002"] td:nth-of-type(2)').textContent()).toBe('No reading this hour');

    // A live reading arrives during the replay: it is kept, not shown.
    await publish(product, 'aq-002', [{ time: new Date().toISOString(), values: { no2: 77 } }]);
    await page.waitForTimeout(1000);
    expect(await no2Cell(page, 'aq-002').textContent()).toBe('–');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SCRATCH}replay.png`, fullPage: true });
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    await page.getByRole('button', { name: 'Back to live' }).click();
    await expect.poll(() => banner.isVisible()).toBe(false);
    await expect.poll(() => no2Cell(page, 'aq-002').textContent(), { timeout: 5000 }).toBe('77.0');
    expect(await no2Cell(page, 'aq-001').textContent()).toBe('55.0');
    expect(await slider.getAttribute('aria-valuetext')).toBe('Live');

    // Escape goes back to live too.
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => banner.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => banner.isVisible()).toBe(false);
    // The table is redrawn from the live state after the banner goes: wait for it, as above.
    await expect.poll(() => no2Cell(page, 'aq-002').textContent(), { timeout: 5000 }).toBe('77.0');
  });

  it('raises an alert for a High reading on every page at once, and acknowledges and resolves it from the keyboard', async () => {
    // NO₂ 500 µg/m³ is DAQI 8, High.
    await publish(product, 'aq-004', [{ time: new Date().toISOString(), values: { no2: 500 } }]);
    const alert = page.locator('#alerts li.alert', { hasText: 'Air quality High' });
    await alert.waitFor({ timeout: 5000 });
    expect(await alert.getAttribute('data-state')).toBe('open');
    expect(await alert.textContent()).toContain('DAQI 8 from NO₂');
    expect(await page.locator('#alert-announcer').textContent()).toMatch(/^New alert: Air quality High at .* DAQI 8/);
    await page.screenshot({ path: `${SCRATCH}alerts.png` });

    await alert.getByRole('button', { name: /^Acknowledge/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => alert.getAttribute('data-state')).toBe('acknowledged');
    // The focus stays on the alert (its Acknowledge button has gone; the next is Resolve).
    await alert.getByRole('button', { name: /^Resolve/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#alerts details summary').textContent()).toBe('Resolved in the last day (1)');
    const stored = (await (await fetch(`${product.mapUrl}api/v1/alerts`)).json()) as { alerts: { kind: string; state: string; deviceId: string }[] };
    expect(stored.alerts).toMatchObject([{ kind: 'daqi_high', state: 'resolved', deviceId: 'aq-004' }]);
  });

  it('lists a silent device as offline, badges it in the table, and raises an offline alert', async () => {
    // aq-005's newest reading is 40 minutes old: over the default 30 minutes, so offline.
    await publish(product, 'aq-005', [{ time: new Date(Date.now() - 40 * 60_000).toISOString(), values: { no2: 20 } }]);
    const silent = page.locator('#silent-devices li', { hasText: 'Offline: nothing for 40 min' });
    await silent.waitFor({ timeout: 5000 });
    expect(await page.locator('#silent-devices li').first().textContent()).toMatch(/ — Offline: nothing for 40 min$/);
    expect(await page.locator('#device-table tr[data-device-id="aq-005"] td:nth-of-type(2)').textContent()).toMatch(/^Offline, silent 40 min: DAQI 1 Low/);
    // The server checks for silence every 15 seconds.
    await page.locator('#alerts li.alert', { hasText: 'Device offline' }).waitFor({ timeout: 30_000 });
    await silent.getByRole('button').click();
    await expect.poll(() => page.locator('#selected-device h3').textContent()).toContain('air monitor 5');
    await page.screenshot({ path: `${SCRATCH}offline.png` });
  });

  it('stops showing a kind of device the user switches off, and says its rows are not live', async () => {
    await page.getByLabel('Traffic counters (squares)').uncheck();
    await expect.poll(() => page.locator('#device-table tr[data-device-id="tr-001"] td:nth-of-type(2)').textContent()).toMatch(/^Not live \(not shown on the map\)/);
    await page.waitForTimeout(300); // the view reaches the server
    await publish(product, 'tr-001', [{ time: new Date().toISOString(), values: { speed_kmh: 31, cars_and_taxis: 12 } }]);
    await page.waitForTimeout(1000);
    expect(await page.locator('#device-table tr[data-device-id="tr-001"] td:nth-of-type(2)').textContent()).toBe('Not live (not shown on the map): No reading yet');
    // Switched back on, the page is brought up to date at once.
    await page.getByLabel('Traffic counters (squares)').check();
    await expect.poll(() => page.locator('#device-table tr[data-device-id="tr-001"] td:nth-of-type(2)').textContent()).toMatch(/^31 km\/h, 720 motor vehicles\/h/);
    await page.getByLabel('Shade wards by').selectOption('no2');
    await expect.poll(() => page.locator('#legend').textContent()).toContain('Ward shading: Nitrogen dioxide (NO₂), µg/m³');
    await page.waitForTimeout(800);
    await page.locator('#map').screenshot({ path: `${SCRATCH}ward-shading.png` });
  });

  it('has no WCAG 2.2 AA violations that axe-core can find', async () => {
    // Live, with a device selected (its chart and the chart's table open), the table sorted by a
    // column and the map drawn. (The replay test checks the page while it replays.)
    await page.locator('#device-chart details summary').click();
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });

  it('fits a phone’s width, with only the wide tables scrolling sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SCRATCH}narrow.png`, fullPage: true });
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
