import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { z } from 'zod';

/**
 * API errors carry a stable code (`api.device_not_found`) and become an HTTP response in exactly one
 * place, `errorHandler`. Unexpected errors are logged with their stack and reach the client only as
 * `api.internal_error`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, `api.${what}_not_found`, `No ${what.replace(/_/g, ' ')} has the id "${id}".`);

export function invalidQuery(error: z.ZodError): ApiError {
  return new ApiError(
    400,
    'api.invalid_query',
    'The query parameters are not valid.',
    error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? { parameter: issue.keys.join(', '), problem: 'is not a parameter of this endpoint' }
        : { parameter: issue.path.join('.'), problem: issue.message },
    ),
  );
}

/** The request's query string, validated: its value, or a 400 naming every problem. */
export function parseQuery<T>(schema: z.ZodType<T>, request: Request): T {
  const parsed = schema.safeParse(request.query);
  if (!parsed.success) throw invalidQuery(parsed.error);
  return parsed.data;
}

export const unknownRoute: RequestHandler = (request, _response, next) => {
  // baseUrl + path: inside a mounted router `path` alone loses the mount point (/api/v1).
  next(new ApiError(404, 'api.not_found', `There is no API at ${request.method} ${request.baseUrl}${request.path}.`));
};

export function errorHandler(log: { error(object: object, message: string): void }): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    if (response.headersSent) {
      // A streamed answer failed part-way: the status has gone, so cut the response short (the
      // client sees an incomplete body, never a complete-looking wrong one).
      log.error({ err: error, method: request.method, path: request.path }, 'api: a streamed response failed');
      response.destroy();
      return;
    }
    if (error instanceof ApiError) {
      response.status(error.status).json({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
      return;
    }
    log.error({ err: error, method: request.method, path: request.path }, 'api: unexpected error');
    response.status(500).json({ error: { code: 'api.internal_error', message: 'Something went wrong on the server. It has been logged.' } });
  };
}
