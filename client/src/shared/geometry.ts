import { DecodeError, type Decoder } from './decode.js';

/** GeoJSON positions as the pages draw them: WGS84 [longitude, latitude], anything after dropped. */

export type Position = readonly [number, number];
export type Ring = Position[];

export const position: Decoder<Position> = (value, path) => {
  if (!Array.isArray(value) || value.length < 2 || typeof value[0] !== 'number' || typeof value[1] !== 'number' || !Number.isFinite(value[0]) || !Number.isFinite(value[1])) {
    throw new DecodeError(path, 'a [longitude, latitude] pair');
  }
  return [value[0], value[1]];
};
