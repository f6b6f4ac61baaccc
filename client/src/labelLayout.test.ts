import { describe, expect, it } from 'vitest';
import { LABEL_PIXELS, labelAspect, labelBoxEm, labelPixels, metresPerPixel, visibleLabels, wardLabelSizeM, type PlacedLabel } from './labelLayout.js';

describe('labelBoxEm', () => {
  it('wraps a long name at word boundaries, 14 characters a line, as the map does', () => {
    expect(labelBoxEm('Hale Barns & Timperley South').lines).toEqual(['Hale Barns &', 'Timperley', 'South']);
    expect(labelBoxEm('Brookside').lines).toEqual(['Brookside']);
  });
});

describe('labelAspect and wardLabelSizeM', () => {
  it('looks for room the shape of the label, but never more than twice as wide as tall', () => {
    // "Ab" is 1.24 em × 1.2 em; "Brookside" 5.58 em × 1.2 em, 4.65 : 1.
    expect(labelAspect('Ab')).toBeCloseTo((2 * 0.62) / 1.2, 6);
    expect(labelAspect('Brookside')).toBe(2);
  });

  it('sizes a name so its box fits the ellipse it has room for', () => {
    // A box of the ellipse's own shape fits with half its height R/√2: 1.2 em = 2 × 500/√2 m.
    expect(wardLabelSizeM('Ab', 500)).toBeCloseTo((Math.SQRT2 * 500) / 1.2, 3);
    // A box 4.65 : 1 in a 2 : 1 ellipse: 1.2 em = 2 × 500 / √(1 + 2.325²) m.
    expect(wardLabelSizeM('Brookside', 500)).toBeCloseTo(1000 / Math.sqrt(1 + 2.325 ** 2) / 1.2, 3);
    expect(wardLabelSizeM('Brookside', 1000)).toBeCloseTo(2 * wardLabelSizeM('Brookside', 500), 6);
  });
});

describe('metresPerPixel', () => {
  it('halves with each zoom level and shrinks towards the poles', () => {
    // MapLibre's 512-pixel world: 78 271.5 m a pixel at zoom 0 on the equator.
    expect(metresPerPixel(0, 0)).toBeCloseTo(78_271.517, 2);
    expect(metresPerPixel(0, 13)).toBeCloseTo(78_271.517 / 8192, 4);
    expect(metresPerPixel(60, 0)).toBeCloseTo(78_271.517 / 2, 2);
  });
});

describe('labelPixels', () => {
  it('keeps the on-screen size within the readable range', () => {
    const label: PlacedLabel = { name: 'Brookside', position: [0, 0], sizeM: 100 };
    // At zoom 13 on the equator a pixel is about 9.55 m: 100 m is about 10.5 px, raised to the minimum.
    expect(labelPixels(label, 13)).toBe(LABEL_PIXELS.min);
    // At zoom 13.5 a pixel is about 6.76 m: 100 m is about 14.8 px, in range.
    expect(labelPixels(label, 13.5)).toBeCloseTo(100 / (78_271.517 / 2 ** 13.5), 3);
    expect(labelPixels(label, 14)).toBe(LABEL_PIXELS.max);
  });
});

describe('visibleLabels', () => {
  // Two wards' names 0.01° apart on the equator: about 28.5 px apart at zoom 12, 228 px at zoom 15.
  const big: PlacedLabel = { name: 'Riverside', position: [0, 0], sizeM: 400 };
  const small: PlacedLabel = { name: 'Millbank', position: [0.01, 0], sizeM: 150 };

  it('drops the name with less room when two would overlap', () => {
    expect(visibleLabels([small, big], 12)).toEqual([big]);
  });

  it('shows both once the map is zoomed in far enough to part them', () => {
    expect(visibleLabels([small, big], 15)).toEqual([small, big]);
  });

  it('keeps the input order and leaves the input alone', () => {
    const input = [small, big];
    visibleLabels(input, 12);
    expect(input).toEqual([small, big]);
  });
});
