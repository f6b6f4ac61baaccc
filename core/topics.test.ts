import { describe, expect, it } from 'vitest';
import { topicsFor } from './topics.js';

describe('topicsFor', () => {
  const topics = topicsFor('smartplace');

  it('builds device and internal topics under the prefix', () => {
    expect(topics.readings('aq-001')).toBe('smartplace/v1/devices/aq-001/readings');
    expect(topics.readingsFilter).toBe('smartplace/v1/devices/+/readings');
    expect(topics.stored).toBe('smartplace/internal/v1/stored');
    expect(topics.ingestStatus('box-1')).toBe('smartplace/internal/v1/ingest/box-1/status');
  });

  it('reads the device id back out of a readings topic', () => {
    expect(topics.deviceIdOf('smartplace/v1/devices/aq-001/readings')).toBe('aq-001');
  });

  it.each([
    'smartplace/v1/devices//readings',
    'smartplace/v1/devices/a/b/readings',
    'other/v1/devices/aq-001/readings',
    'smartplace/v1/devices/aq-001/status',
    'smartplace/internal/v1/stored',
  ])('does not take %s for a readings topic', (topic) => {
    expect(topics.deviceIdOf(topic)).toBeUndefined();
  });

  it('works with a multi-level prefix', () => {
    const nested = topicsFor('council/test-7');
    expect(nested.deviceIdOf(nested.readings('tr-002'))).toBe('tr-002');
  });
});
