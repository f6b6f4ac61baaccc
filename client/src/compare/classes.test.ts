import { describe, expect, it } from 'vitest';
import { classColour, classIndex, safeColour } from './classes.js';
import type { BreakClass } from './compareResponse.js';

const CLASSES: BreakClass[] = [
  { lower: 0, upper: 10, label: '0–10', colour: '#f2f0f7' },
  { lower: 10, upper: 40, label: '10–40', colour: '#9e9ac8' },
  { lower: 40, upper: null, label: '40+', colour: '#54278f' },
];

describe('classIndex', () => {
  it('puts a value in the class with lower ≤ v < upper', () => {
    expect(classIndex(0, CLASSES)).toBe(0);
    expect(classIndex(9.99, CLASSES)).toBe(0);
    expect(classIndex(10, CLASSES)).toBe(1);
    expect(classIndex(40, CLASSES)).toBe(2);
    expect(classIndex(4000, CLASSES)).toBe(2);
  });

  it('has no class for no data', () => {
    expect(classIndex(null, CLASSES)).toBeNull();
    expect(classColour(null, CLASSES)).toBeNull();
    expect(classIndex(5, [])).toBeNull();
  });

  it('keeps values outside the classes in the nearest one', () => {
    expect(classIndex(-1, CLASSES)).toBe(0);
    expect(classIndex(50, CLASSES.slice(0, 2))).toBe(1);
  });

  it('uses only plain hex colours', () => {
    expect(classColour(12, CLASSES)).toBe('#9e9ac8');
    expect(safeColour('red" onload="x')).toBe('#f3f2f1');
    expect(safeColour('#ABC')).toBe('#ABC');
  });
});
