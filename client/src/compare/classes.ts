import type { BreakClass } from './compareResponse.js';

/**
 * Which of the server's choropleth classes a value falls in: class i holds lower ≤ v < upper, and an
 * upper of null has no limit. A value below the first class joins it and one above the last joins
 * that, so a ward with data is never drawn as if it had none.
 */

/** Hatched light grey, named in the legend: a ward without data is not a colour of the scale. */
export const NO_DATA_FILL = '#f3f2f1';
export const NO_DATA_HATCH = '#6f777b';

export function classIndex(value: number | null, classes: readonly BreakClass[]): number | null {
  if (value === null || classes.length === 0) return null;
  const found = classes.findIndex((item) => value >= item.lower && (item.upper === null || value < item.upper));
  if (found >= 0) return found;
  return value < (classes[0] as BreakClass).lower ? 0 : classes.length - 1;
}

export function classColour(value: number | null, classes: readonly BreakClass[]): string | null {
  const index = classIndex(value, classes);
  return index === null ? null : safeColour((classes[index] as BreakClass).colour);
}

/** A colour from the server, written into SVG and CSS only if it is a plain hex colour. */
export function safeColour(colour: string): string {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(colour) ? colour : NO_DATA_FILL;
}
