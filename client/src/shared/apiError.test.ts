import { describe, expect, it } from 'vitest';
import { parseApiError } from './apiError.js';

describe('parseApiError', () => {
  it('reads the server’s error bodies (server/errors.ts)', () => {
    expect(parseApiError({ error: { code: 'api.ward_not_found', message: 'There is no ward E05999999 in this area.', details: { wards: ['E05999999'] } } })).toEqual({
      code: 'api.ward_not_found',
      message: 'There is no ward E05999999 in this area.',
      issues: [],
      wards: ['E05999999'],
    });
    expect(parseApiError({ error: { code: 'api.invalid_query', message: 'The query parameters are not valid.', details: [{ parameter: 'to', problem: 'a period may be at most 366 days' }] } })).toEqual({
      code: 'api.invalid_query',
      message: 'The query parameters are not valid.',
      issues: [{ parameter: 'to', problem: 'a period may be at most 366 days' }],
      wards: [],
    });
    expect(parseApiError('<html>Bad gateway</html>')).toBeNull();
  });
});
