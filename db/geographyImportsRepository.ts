import type { Queryable } from './pool.js';

/**
 * `geography_imports` and its staging tables: large imports commit their kept rows chunk by chunk,
 * each chunk with its resume point, so an interrupted import carries on exactly where it stopped.
 */

export const GEOGRAPHY_DATASETS = ['wards', 'uprn', 'usrn', 'street_names', 'links'] as const;
export type GeographyDataset = (typeof GEOGRAPHY_DATASETS)[number];

export interface GeographyImport {
  id: number;
  dataset: GeographyDataset;
  fileName: string;
  fingerprint: string;
  options: Record<string, unknown>;
  state: 'running' | 'done';
  resumeOffset: number;
  resumeLine: number;
  rowsScanned: number;
  rowsKept: number;
  startedAt: Date;
  finishedAt: Date | null;
}

interface ImportRow {
  id: string;
  dataset: GeographyDataset;
  file_name: string;
  fingerprint: string;
  options: Record<string, unknown>;
  state: 'running' | 'done';
  resume_offset: string;
  resume_line: string;
  rows_scanned: string;
  rows_kept: string;
  started_at: Date;
  finished_at: Date | null;
}

function toImport(row: ImportRow): GeographyImport {
  return {
    id: Number(row.id),
    dataset: row.dataset,
    fileName: row.file_name,
    fingerprint: row.fingerprint,
    options: row.options,
    state: row.state,
    resumeOffset: Number(row.resume_offset),
    resumeLine: Number(row.resume_line),
    rowsScanned: Number(row.rows_scanned),
    rowsKept: Number(row.rows_kept),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export interface ImportProgress {
  resumeOffset: number;
  resumeLine: number;
  rowsScanned: number;
  rowsKept: number;
}

export class GeographyImportsRepository {
  constructor(private readonly db: Queryable) {}

  /** The newest import of a dataset in the given state, if any. */
  async latest(dataset: GeographyDataset, state: 'running' | 'done'): Promise<GeographyImport | null> {
    const result = await this.db.query<ImportRow>(
      'SELECT * FROM geography_imports WHERE dataset = $1 AND state = $2 ORDER BY id DESC LIMIT 1',
      [dataset, state],
    );
    const row = result.rows[0];
    return row ? toImport(row) : null;
  }

  async list(): Promise<GeographyImport[]> {
    const result = await this.db.query<ImportRow>('SELECT * FROM geography_imports ORDER BY id');
    return result.rows.map(toImport);
  }

  /** Starts an import, dropping any unfinished import of the same dataset and its staged rows. */
  async start(dataset: GeographyDataset, fileName: string, fingerprint: string, options: Record<string, unknown>): Promise<GeographyImport> {
    await this.db.query(`DELETE FROM geography_imports WHERE dataset = $1 AND state = 'running'`, [dataset]);
    const result = await this.db.query<ImportRow>(
      `INSERT INTO geography_imports (dataset, file_name, fingerprint, options, state) VALUES ($1, $2, $3, $4, 'running') RETURNING *`,
      [dataset, fileName, fingerprint, JSON.stringify(options)],
    );
    return toImport(result.rows[0] as ImportRow);
  }

  async saveProgress(id: number, progress: ImportProgress): Promise<void> {
    await this.db.query(
      'UPDATE geography_imports SET resume_offset = $2, resume_line = $3, rows_scanned = $4, rows_kept = $5 WHERE id = $1',
      [id, progress.resumeOffset, progress.resumeLine, progress.rowsScanned, progress.rowsKept],
    );
  }

  async stageProperties(id: number, uprns: ArrayLike<number>, lons: ArrayLike<number>, lats: ArrayLike<number>): Promise<void> {
    if (uprns.length === 0) return;
    await this.db.query(
      'INSERT INTO staging_properties (import_id, uprn, lon, lat) SELECT $1, * FROM unnest($2::int8[], $3::float8[], $4::float8[])',
      [id, Array.from(uprns), Array.from(lons), Array.from(lats)],
    );
  }

  async stageLinks(id: number, uprns: ArrayLike<number>, usrns: ArrayLike<number>): Promise<void> {
    if (uprns.length === 0) return;
    await this.db.query('INSERT INTO staging_property_streets (import_id, uprn, usrn) SELECT $1, * FROM unnest($2::int8[], $3::int8[])', [
      id,
      Array.from(uprns),
      Array.from(usrns),
    ]);
  }

  /** Marks an import done and frees its staged rows; older records of the dataset are kept as history. */
  async finish(id: number, progress: ImportProgress): Promise<void> {
    await this.saveProgress(id, progress);
    await this.db.query(`UPDATE geography_imports SET state = 'done', finished_at = now() WHERE id = $1`, [id]);
    await this.db.query('DELETE FROM staging_properties WHERE import_id = $1', [id]);
    await this.db.query('DELETE FROM staging_property_streets WHERE import_id = $1', [id]);
  }
}
