import type { GeographyMeta } from '../core/area.js';
import type { Queryable } from './pool.js';

/** The one `geography_meta` row: the geography's name, sources and version. */
export class GeographyMetaRepository {
  constructor(private readonly db: Queryable) {}

  async get(): Promise<GeographyMeta | null> {
    const result = await this.db.query<GeographyMeta>('SELECT name, synthetic, notice, attribution, version FROM geography_meta');
    return result.rows[0] ?? null;
  }

  /** The version alone: cheap enough to poll. 0 when no geography has been loaded. */
  async version(): Promise<number> {
    const result = await this.db.query<{ version: number }>('SELECT version FROM geography_meta');
    return result.rows[0]?.version ?? 0;
  }

  /** Sets the description and moves the version on, so running processes reload. */
  async set(meta: Omit<GeographyMeta, 'version'>): Promise<number> {
    const result = await this.db.query<{ version: number }>(
      `INSERT INTO geography_meta (name, synthetic, notice, attribution) VALUES ($1, $2, $3, $4)
       ON CONFLICT (singleton) DO UPDATE SET name = EXCLUDED.name, synthetic = EXCLUDED.synthetic, notice = EXCLUDED.notice,
         attribution = EXCLUDED.attribution, version = geography_meta.version + 1, updated_at = now()
       RETURNING version`,
      [meta.name, meta.synthetic, meta.notice, meta.attribution],
    );
    return (result.rows[0] as { version: number }).version;
  }
}
