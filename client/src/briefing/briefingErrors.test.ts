import { describe, expect, it } from 'vitest';
import { briefingProblems } from './briefingErrors.js';

describe('briefingProblems', () => {
  it('lists each bad parameter, and offers the last 30 days for a bad period', () => {
    const body = { code: 'api.invalid_query', message: 'The query parameters are not valid.', issues: [{ parameter: 'to', problem: 'to must be yesterday or earlier' }], wards: [] };
    expect(briefingProblems(400, body, '/briefing/ward/E05015239')).toEqual([
      { text: 'To must be yesterday or earlier', href: null },
      { text: 'Show the briefing for the last 30 days instead', href: '/briefing/ward/E05015239?period=30d' },
    ]);
  });

  it('falls back to the message, or to the status when the body is not the API’s', () => {
    expect(briefingProblems(500, { code: 'api.internal', message: 'Something went wrong.', issues: [], wards: [] }, '/briefing/ward/x')).toEqual([{ text: 'Something went wrong.', href: null }]);
    expect(briefingProblems(502, null, '/briefing/ward/x')[0]?.text).toContain('HTTP 502');
  });
});
