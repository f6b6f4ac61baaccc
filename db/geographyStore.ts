import type { GeographyMeta } from '../core/area.js';
import { buildGeography, type Geography, type GeographyData } from '../geo/geographyModel.js';
import { countUprnsPerStreet, type JoinDistances } from '../geo/geographyIndex.js';
import { DevicesRepository, type DevicePlace } from './devicesRepository.js';
import { GeographyMetaRepository } from './geographyMetaRepository.js';
import type { Db, Queryable } from './pool.js';
import { PropertiesRepository } from './propertiesRepository.js';
import { StreetsRepository } from './streetsRepository.js';
import { WardsRepository } from './wardsRepository.js';

/**
 * The geography in the database, loaded into the in-memory indexes the product joins with, and
 * kept current: processes poll the version (one tiny query) and reload after an import.
 */

export async function loadGeographyData(db: Queryable): Promise<GeographyData | null> {
  const meta = await new GeographyMetaRepository(db).get();
  if (!meta) return null;
  const [wards, streets, properties] = [
    await new WardsRepository(db).list(),
    await new StreetsRepository(db).list(),
    await new PropertiesRepository(db).points(),
  ];
  return { meta, wards, streets, properties };
}

export class GeographyStore {
  private geography: Geography | null = null;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly db: Queryable,
    private readonly distances: JoinDistances,
  ) {}

  /** The loaded geography, or null when none has been loaded (no demo, nothing imported). */
  get current(): Geography | null {
    return this.geography;
  }

  async load(): Promise<Geography | null> {
    const data = await loadGeographyData(this.db);
    this.geography = data ? buildGeography(data, this.distances) : null;
    return this.geography;
  }

  /** Reloads when the stored version moves on; `onChange` hears about each new geography. */
  watch(everyMs: number, onChange: (geography: Geography | null) => void, onError: (error: Error) => void): void {
    this.timer = setInterval(() => {
      if (this.checking) return;
      this.checking = true;
      new GeographyMetaRepository(this.db)
        .version()
        .then(async (version) => {
          if (version === (this.geography?.version ?? 0)) return;
          onChange(await this.load());
        })
        .catch((error: unknown) => onError(error as Error))
        .finally(() => {
          this.checking = false;
        });
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface GeographyChangeResult {
  version: number;
  wards: number;
  streets: number;
  properties: number;
  devicesRejoined: number;
}

/**
 * Applies a change to the geography in one transaction, then, in the same transaction, recounts the
 * properties on each street, re-joins every device to the new geography and moves the version on.
 * If anything fails, the previous geography is left exactly as it was.
 */
export async function applyGeographyChange(
  db: Db,
  distances: JoinDistances,
  change: (tx: Queryable, current: GeographyMeta | null) => Promise<Omit<GeographyMeta, 'version'> | null>,
): Promise<GeographyChangeResult | null> {
  return db.transaction(async (tx) => {
    // One change at a time, whichever process makes it (two servers starting together both seed the demo).
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['smartplace.geography']);
    const metaRepository = new GeographyMetaRepository(tx);
    const meta = await change(tx, await metaRepository.get());
    if (meta === null) return null;
    const [wards, streets, points] = [
      await new WardsRepository(tx).list(),
      await new StreetsRepository(tx).list(),
      await new PropertiesRepository(tx).points(),
    ];
    const data = { meta: { ...meta, version: 0 }, wards, streets, properties: points };
    const geography = buildGeography(data, distances);

    const properties = new PropertiesRepository(tx);
    const links = await properties.links();
    const counts = countUprnsPerStreet(points, links.uprns.length > 0 ? links : null, geography.streets, distances.streetMaxDistanceM);
    await new StreetsRepository(tx).setUprnCounts(counts);

    const devices = new DevicesRepository(tx);
    const places = new Map<string, DevicePlace>();
    for (const device of await devices.positions()) places.set(device.id, geography.locate(device.lon, device.lat));
    await devices.setPlaces(places);
    const version = await metaRepository.set(meta);
    return { version, wards: wards.length, streets: streets.length, properties: points.uprns.length, devicesRejoined: places.size };
  });
}
