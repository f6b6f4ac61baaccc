import { array, object, string } from './decode.js';

/**
 * The server's error body (server/errors.ts), as every page reads it:
 * `{"error":{"code":"api.invalid_query","message":"…","details":[{"parameter":"from","problem":"…"}]}}`.
 */

const apiError = object({
  error: object({
    code: string,
    message: string,
    // A 400 names each bad parameter; a 404 for wards lists them.
    details: (value: unknown) => value,
  }),
});

/** The server's error (server/errors.ts), flattened: its code, message, bad parameters and unknown wards. */
export interface ApiErrorBody {
  code: string;
  message: string;
  issues: { parameter: string; problem: string }[];
  wards: string[];
}

const issues = array(object({ parameter: string, problem: string }));
const unknownWards = object({ wards: array(string) });

/** The body of a 400 or 404, or null when the server sent something else (a proxy's HTML page). */
export function parseApiError(json: unknown): ApiErrorBody | null {
  try {
    const { error } = apiError(json, '');
    const details = error.details;
    return {
      code: error.code,
      message: error.message,
      issues: Array.isArray(details) ? issues(details, 'error.details') : [],
      wards: details !== null && typeof details === 'object' && !Array.isArray(details) ? unknownWards(details, 'error.details').wards : [],
    };
  } catch {
    return null;
  }
}
