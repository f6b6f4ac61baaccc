/**
 * Pages of a long table: a live table of thousands of rows re-laid out on every update is what made
 * the live map slow (docs/live-performance.md), and no one reads thousands of rows at once. Sorting
 * and filtering still apply to every row; only one page of them is in the document.
 */

export const PAGE_SIZE = 50;

export interface Page {
  /** 0-based page shown, after clamping. */
  index: number;
  pages: number;
  /** Rows [start, end) of the sorted, filtered list. */
  start: number;
  end: number;
  total: number;
}

/** The page `requested` clamped to what exists (a shrinking list never leaves an empty page). */
export function pageOf(total: number, requested: number, size = PAGE_SIZE): Page {
  const pages = Math.max(1, Math.ceil(total / size));
  const index = Math.min(Math.max(0, requested), pages - 1);
  return { index, pages, start: index * size, end: Math.min(total, (index + 1) * size), total };
}

/** The page holding row `position`. */
export function pageHolding(position: number, size = PAGE_SIZE): number {
  return Math.floor(position / size);
}

const WHOLE = new Intl.NumberFormat('en-GB');

/** "Rows 51–100 of 2,000 · page 2 of 40". */
export function pageText(page: Page): string {
  if (page.total === 0) return 'No rows';
  return `Rows ${WHOLE.format(page.start + 1)}–${WHOLE.format(page.end)} of ${WHOLE.format(page.total)} · page ${page.index + 1} of ${page.pages}`;
}

/**
 * Previous and Next buttons with the page's place between them, in a labelled <nav>. Hidden when
 * everything fits on one page. The buttons stay in place from one render to the next, so the focus
 * stays on them while readings arrive.
 */
export function renderPager(nav: HTMLElement, page: Page, onPage: (index: number) => void): void {
  nav.hidden = page.pages <= 1;
  let previous = nav.querySelector<HTMLButtonElement>('button[data-step="-1"]');
  let next = nav.querySelector<HTMLButtonElement>('button[data-step="1"]');
  let text = nav.querySelector<HTMLElement>('.page-text');
  if (!previous || !next || !text) {
    previous = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Previous page' });
    previous.dataset.step = '-1';
    next = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Next page' });
    next.dataset.step = '1';
    text = Object.assign(document.createElement('span'), { className: 'page-text' });
    nav.replaceChildren(previous, text, next);
  }
  previous.disabled = page.index === 0;
  next.disabled = page.index >= page.pages - 1;
  previous.onclick = () => onPage(page.index - 1);
  next.onclick = () => onPage(page.index + 1);
  const label = pageText(page);
  if (text.textContent !== label) text.textContent = label;
}
