import { describe, expect, it } from 'vitest';
import { serverErrors } from './errorSummary.js';

describe('serverErrors', () => {
  it('puts a 400’s issues next to the fields they name', () => {
    const body = { code: 'api.invalid_query', message: 'The query parameters are not valid.', issues: [{ parameter: 'to', problem: 'to must be a whole day that is over: 2026-11-21 or earlier' }, { parameter: 'colour', problem: 'is not a parameter of this endpoint' }], wards: [] };
    expect(serverErrors(400, body)).toEqual({ fields: [{ field: 'to', message: 'To must be a whole day that is over: 2026-11-21 or earlier' }], general: ['colour: is not a parameter of this endpoint'] });
  });

  it('puts an unknown ward on the wards field with the server’s message', () => {
    expect(serverErrors(404, { code: 'api.ward_not_found', message: 'There is no ward E05999999 in this area.', issues: [], wards: ['E05999999'] })).toEqual({
      fields: [{ field: 'wards', message: 'There is no ward E05999999 in this area.' }],
      general: [],
    });
  });

  it('falls back to the message, or to the status when the body is not the API’s', () => {
    expect(serverErrors(400, { code: 'api.invalid_query', message: 'The query parameters are not valid.', issues: [], wards: [] }).general).toEqual(['The query parameters are not valid.']);
    expect(serverErrors(502, null).general[0]).toContain('HTTP 502');
  });
});
