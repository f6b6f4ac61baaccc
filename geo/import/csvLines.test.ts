import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import { cursor, parseDecimalField, parseIntegerField, splitCsvLine } from './csvLines.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseDecimalField', () => {
  it('gives exactly the double Number() gives, for the widths the products use', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 5000; i++) {
      const decimals = Math.floor(random() * 9);
      const text = ((random() - 0.5) * 10 ** Math.floor(random() * 8)).toFixed(decimals);
      expect(parseDecimalField(bytes(`${text},`), 0, text.length + 1)).toBe(Number(text));
      expect(cursor.end).toBe(text.length);
    }
  });

  it.each(['53.4466000', '-2.3086', '0.5', '.5', '12.', '700000', '1234567890.123456789', '-0.0000001'])('reads %s', (text) => {
    expect(parseDecimalField(bytes(text), 0, text.length)).toBe(Number(text));
  });

  it('stops at the first byte that is not part of the number', () => {
    expect(parseDecimalField(bytes('51.44x'), 0, 6)).toBe(51.44);
    expect(cursor.end).toBe(5);
    expect(parseDecimalField(bytes('1.2.3'), 0, 5)).toBe(1.2);
    expect(cursor.end).toBe(3);
  });

  it.each(['', '-', '.', 'x1', ' 1'])('gives NaN for %j', (text) => {
    expect(parseDecimalField(bytes(text), 0, text.length)).toBeNaN();
  });
});

describe('parseIntegerField', () => {
  it('reads up to maxDigits digits and refuses more or none', () => {
    expect(parseIntegerField(bytes('100011780001,'), 0, 13, 12)).toBe(100011780001);
    expect(parseIntegerField(bytes('1000117800011,'), 0, 14, 12)).toBeNaN();
    expect(parseIntegerField(bytes(',1'), 0, 2, 12)).toBeNaN();
    expect(parseIntegerField(bytes('-1'), 0, 2, 12)).toBeNaN();
  });
});

describe('splitCsvLine', () => {
  it('splits on commas outside quotes and undoubles quotes', () => {
    expect(splitCsvLine('a,"b, c","say ""hi""",')).toEqual(['a', 'b, c', 'say "hi"', '']);
  });

  it('returns null for a quote left open', () => {
    expect(splitCsvLine('a,"b')).toBeNull();
  });
});
