import type { Logger } from 'pino';
import type { Config } from '../../core/config.js';
import { GeographyImportsRepository } from '../../db/geographyImportsRepository.js';
import { GeographyMetaRepository } from '../../db/geographyMetaRepository.js';
import { PropertiesRepository } from '../../db/propertiesRepository.js';
import { StreetsRepository } from '../../db/streetsRepository.js';
import { WardsRepository } from '../../db/wardsRepository.js';
import { ImportError } from '../../geo/import/importError.js';
import type { WardsGeoJsonOptions } from '../../geo/import/wardsGeoJson.js';
import { connectDatabase, joinDistances, type Lifecycle } from '../components.js';
import { importLinks, importStreetNames, importUprn, importUsrn, importWards, type ImportContext, type ImportSummary } from './importGeography.js';
import { progressReporter } from './progress.js';

export interface ImportFlags {
  force?: boolean;
  'code-property'?: string;
  'name-property'?: string;
  crs?: string;
  'local-authority'?: string;
  'local-authority-property'?: string;
  name?: string;
}

const DATASETS = ['wards', 'usrn', 'street-names', 'uprn', 'links'] as const;
type DatasetArgument = (typeof DATASETS)[number];

/** `smartplace import <dataset> <file>` and `smartplace import status`. Returns the exit code. */
export async function runImport(config: Config, lifecycle: Lifecycle, log: Logger, args: string[], flags: ImportFlags): Promise<number> {
  const [dataset, file, ...extra] = args;
  if (dataset === 'status' && file === undefined) return printStatus(config, lifecycle, log);
  if (!DATASETS.includes(dataset as DatasetArgument) || file === undefined || extra.length > 0) {
    console.error(`Usage: smartplace import <${DATASETS.join('|')}> <file> [options], or smartplace import status (see smartplace --help).`);
    return 2;
  }
  if (flags.crs !== undefined && flags.crs !== 'EPSG:4326' && flags.crs !== 'EPSG:27700') {
    console.error(`--crs must be EPSG:4326 or EPSG:27700, not "${flags.crs}".`);
    return 2;
  }
  const database = await connectDatabase(config, lifecycle, log);
  const progress = progressReporter();
  const ctx: ImportContext = { db: database.db, distances: joinDistances(config), progress: progress.update, force: flags.force ?? false };
  const started = performance.now();
  try {
    const summary = await importDataset(ctx, dataset as DatasetArgument, file, flags);
    progress.stop();
    console.log(describeSummary(summary, (performance.now() - started) / 1000));
    return 0;
  } catch (error) {
    progress.stop();
    if (error instanceof ImportError) {
      console.error(`\nImport failed; the geography is unchanged.\n  ${error.message}`);
      return 1;
    }
    const code = (error as { code?: string }).code;
    if (code?.startsWith('import.') || (error as NodeJS.ErrnoException).syscall !== undefined) {
      console.error(`\nImport failed; the geography is unchanged.\n  ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}

async function importDataset(ctx: ImportContext, dataset: DatasetArgument, file: string, flags: ImportFlags): Promise<ImportSummary> {
  switch (dataset) {
    case 'wards': {
      const options: WardsGeoJsonOptions & { name?: string } = {
        ...(flags['code-property'] === undefined ? {} : { codeProperty: flags['code-property'] }),
        ...(flags['name-property'] === undefined ? {} : { nameProperty: flags['name-property'] }),
        ...(flags.crs === undefined ? {} : { crs: flags.crs as 'EPSG:4326' | 'EPSG:27700' }),
        ...(flags['local-authority'] === undefined ? {} : { localAuthority: flags['local-authority'] }),
        ...(flags['local-authority-property'] === undefined ? {} : { localAuthorityProperty: flags['local-authority-property'] }),
        ...(flags.name === undefined ? {} : { name: flags.name }),
      };
      return importWards(ctx, file, options);
    }
    case 'usrn':
      return importUsrn(ctx, file);
    case 'street-names':
      return importStreetNames(ctx, file);
    case 'uprn':
      return importUprn(ctx, file);
    case 'links':
      return importLinks(ctx, file);
  }
}

function describeSummary(summary: ImportSummary, seconds: number): string {
  const label = summary.dataset.replace('_', ' ');
  if (summary.unchanged) {
    return `${summary.file} was imported already (${summary.rowsKept} ${label} rows kept); nothing to do. Use --force to import it again.`;
  }
  const lines = [
    `Imported ${label} from ${summary.file}${summary.resumed ? ' (carried on from where an earlier run stopped)' : ''} in ${seconds.toFixed(1)} s:`,
    `  rows read ${summary.rowsScanned}, kept ${summary.rowsKept}`,
  ];
  if (summary.change) {
    const c = summary.change;
    lines.push(`  geography version ${c.version}: ${c.wards} wards, ${c.streets} streets, ${c.properties} properties; ${c.devicesRejoined} devices re-joined`);
  }
  return lines.join('\n');
}

async function printStatus(config: Config, lifecycle: Lifecycle, log: Logger): Promise<number> {
  const { db } = await connectDatabase(config, lifecycle, log);
  const meta = await new GeographyMetaRepository(db).get();
  const imports = await new GeographyImportsRepository(db).list();
  const streets = new StreetsRepository(db);
  const properties = new PropertiesRepository(db);
  console.log(meta ? `Geography: ${meta.name}${meta.synthetic ? ' (synthetic demo)' : ''}, version ${meta.version}` : 'Geography: none loaded');
  if (meta) console.log(`  ${meta.attribution}`);
  console.log(
    `  ${await new WardsRepository(db).count()} wards, ${await streets.count()} streets, ${await streets.nameCount()} street names, ` +
      `${await properties.count()} properties, ${await properties.linkCount()} UPRN→USRN links`,
  );
  for (const record of imports) {
    const when = (record.finishedAt ?? record.startedAt).toISOString();
    const state = record.state === 'done' ? 'done' : `interrupted at line ${record.resumeLine} (run the same import again to carry on)`;
    console.log(`  ${record.dataset.padEnd(12)} ${record.fileName}  ${state}  ${when}  read ${record.rowsScanned}, kept ${record.rowsKept}`);
  }
  return 0;
}
