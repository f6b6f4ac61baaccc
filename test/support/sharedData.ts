import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The real open data the project's tests read from ../shared/data (Trafford wards, ONS 2023, under
 * the Open Government Licence). It is not copied into the repository; a missing file fails the test
 * with this message rather than skipping it.
 */
export function sharedDataFile(relative: string): string {
  const path = fileURLToPath(new URL(`../../../shared/data/${relative}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: the tests read real open data from ../shared/data beside the repository.`);
  return path;
}

export const TRAFFORD_WARDS = 'trafford/wards-2023-full.geojson';

export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../../geo/import/fixtures/${relative}`, import.meta.url));
}
