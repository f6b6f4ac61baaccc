/**
 * Generous extents for checking coordinates in the national products. OS Open UPRN and USRN cover
 * Great Britain only, and ONS wards add Northern Ireland at most; a value outside these is a
 * corrupt row or swapped columns (latitude in the longitude column), never a real place we serve.
 */

/** WGS84/ETRS89 degrees: Scilly and St Kilda to Lowestoft, Lizard Point to Shetland, with margin. */
export const LONGITUDE_RANGE = [-9, 2] as const;
export const LATITUDE_RANGE = [49, 61] as const;

/** British National Grid metres: the grid's published extent. */
export const EASTING_RANGE = [0, 700_000] as const;
export const NORTHING_RANGE = [0, 1_300_000] as const;

export function inRange(value: number, [min, max]: readonly [number, number]): boolean {
  return value >= min && value <= max;
}
