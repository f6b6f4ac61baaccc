import { EASTING_RANGE, inRange, LATITUDE_RANGE, LONGITUDE_RANGE, NORTHING_RANGE } from './greatBritain.js';
import {
  type BatchScanState,
  COMMA,
  CR,
  cursor,
  fileSize,
  LF,
  lineText,
  parseDecimalField,
  parseIntegerField,
  readCsvHeader,
  scanInBatches,
  scanStart,
  MAX_ROWS_PER_BATCH,
  type ResumeOptions,
  shown,
} from './csvLines.js';
import { ImportError } from './importError.js';

/**
 * OS Open UPRN, CSV edition: one national file, ~41 M rows, ~2.3 GB. Streamed with a purpose-built
 * byte scanner (csvLines.ts) because a general CSV parser is several times slower on it (figures in
 * bench/uprnScan.ts); the format is fixed and all-numeric, so nothing a CSV library handles (quotes,
 * embedded line breaks) can occur — a quote is simply an invalid character here.
 *
 * Positions come from LATITUDE/LONGITUDE, which OS publish in ETRS89 (EPSG:4258). ETRS89 is tied to
 * the European plate and has drifted from WGS84 by ~2.5 cm a year since 1989, so the two agree to
 * about a metre in Great Britain: below what a map or a nearest-street lookup can show, so the values
 * are used as WGS84 as they stand. X/Y (British National Grid) are checked but not used, which also
 * avoids the few-metre error of our Helmert reprojection (OS derived LATITUDE/LONGITUDE with OSTN15).
 */

export const UPRN_CSV_HEADER = 'UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE';

export interface UprnBatch {
  uprns: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
  /** Rows kept in this batch (the arrays' length). */
  count: number;
  /** Resume point after this batch: pass as fromOffset/fromLine to scan exactly the remaining rows. */
  endOffset: number;
  /** The last line this batch read (the header is line 1). */
  endLine: number;
  /** Rows read for this batch, kept or not; the batches' sum is the rows scanned in all. */
  rowsScanned: number;
}

export interface ScanUprnCsvOptions extends ResumeOptions {
  /** Called for every valid row; only rows it accepts are returned. */
  keep: (lon: number, lat: number) => boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}


export async function* scanUprnCsv(path: string, options: ScanUprnCsvOptions): AsyncGenerator<UprnBatch> {
  const { keep, onProgress } = options;
  const size = await fileSize(path);
  const header = await readCsvHeader(path);
  if (header.text !== UPRN_CSV_HEADER) {
    throw new ImportError(path, 'line 1', `not the OS Open UPRN header: expected ${shown(UPRN_CSV_HEADER)}, found ${shown(header.text)}`);
  }
  const start = await scanStart(path, header, size, options);
  const { batchSize } = start;

  const state: ScanState = {
    path,
    keep,
    batchSize,
    uprns: new Float64Array(batchSize),
    lons: new Float64Array(batchSize),
    lats: new Float64Array(batchSize),
    count: 0,
    rows: 0,
    line: start.line,
  };
  yield* scanInBatches(path, start, size, state, scanRows, takeBatch, onProgress);
}

interface ScanState extends BatchScanState {
  path: string;
  keep: (lon: number, lat: number) => boolean;
  batchSize: number;
  uprns: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
}

/**
 * Reads rows from `from` until the batch is full, MAX_ROWS_PER_BATCH rows are read or the chunk
 * ends, and returns where it stopped. A plain function rather than the generator's body: V8
 * optimises a tight byte loop far better outside a generator (measured: about 2× here).
 */
function scanRows(state: ScanState, bytes: Buffer, from: number, unterminated: boolean): number {
  const { keep, batchSize, uprns, lons, lats } = state;
  const limit = bytes.length;
  let { count, rows, line } = state;
  let i = from;
  while (i < limit) {
    const start = i;
    line++;
    // The hot loop only decides "valid or not"; describeBadRow says precisely what is wrong.
    const uprn = parseIntegerField(bytes, i, limit, 12);
    let ok = uprn > 0 && bytes[cursor.end] === COMMA;
    const x = parseDecimalField(bytes, cursor.end + 1, limit);
    ok = ok && bytes[cursor.end] === COMMA && inRange(x, EASTING_RANGE);
    const y = parseDecimalField(bytes, cursor.end + 1, limit);
    ok = ok && bytes[cursor.end] === COMMA && inRange(y, NORTHING_RANGE);
    const lat = parseDecimalField(bytes, cursor.end + 1, limit);
    ok = ok && bytes[cursor.end] === COMMA && inRange(lat, LATITUDE_RANGE);
    const lon = parseDecimalField(bytes, cursor.end + 1, limit);
    ok = ok && inRange(lon, LONGITUDE_RANGE);
    let end = cursor.end;
    if (bytes[end] === CR) end++;
    if (!ok || bytes[end] !== LF) throw describeBadRow(state.path, line, lineText(bytes, start, limit), unterminated && end >= limit);
    i = end + 1;
    rows++;
    if (keep(lon, lat)) {
      uprns[count] = uprn;
      lons[count] = lon;
      lats[count] = lat;
      count++;
    }
    if (count === batchSize || rows === MAX_ROWS_PER_BATCH) break;
  }
  state.count = count;
  state.rows = rows;
  state.line = line;
  return i;
}

/** The batch so far, as copies; the state starts a new one. */
function takeBatch(state: ScanState, endOffset: number): UprnBatch {
  const { count } = state;
  const batch = {
    uprns: state.uprns.slice(0, count),
    lons: state.lons.slice(0, count),
    lats: state.lats.slice(0, count),
    count,
    endOffset,
    endLine: state.line,
    rowsScanned: state.rows,
  };
  state.count = 0;
  state.rows = 0;
  return batch;
}

const FIELDS = ['UPRN', 'X_COORDINATE', 'Y_COORDINATE', 'LATITUDE', 'LONGITUDE'] as const;
const RANGES = [null, EASTING_RANGE, NORTHING_RANGE, LATITUDE_RANGE, LONGITUDE_RANGE] as const;
const DECIMAL = /^-?(?=\.?\d)\d*(\.\d*)?$/;

/** The slow path for a row the scanner rejected: re-reads it as text and names the problem. */
function describeBadRow(path: string, lineNumber: number, text: string, truncated: boolean): ImportError {
  const where = `line ${lineNumber}`;
  const fields = text.split(',');
  if (truncated) return new ImportError(path, where, `truncated last line ${shown(text)}: no line ending, so the file is incomplete`);
  if (text === '') return new ImportError(path, where, 'empty line');
  if (fields.length !== FIELDS.length) {
    return new ImportError(path, where, `expected ${FIELDS.length} fields (${FIELDS.join(',')}), found ${fields.length}: ${shown(text)}`);
  }
  const uprn = fields[0] as string;
  if (!/^\d{1,12}$/.test(uprn) || Number(uprn) === 0) return new ImportError(path, where, `UPRN ${shown(uprn)} is not an integer of 1 to 12 digits`);
  for (let k = 1; k < FIELDS.length; k++) {
    const field = fields[k] as string;
    const range = RANGES[k] as readonly [number, number];
    if (!DECIMAL.test(field)) return new ImportError(path, where, `${FIELDS[k]} ${shown(field)} is not a number`);
    if (!inRange(Number(field), range)) {
      return new ImportError(path, where, `${FIELDS[k]} ${field} is outside ${range[0]}…${range[1]} (Great Britain)`);
    }
  }
  return new ImportError(path, where, `malformed row ${shown(text)} (a stray carriage return?)`);
}
