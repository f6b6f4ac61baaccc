import { describe, expect, it } from 'vitest';
import { pageHolding, pageOf, pageText } from './tablePages.js';

describe('table pages', () => {
  it('cuts a list into pages of 50 and clamps a page that no longer exists', () => {
    expect(pageOf(2000, 1)).toEqual({ index: 1, pages: 40, start: 50, end: 100, total: 2000 });
    expect(pageOf(120, 9)).toEqual({ index: 2, pages: 3, start: 100, end: 120, total: 120 });
    expect(pageOf(0, 3)).toEqual({ index: 0, pages: 1, start: 0, end: 0, total: 0 });
    expect(pageHolding(49)).toBe(0);
    expect(pageHolding(50)).toBe(1);
  });

  it('says where the page is', () => {
    expect(pageText(pageOf(2000, 1))).toBe('Rows 51–100 of 2,000 · page 2 of 40');
    expect(pageText(pageOf(0, 0))).toBe('No rows');
  });
});
