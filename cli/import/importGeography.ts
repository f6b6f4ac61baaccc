import { basename, extname } from 'node:path';
import type { GeographyMeta, StreetRecord, WardRecord } from '../../core/area.js';
import { GeographyMetaRepository } from '../../db/geographyMetaRepository.js';
import { GeographyImportsRepository, type GeographyDataset, type GeographyImport, type ImportProgress } from '../../db/geographyImportsRepository.js';
import { applyGeographyChange, type GeographyChangeResult } from '../../db/geographyStore.js';
import type { Db, Queryable } from '../../db/pool.js';
import { PropertiesRepository } from '../../db/propertiesRepository.js';
import { StreetsRepository } from '../../db/streetsRepository.js';
import { WardsRepository } from '../../db/wardsRepository.js';
import type { JoinDistances } from '../../geo/geographyIndex.js';
import { ImportError } from '../../geo/import/importError.js';
import { scanLinkedIdentifiersCsv } from '../../geo/import/linkedIdentifiersCsv.js';
import { readStreetNamesCsv } from '../../geo/import/streetNamesCsv.js';
import { scanUprnCsv, type UprnBatch } from '../../geo/import/uprnCsv.js';
import { scanUprnGeoPackage } from '../../geo/import/uprnGeoPackage.js';
import { readUsrnGeoPackage } from '../../geo/import/usrnGeoPackage.js';
import { readWardsGeoJson, type WardsGeoJsonOptions } from '../../geo/import/wardsGeoJson.js';
import { WardIndex } from '../../geo/wardIndex.js';
import { fileFingerprint } from './fingerprint.js';

/**
 * `smartplace import …`: the use cases that load a council's geography from the national products.
 * Each one reads and validates the whole file before changing anything, then swaps the new rows in
 * with one transaction (applyGeographyChange), which also recounts properties per street and
 * re-joins every device. Large files (UPRN, linked identifiers) are staged chunk by chunk with a
 * resume point, so an interrupted import carries on where it stopped; a finished import of the same
 * file with the same options is recognised and not repeated.
 */

export interface ImportContext {
  db: Db;
  distances: JoinDistances;
  /** Progress for the person at the terminal: called with work done and total (units vary). */
  progress: (label: string, done: number, total: number) => void;
  /** Re-import even when the same file was imported already. */
  force: boolean;
}

export interface ImportSummary {
  dataset: GeographyDataset;
  file: string;
  /** True when this exact file had been imported already and nothing was done. */
  unchanged: boolean;
  /** True when an interrupted import of this file was carried on, not started afresh. */
  resumed: boolean;
  rowsScanned: number;
  rowsKept: number;
  change: GeographyChangeResult | null;
}

const ONS_STATEMENT = 'Contains National Statistics data © Crown copyright and database right';
const OS_STATEMENT = 'Contains OS data © Crown copyright and database right';

/** The licence statements the map must show for what has been imported (OGL attribution). */
function attributionFor(datasets: ReadonlySet<GeographyDataset>, year: number): string {
  const parts: string[] = [];
  if (datasets.has('wards')) parts.push(`${ONS_STATEMENT} ${year}`);
  if (datasets.has('uprn') || datasets.has('usrn') || datasets.has('links')) parts.push(`${OS_STATEMENT} ${year}`);
  if (datasets.has('street_names')) parts.push("Street names from the council's street gazetteer");
  return parts.length > 0 ? `${parts.join('. ')}. Open Government Licence v3.0.` : 'Imported geography';
}

/**
 * The description after an import. Importing real data over the synthetic demo clears the demo's
 * streets and properties first (done by the caller), so the two never mix.
 */
async function metaAfter(tx: Queryable, current: GeographyMeta | null, dataset: GeographyDataset, name: string | undefined): Promise<Omit<GeographyMeta, 'version'>> {
  const imports = await new GeographyImportsRepository(tx).list();
  const datasets = new Set<GeographyDataset>([dataset, ...imports.filter((i) => i.state === 'done').map((i) => i.dataset)]);
  const keepName = current && !current.synthetic ? current.name : undefined;
  return { name: name ?? keepName ?? 'Imported area', synthetic: false, notice: null, attribution: attributionFor(datasets, new Date().getFullYear()) };
}

/** Clears the synthetic demo's geography when the first real file arrives. */
async function leaveDemo(tx: Queryable, current: GeographyMeta | null): Promise<void> {
  if (!current?.synthetic) return;
  await new WardsRepository(tx).replaceAll([]);
  const streets = new StreetsRepository(tx);
  await streets.replaceAll([]);
  await streets.replaceNames([]);
  const properties = new PropertiesRepository(tx);
  await properties.replaceAll({ uprns: new Float64Array(0), lons: new Float64Array(0), lats: new Float64Array(0) });
  await properties.replaceLinks({ uprns: new Float64Array(0), usrns: new Float64Array(0) });
}

/** Options as stored (jsonb orders keys its own way): compared by sorted entries. */
function sameOptions(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const canonical = (options: Record<string, unknown>) => JSON.stringify(Object.entries(options).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}

async function alreadyImported(ctx: ImportContext, dataset: GeographyDataset, fingerprint: string, options: Record<string, unknown>): Promise<GeographyImport | null> {
  if (ctx.force) return null;
  const done = await new GeographyImportsRepository(ctx.db).latest(dataset, 'done');
  return done && done.fingerprint === fingerprint && sameOptions(done.options, options) ? done : null;
}

function unchanged(dataset: GeographyDataset, file: string, done: GeographyImport): ImportSummary {
  return { dataset, file, unchanged: true, resumed: false, rowsScanned: done.rowsScanned, rowsKept: done.rowsKept, change: null };
}

/** Records a small import (read whole, swapped at once) as done, inside the swap's transaction. */
async function recordDone(tx: Queryable, dataset: GeographyDataset, file: string, fingerprint: string, options: Record<string, unknown>, rows: number): Promise<void> {
  const imports = new GeographyImportsRepository(tx);
  const record = await imports.start(dataset, basename(file), fingerprint, options);
  await imports.finish(record.id, { resumeOffset: 0, resumeLine: 0, rowsScanned: rows, rowsKept: rows });
}

/** A file with nothing for this area is almost always the wrong file: refuse it rather than empty the table. */
function nothingInArea(what: string, file: string): Error {
  return Object.assign(new Error(`${file}: no ${what} lie inside the imported wards; nothing was changed. Is this the right file for the area?`), {
    code: 'import.nothing_in_area',
  });
}

async function requireWards(db: Queryable, what: string): Promise<WardIndex> {
  const meta = await new GeographyMetaRepository(db).get();
  const wards = meta?.synthetic ? [] : await new WardsRepository(db).list();
  if (wards.length === 0) {
    throw Object.assign(new Error(`Import the wards first: ${what} keeps only what lies inside them (smartplace import wards <file.geojson>).`), {
      code: 'import.wards_required',
    });
  }
  return WardIndex.build(wards);
}

export async function importWards(ctx: ImportContext, file: string, options: WardsGeoJsonOptions & { name?: string }): Promise<ImportSummary> {
  const { name, ...readOptions } = options;
  const fingerprint = await fileFingerprint(file);
  const done = await alreadyImported(ctx, 'wards', fingerprint, { ...options });
  if (done) return unchanged('wards', file, done);
  const { wards } = await readWardsGeoJson(file, readOptions);
  const records: WardRecord[] = wards.map((ward) => ({ code: ward.code, name: ward.name, geometry: ward.geometry }));
  const change = await applyGeographyChange(ctx.db, ctx.distances, async (tx, current) => {
    await leaveDemo(tx, current);
    await new WardsRepository(tx).replaceAll(records);
    await recordDone(tx, 'wards', file, fingerprint, { ...options }, records.length);
    return metaAfter(tx, current, 'wards', name);
  });
  return { dataset: 'wards', file, unchanged: false, resumed: false, rowsScanned: records.length, rowsKept: records.length, change };
}

/** Any vertex inside a ward: streets that cross the boundary are kept whole, so they stay continuous. */
function touchesArea(wards: WardIndex, geometry: StreetRecord['geometry']): boolean {
  const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
  return lines.some((line) => line.some(([lon, lat]) => wards.wardAt(lon as number, lat as number) !== null));
}

export async function importUsrn(ctx: ImportContext, file: string): Promise<ImportSummary> {
  const fingerprint = await fileFingerprint(file);
  const done = await alreadyImported(ctx, 'usrn', fingerprint, {});
  if (done) return unchanged('usrn', file, done);
  const wards = await requireWards(ctx.db, 'the street import');
  // requireWards has just found wards, so there are bounds.
  const bounds = (await new WardsRepository(ctx.db).bounds()) as [number, number, number, number];
  const streets: StreetRecord[] = [];
  let scanned = 0;
  for await (const batch of readUsrnGeoPackage(file, {
    bbox: bounds,
    keep: (street) => {
      scanned++;
      return touchesArea(wards, street.geometry);
    },
    onProgress: (doneRows, total) => ctx.progress('USRN streets', doneRows, total),
  })) {
    for (const street of batch) streets.push({ usrn: street.usrn, streetType: street.streetType, main: false, geometry: street.geometry });
  }
  if (streets.length === 0) throw nothingInArea('streets', file);
  const change = await applyGeographyChange(ctx.db, ctx.distances, async (tx, current) => {
    await new StreetsRepository(tx).replaceAll(streets);
    await recordDone(tx, 'usrn', file, fingerprint, {}, streets.length);
    return metaAfter(tx, current, 'usrn', undefined);
  });
  return { dataset: 'usrn', file, unchanged: false, resumed: false, rowsScanned: scanned, rowsKept: streets.length, change };
}

export async function importStreetNames(ctx: ImportContext, file: string): Promise<ImportSummary> {
  const fingerprint = await fileFingerprint(file);
  const done = await alreadyImported(ctx, 'street_names', fingerprint, {});
  if (done) return unchanged('street_names', file, done);
  const names = await readStreetNamesCsv(file);
  const rows = [...names].map(([usrn, entry]) => ({ usrn, name: entry.name, locality: entry.locality, town: entry.town }));
  const change = await applyGeographyChange(ctx.db, ctx.distances, async (tx, current) => {
    await leaveDemo(tx, current);
    await new StreetsRepository(tx).replaceNames(rows);
    await recordDone(tx, 'street_names', file, fingerprint, {}, rows.length);
    return metaAfter(tx, current, 'street_names', undefined);
  });
  return { dataset: 'street_names', file, unchanged: false, resumed: false, rowsScanned: rows.length, rowsKept: rows.length, change };
}

/**
 * Runs or resumes a staged import: each batch's kept rows and its resume point are committed
 * together, so a crash between batches loses nothing and repeats nothing.
 */
async function staged<B extends { count: number; endOffset: number; endLine: number; rowsScanned: number }>(
  ctx: ImportContext,
  dataset: 'uprn' | 'links',
  file: string,
  fingerprint: string,
  options: Record<string, unknown>,
  scan: (from: { offset: number; line: number } | null) => AsyncGenerator<B>,
  stage: (tx: Queryable, importId: number, batch: B) => Promise<void>,
): Promise<{ record: GeographyImport; progress: ImportProgress; resumed: boolean }> {
  const imports = new GeographyImportsRepository(ctx.db);
  const running = await imports.latest(dataset, 'running');
  const resumable = running && running.fingerprint === fingerprint && sameOptions(running.options, options) && running.resumeLine > 0;
  const record = resumable ? running : await imports.start(dataset, basename(file), fingerprint, options);
  const progress: ImportProgress = {
    resumeOffset: record.resumeOffset,
    resumeLine: record.resumeLine,
    rowsScanned: record.rowsScanned,
    rowsKept: record.rowsKept,
  };
  for await (const batch of scan(resumable ? { offset: record.resumeOffset, line: record.resumeLine } : null)) {
    progress.resumeOffset = batch.endOffset;
    progress.resumeLine = batch.endLine;
    progress.rowsScanned += batch.rowsScanned;
    progress.rowsKept += batch.count;
    await ctx.db.transaction(async (tx) => {
      await stage(tx, record.id, batch);
      await new GeographyImportsRepository(tx).saveProgress(record.id, progress);
    });
  }
  return { record, progress, resumed: Boolean(resumable) };
}

export async function importUprn(ctx: ImportContext, file: string): Promise<ImportSummary> {
  const fingerprint = await fileFingerprint(file);
  const done = await alreadyImported(ctx, 'uprn', fingerprint, {});
  if (done) return unchanged('uprn', file, done);
  const wards = await requireWards(ctx.db, 'the UPRN import');
  const keep = (lon: number, lat: number) => wards.wardAt(lon, lat) !== null;
  const geoPackage = extname(file).toLowerCase() === '.gpkg';
  const scan = (from: { offset: number; line: number } | null): AsyncGenerator<UprnBatch> =>
    geoPackage
      ? scanUprnGeoPackage(file, { keep, ...(from ? { fromRowId: from.offset } : {}), onProgress: (d, t) => ctx.progress('UPRN rows', d, t) })
      : scanUprnCsv(file, { keep, ...(from ? { fromOffset: from.offset, fromLine: from.line } : {}), onProgress: (d, t) => ctx.progress('UPRN bytes', d, t) });
  const { record, progress, resumed } = await staged(ctx, 'uprn', file, fingerprint, {}, scan, (tx, id, batch) =>
    new GeographyImportsRepository(tx).stageProperties(id, batch.uprns, batch.lons, batch.lats),
  );
  if (progress.rowsKept === 0) throw nothingInArea('UPRNs', file);
  const change = await applyGeographyChange(ctx.db, ctx.distances, async (tx, current) => {
    await leaveDemo(tx, current);
    await new PropertiesRepository(tx).replaceFromStaging(record.id);
    await new GeographyImportsRepository(tx).finish(record.id, progress);
    return metaAfter(tx, current, 'uprn', undefined);
  });
  return { dataset: 'uprn', file, unchanged: false, resumed, rowsScanned: progress.rowsScanned, rowsKept: progress.rowsKept, change };
}

export async function importLinks(ctx: ImportContext, file: string): Promise<ImportSummary> {
  const fingerprint = await fileFingerprint(file);
  const done = await alreadyImported(ctx, 'links', fingerprint, {});
  if (done) return unchanged('links', file, done);
  const points = await new PropertiesRepository(ctx.db).points();
  if (points.uprns.length === 0) {
    throw Object.assign(new Error('Import the UPRNs first: the links import keeps only links from properties in the area (smartplace import uprn <file>).'), {
      code: 'import.uprn_required',
    });
  }
  const known = new Set(points.uprns);
  const { record, progress, resumed } = await staged(
    ctx,
    'links',
    file,
    fingerprint,
    {},
    (from) =>
      scanLinkedIdentifiersCsv(file, {
        keep: (uprn) => known.has(uprn),
        ...(from ? { fromOffset: from.offset, fromLine: from.line } : {}),
        onProgress: (d, t) => ctx.progress('link bytes', d, t),
      }),
    (tx, id, batch) => new GeographyImportsRepository(tx).stageLinks(id, batch.uprns, batch.usrns),
  );
  if (progress.rowsKept === 0) throw nothingInArea('links from properties', file);
  const change = await applyGeographyChange(ctx.db, ctx.distances, async (tx, current) => {
    await new PropertiesRepository(tx).replaceLinksFromStaging(record.id);
    await new GeographyImportsRepository(tx).finish(record.id, progress);
    return metaAfter(tx, current, 'links', undefined);
  });
  return { dataset: 'links', file, unchanged: false, resumed, rowsScanned: progress.rowsScanned, rowsKept: progress.rowsKept, change };
}

export { ImportError };
