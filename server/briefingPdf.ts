import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * Briefings as A4 PDF, printed by headless Chromium from the briefing page itself (its print
 * stylesheet), so the PDF and the printed page are the same. One browser, started at the first PDF
 * and kept; at most two pages print at once. Without Chromium, `available` is false and the route
 * answers 503 (the page then points to its print stylesheet).
 */

const MAX_AT_ONCE = 2;
const PAGE_TIMEOUT_MS = 20_000;

export class BriefingPdf {
  private browser: Promise<Browser> | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly chromiumPath: string) {}

  get available(): boolean {
    return existsSync(this.chromiumPath);
  }

  /** Prints the page at `url` (on this server) once it says it is ready; null when it shows an error instead (an unknown place, a bad period). */
  async render(url: string): Promise<Buffer | null> {
    await this.slot();
    try {
      const browser = await this.launch();
      const page = await browser.newPage();
      try {
        await page.goto(url, { timeout: PAGE_TIMEOUT_MS });
        await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: PAGE_TIMEOUT_MS });
        if ((await page.getAttribute('body', 'data-state')) !== 'ready') return null;
        return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      } finally {
        await page.close();
      }
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => null))?.close();
  }

  private async slot(): Promise<void> {
    if (this.running >= MAX_AT_ONCE) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
  }

  private launch(): Promise<Browser> {
    this.browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({ executablePath: this.chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] }),
    );
    // A failed start is tried again at the next PDF.
    this.browser.catch(() => (this.browser = undefined));
    return this.browser;
  }
}
