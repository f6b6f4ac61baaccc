import { describe, expect, it } from 'vitest';
import { yearEarlier } from '../core/londonTime.js';
import { trendStart } from './wardCompareService.js';

describe('the comparison’s other periods', () => {
  it('takes the same dates a year earlier, 29 February becoming the 28th', () => {
    expect(yearEarlier('2026-02-28')).toBe('2025-02-28');
    expect(yearEarlier('2028-02-29')).toBe('2027-02-28');
    expect(yearEarlier('2026-01-01')).toBe('2025-01-01');
  });

  it('starts the trend on the first day of the month eleven months back', () => {
    expect(trendStart('2026-02-28')).toBe('2025-03-01');
    expect(trendStart('2026-12-31')).toBe('2026-01-01');
    expect(trendStart('2026-01-15')).toBe('2025-02-01');
  });
});
