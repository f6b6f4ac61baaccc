import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WardShape } from '../../geo/wardIndex.js';

/**
 * The real open data the project's tests read from ../shared/data (Trafford wards, ONS 2023, under
 * the Open Government Licence). It is not copied into the repository. It is looked for in
 * SMARTPLACE_SHARED_DATA, beside this checkout, and beside the checkout this one was cloned from (CI
 * runs on a fresh clone elsewhere); a missing file fails the test with this message, never skips it.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function originCheckout(): string | null {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    // A clone of `.` records its origin as e.g. /work/main/. — resolve before taking the parent.
    return isAbsolute(path) ? resolve(path) : null;
  } catch {
    return null;
  }
}

function candidateDirs(): string[] {
  const origin = originCheckout();
  return [
    ...(process.env.SMARTPLACE_SHARED_DATA ? [process.env.SMARTPLACE_SHARED_DATA] : []),
    join(dirname(ROOT), 'shared', 'data'),
    ...(origin ? [join(dirname(origin), 'shared', 'data')] : []),
  ];
}

export function sharedDataFile(relative: string): string {
  const candidates = candidateDirs().map((dir) => join(dir, relative));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `${relative} is missing from the shared open data: looked in ${candidates.join(', ')}. ` +
        'The tests read real open data from ../shared/data beside the repository (or SMARTPLACE_SHARED_DATA).',
    );
  }
  return found;
}

export const TRAFFORD_WARDS = 'trafford/wards-2023-full.geojson';

export interface TraffordWardProperties {
  area_code: string;
  area_name: string;
  /** The ward's label point, as a string of degrees. */
  lon: string;
  lat: string;
}

/** Trafford's 21 wards at full resolution, as published (CRS84, area_code/area_name). */
export function readTraffordWards(): FeatureCollection<Polygon | MultiPolygon, TraffordWardProperties> {
  return JSON.parse(readFileSync(sharedDataFile(TRAFFORD_WARDS), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, TraffordWardProperties>;
}

/** The same wards as the joins take them. */
export function loadTraffordWards(): WardShape[] {
  return readTraffordWards().features.map((feature) => ({ code: feature.properties.area_code, name: feature.properties.area_name, geometry: feature.geometry }));
}

export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../../geo/import/fixtures/${relative}`, import.meta.url));
}
