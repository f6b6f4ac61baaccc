import { CsvError, parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { fileSize, shown } from './csvLines.js';
import { ImportError } from './importError.js';

/**
 * Street names by USRN, from a council's Local Street Gazetteer export: a CSV with the columns
 * USRN, STREET_NAME, LOCALITY, TOWN (any order, any case; LOCALITY and TOWN optional). These files
 * are small (thousands of rows), hand-made and may have quoted names with commas ("Mall, The"), so
 * they go through csv-parse rather than the national files' byte scanner.
 */

export interface StreetName {
  name: string;
  locality: string | null;
  town: string | null;
}

const REQUIRED = ['USRN', 'STREET_NAME'] as const;

export async function readStreetNamesCsv(path: string): Promise<Map<number, StreetName>> {
  await fileSize(path);
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: false });
  const source = createReadStream(path);
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  const names = new Map<number, StreetName>();
  const firstLine = new Map<number, number>();
  let columns: { usrn: number; name: number; locality: number; town: number } | null = null;
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastLine = info.lines;
      const where = `line ${info.lines}`;
      if (record.some((field) => field.includes('\uFFFD'))) {
        throw new ImportError(path, where, 'the file is not UTF-8 (saved as Windows-1252 by a spreadsheet?): save it again as "CSV UTF-8"');
      }
      if (columns === null) {
        const header = record.map((field) => field.trim().toUpperCase());
        const missing = REQUIRED.filter((name) => !header.includes(name));
        if (missing.length > 0) {
          throw new ImportError(path, where, `no ${missing.join(' or ')} column: expected the header USRN,STREET_NAME,LOCALITY,TOWN, found ${shown(record.join(','))}`);
        }
        columns = { usrn: header.indexOf('USRN'), name: header.indexOf('STREET_NAME'), locality: header.indexOf('LOCALITY'), town: header.indexOf('TOWN') };
        continue;
      }
      const usrnText = (record[columns.usrn] ?? '').trim();
      if (!/^\d{1,8}$/.test(usrnText) || Number(usrnText) === 0) {
        throw new ImportError(path, where, `USRN ${shown(usrnText)} is not an integer of 1 to 8 digits`);
      }
      const usrn = Number(usrnText);
      const name = (record[columns.name] ?? '').trim();
      if (name === '') throw new ImportError(path, where, `USRN ${usrn} has an empty STREET_NAME`);
      const street: StreetName = { name, locality: optional(record, columns.locality), town: optional(record, columns.town) };
      const earlier = names.get(usrn);
      if (earlier !== undefined) {
        if (earlier.name === street.name && earlier.locality === street.locality && earlier.town === street.town) continue;
        throw new ImportError(path, where, `USRN ${usrn} appears again with a different name (${shown(street.name)}; line ${firstLine.get(usrn)} has ${shown(earlier.name)})`);
      }
      names.set(usrn, street);
      firstLine.set(usrn, info.lines);
    }
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse reports the end of the file; the quote was opened in the record after the last good one.
      throw new ImportError(path, `line ${lastLine + 1}`, 'not a valid CSV: a quote opened in this row is never closed');
    }
    if (error instanceof CsvError) {
      const lines = typeof error['lines'] === 'number' ? error['lines'] : null;
      throw new ImportError(path, lines === null ? null : `line ${lines}`, `not a valid CSV: ${error.message}`);
    }
    throw error;
  } finally {
    source.destroy();
  }
  if (columns === null) throw new ImportError(path, null, 'the file is empty');
  if (names.size === 0) throw new ImportError(path, null, 'no streets after the header');
  return names;
}

function optional(record: string[], index: number): string | null {
  if (index < 0) return null;
  const value = (record[index] ?? '').trim();
  return value === '' ? null : value;
}
