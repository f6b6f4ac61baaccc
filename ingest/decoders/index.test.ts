import { describe, expect, it } from 'vitest';
import { PAYLOAD_FORMATS } from '../../core/device.js';
import { DECODERS } from './index.js';

describe('DECODERS', () => {
  it('has a decoder for every payload format', () => {
    expect(Object.keys(DECODERS).sort()).toEqual([...PAYLOAD_FORMATS].sort());
  });

  it('refuses bytes that are not UTF-8 JSON in every format', () => {
    for (const format of PAYLOAD_FORMATS) {
      const result = DECODERS[format](
        { topic: 'v1.1/Datastreams(1)/Observations', topicKey: '0004a30b00f1e2d3', payload: new Uint8Array([0x7b, 0xff]) },
        { now: new Date('2026-11-21T10:30:00Z'), datastream: () => ({ metric: 'no2', unit: 'ug/m3' }) },
      );
      expect(result, format).toMatchObject({ ok: false, reason: 'ingest.invalid_json' });
    }
  });
});
