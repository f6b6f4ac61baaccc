import {
  type BatchScanState,
  COMMA,
  CR,
  cursor,
  fileSize,
  LF,
  lineEnd,
  lineText,
  parseIntegerField,
  readCsvHeader,
  scanInBatches,
  scanStart,
  MAX_ROWS_PER_BATCH,
  type ResumeOptions,
  shown,
  splitCsvLine,
} from './csvLines.js';
import { ImportError } from './importError.js';

/**
 * OS Open Linked Identifiers, BLPU_UPRN_Street_USRN_11: which street (USRN) each property (UPRN)
 * is on. National, tens of millions of rows, so it shares the UPRN scanner's byte-level reading
 * (csvLines.ts); only IDENTIFIER_1 (UPRN) and IDENTIFIER_2 (USRN) are read. Columns are found by
 * name, in any order. A row containing a quote takes a slower, quote-aware path; the product has
 * none that we know of, but a quoted identifier is still a valid CSV.
 */

export interface LinkBatch {
  uprns: Float64Array;
  usrns: Float64Array;
  /** Rows kept in this batch. */
  count: number;
  /** Resume point after this batch: pass as fromOffset/fromLine. */
  endOffset: number;
  /** The last line this batch read (the header is line 1). */
  endLine: number;
  /** Rows read for this batch, kept or not. */
  rowsScanned: number;
}

export interface ScanLinkedIdentifiersOptions extends ResumeOptions {
  /** Called with each row's UPRN; only rows it accepts are returned. */
  keep: (uprn: number) => boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

const QUOTE = 0x22;
/** Bytes that end an unquoted field we skip over: comma, CR, LF, and a quote (slow path). */
const STOP = new Uint8Array(256);
for (const c of [COMMA, CR, LF, QUOTE]) STOP[c] = 1;
const UPRN_COLUMN = 'IDENTIFIER_1';
const USRN_COLUMN = 'IDENTIFIER_2';

export async function* scanLinkedIdentifiersCsv(path: string, options: ScanLinkedIdentifiersOptions): AsyncGenerator<LinkBatch> {
  const { keep, onProgress } = options;
  const size = await fileSize(path);
  const header = await readCsvHeader(path);
  const names = header.fields.map((field) => field.toUpperCase());
  const uprnIndex = names.indexOf(UPRN_COLUMN);
  const usrnIndex = names.indexOf(USRN_COLUMN);
  if (uprnIndex < 0 || usrnIndex < 0) {
    const missing = [UPRN_COLUMN, USRN_COLUMN].filter((name) => !names.includes(name));
    throw new ImportError(
      path,
      'line 1',
      `no ${missing.join(' or ')} column: expected the BLPU_UPRN_Street_USRN_11 header (IDENTIFIER_1 = UPRN, IDENTIFIER_2 = USRN), found ${shown(header.text)}`,
    );
  }
  const start = await scanStart(path, header, size, options);
  const { batchSize } = start;

  const state: ScanState = {
    path,
    keep,
    batchSize,
    names,
    uprnIndex,
    usrnIndex,
    uprns: new Float64Array(batchSize),
    usrns: new Float64Array(batchSize),
    count: 0,
    rows: 0,
    line: start.line,
  };
  yield* scanInBatches(path, start, size, state, scanRows, takeBatch, onProgress);
}

interface ScanState extends BatchScanState {
  path: string;
  keep: (uprn: number) => boolean;
  batchSize: number;
  /** Header names, upper-cased. */
  names: string[];
  uprnIndex: number;
  usrnIndex: number;
  uprns: Float64Array;
  usrns: Float64Array;
}

/**
 * Reads rows from `from` until the batch is full, MAX_ROWS_PER_BATCH rows are read or the chunk
 * ends; returns where it stopped. Kept out of the generator, which V8 optimises far less well.
 */
function scanRows(state: ScanState, bytes: Buffer, from: number, unterminated: boolean): number {
  const { keep, batchSize, uprns, usrns, uprnIndex, usrnIndex } = state;
  const lastField = state.names.length - 1;
  const limit = bytes.length;
  let { count, rows, line } = state;
  let i = from;
  while (i < limit) {
    const start = i;
    line++;
    let uprn = NaN;
    let usrn = NaN;
    let field = 0;
    let j = i;
    let ok = true;
    for (;;) {
      if (field === uprnIndex) {
        uprn = parseIntegerField(bytes, j, limit, 12);
        j = cursor.end;
      } else if (field === usrnIndex) {
        usrn = parseIntegerField(bytes, j, limit, 8);
        j = cursor.end;
      } else {
        while (j < limit && STOP[bytes[j] as number] === 0) j++;
      }
      if (bytes[j] !== COMMA) break;
      field++;
      j++;
    }
    if (bytes[j] === QUOTE) {
      // Slow path: the row as text, split with quoting.
      const fields = splitCsvLine(lineText(bytes, start, limit));
      ok = fields !== null && fields.length === lastField + 1;
      if (fields !== null && ok) {
        uprn = integer(fields[uprnIndex] as string, 12);
        usrn = integer(fields[usrnIndex] as string, 8);
      }
      j = lineEnd(bytes, start, limit);
      if (j > start && bytes[j - 1] === CR) j--;
      field = lastField;
    }
    let end = j;
    if (bytes[end] === CR) end++;
    ok = ok && field === lastField && uprn > 0 && usrn > 0 && bytes[end] === LF;
    if (!ok) {
      throw describeBadRow(state.path, line, lineText(bytes, start, limit), unterminated && end >= limit, state.names, uprnIndex, usrnIndex);
    }
    i = end + 1;
    rows++;
    if (keep(uprn)) {
      uprns[count] = uprn;
      usrns[count] = usrn;
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
function takeBatch(state: ScanState, endOffset: number): LinkBatch {
  const { count } = state;
  const batch = { uprns: state.uprns.slice(0, count), usrns: state.usrns.slice(0, count), count, endOffset, endLine: state.line, rowsScanned: state.rows };
  state.count = 0;
  state.rows = 0;
  return batch;
}

function integer(text: string, maxDigits: number): number {
  return new RegExp(`^\\d{1,${maxDigits}}$`).test(text) ? Number(text) : NaN;
}

/** The slow path for a rejected row: re-reads it as text and names the problem. */
function describeBadRow(
  path: string,
  lineNumber: number,
  text: string,
  truncated: boolean,
  names: string[],
  uprnIndex: number,
  usrnIndex: number,
): ImportError {
  const where = `line ${lineNumber}`;
  if (truncated) return new ImportError(path, where, `truncated last line ${shown(text)}: no line ending, so the file is incomplete`);
  if (text === '') return new ImportError(path, where, 'empty line');
  const fields = splitCsvLine(text);
  if (fields === null) return new ImportError(path, where, `a quoted field is not closed on its line: ${shown(text)}`);
  if (fields.length !== names.length) {
    return new ImportError(path, where, `expected ${names.length} fields as in the header, found ${fields.length}: ${shown(text)}`);
  }
  const uprn = fields[uprnIndex] as string;
  if (!(integer(uprn, 12) > 0)) return new ImportError(path, where, `IDENTIFIER_1 (UPRN) ${shown(uprn)} is not an integer of 1 to 12 digits`);
  const usrn = fields[usrnIndex] as string;
  if (!(integer(usrn, 8) > 0)) return new ImportError(path, where, `IDENTIFIER_2 (USRN) ${shown(usrn)} is not an integer of 1 to 8 digits`);
  return new ImportError(path, where, `malformed row ${shown(text)} (a stray carriage return?)`);
}
