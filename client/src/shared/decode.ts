/**
 * A few small decoders for JSON from the server. The browser bundle stays free of zod (core/ keeps it
 * out of what the client imports), yet what arrives is still checked at the boundary: a decoder
 * returns the typed value or throws a DecodeError naming the path that is wrong. Objects keep only
 * the fields asked for.
 */

export class DecodeError extends Error {
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path || 'the answer'} should be ${expected}`);
    this.name = 'DecodeError';
  }
}

export type Decoder<T> = (value: unknown, path: string) => T;
export type Decoded<D> = D extends Decoder<infer T> ? T : never;

export const string: Decoder<string> = (value, path) => {
  if (typeof value !== 'string') throw new DecodeError(path, 'a string');
  return value;
};

export const number: Decoder<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new DecodeError(path, 'a number');
  return value;
};

export const boolean: Decoder<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new DecodeError(path, 'true or false');
  return value;
};

export function oneOf<const T extends string>(values: readonly T[]): Decoder<T> {
  return (value, path) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw new DecodeError(path, `one of ${values.join(', ')}`);
    return value as T;
  };
}

export function nullable<T>(decoder: Decoder<T>): Decoder<T | null> {
  return (value, path) => (value === null ? null : decoder(value, path));
}

/** A field that may be missing; missing and null both become null. */
export function optional<T>(decoder: Decoder<T>): Decoder<T | null> {
  return (value, path) => (value === undefined || value === null ? null : decoder(value, path));
}

export function array<T>(decoder: Decoder<T>): Decoder<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new DecodeError(path, 'a list');
    return value.map((item, i) => decoder(item, `${path}[${i}]`));
  };
}

export function object<S extends Record<string, Decoder<unknown>>>(shape: S): Decoder<{ [K in keyof S]: Decoded<S[K]> }> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError(path, 'an object');
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const [key, decoder] of Object.entries(shape)) result[key] = decoder(source[key], path ? `${path}.${key}` : key);
    return result as { [K in keyof S]: Decoded<S[K]> };
  };
}
