import { describe, expect, it } from 'vitest';
import { deviceHealth } from '../../core/deviceHealth.js';
import { completenessText, healthText } from './deviceQuality.js';

describe('the selected device’s quality', () => {
  it('says how much arrived and how much on time, in plain numbers', () => {
    expect(completenessText({ completeness: { received: 1325, expected: 1440, percent: 92 }, timeliness: { received: 1325, onTime: 1298, percent: 98 } })).toBe(
      '92 % of expected readings (1,325 of 1,440); 98 % arrived within 15 minutes.',
    );
    expect(completenessText({ completeness: { received: 0, expected: 1440, percent: 0 }, timeliness: { received: 0, onTime: 0, percent: null } })).toBe(
      '0 % of expected readings (0 of 1,440).',
    );
  });

  it('says whether it is reporting, and how long it has been silent against its interval', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const rules = { offlineAfterS: 1800 };
    expect(healthText(deviceHealth(60, now - 30_000, now, rules), 60)).toBe('Reporting');
    expect(healthText(deviceHealth(60, now - 240_000, now, rules), 60)).toBe('Late: silent 4 min (expected every 1 min)');
    expect(healthText(deviceHealth(60, now - 7_200_000, now, rules), 60)).toBe('Offline: silent 2 h (expected every 1 min)');
    expect(healthText(undefined, 60)).toBe('No reading yet');
  });
});
