import type { JoinDistances } from '../geo/geographyIndex.js';
import { DEMO_AREA_NOTICE, type DemoArea } from '../geo/demoArea.js';
import { applyGeographyChange, type GeographyChangeResult } from './geographyStore.js';
import type { Db } from './pool.js';
import { PropertiesRepository } from './propertiesRepository.js';
import { StreetsRepository } from './streetsRepository.js';
import { WardsRepository } from './wardsRepository.js';

/**
 * Writes the synthetic demo borough into the geography tables, so the demo runs on exactly the code
 * an imported area does. Only when there is no geography yet, or an older edition of the demo's:
 * an imported (real) geography is never replaced.
 */
export async function seedDemoGeography(db: Db, demo: DemoArea, distances: JoinDistances): Promise<GeographyChangeResult | null> {
  const { geography } = demo;
  return applyGeographyChange(db, distances, async (tx, current) => {
    if (current && (!current.synthetic || current.attribution === geography.attribution)) return null;
    await new WardsRepository(tx).replaceAll(
      geography.wards.features.map((ward) => ({ code: ward.properties.code, name: ward.properties.name, geometry: ward.geometry })),
    );
    const streets = new StreetsRepository(tx);
    await streets.replaceAll(
      geography.streets.features.map((street) => ({
        usrn: street.properties.usrn,
        streetType: street.properties.streetType,
        main: street.properties.main,
        geometry: street.geometry,
      })),
    );
    await streets.replaceNames(
      geography.streets.features.map((street) => ({ usrn: street.properties.usrn, name: street.properties.name ?? '', locality: null, town: geography.name })),
    );
    const properties = new PropertiesRepository(tx);
    await properties.replaceAll(demo.properties);
    await properties.replaceLinks(demo.links);
    return { name: geography.name, synthetic: true, notice: DEMO_AREA_NOTICE, attribution: geography.attribution };
  });
}
