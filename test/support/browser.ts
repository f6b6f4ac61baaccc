import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

/** Debian's Chromium, headless, with nothing fetched from the network by the browser itself. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** How many pixels of a screenshot have exactly this colour (within `tolerance` per channel). */
export function countColour(png: Buffer, hex: string, tolerance = 2): number {
  const image = PNG.sync.read(png);
  const target = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (
      Math.abs((image.data[i] as number) - target[0]) <= tolerance &&
      Math.abs((image.data[i + 1] as number) - target[1]) <= tolerance &&
      Math.abs((image.data[i + 2] as number) - target[2]) <= tolerance
    ) {
      count++;
    }
  }
  return count;
}

/** The number of distinct colours in a screenshot: a blank or failed page has a handful. */
export function distinctColours(png: Buffer): number {
  const image = PNG.sync.read(png);
  const seen = new Set<number>();
  for (let i = 0; i < image.data.length; i += 4) {
    seen.add(((image.data[i] as number) << 16) | ((image.data[i + 1] as number) << 8) | (image.data[i + 2] as number));
  }
  return seen.size;
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeGlobals {
  axe?: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] }[] }> };
  document: unknown;
}

export interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** What axe-core finds against WCAG 2.0, 2.1 and 2.2 A and AA, each with the elements at fault. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => (globalThis as unknown as AxeGlobals).axe !== undefined))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as Required<AxeGlobals>;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
}
