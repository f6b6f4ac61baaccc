import { open, stat } from 'node:fs/promises';
import { ImportError } from './importError.js';

/**
 * Byte-level reading for the two national CSVs too big for a general CSV parser (OS Open UPRN and
 * the Linked Identifiers, ~40 M rows each; see the figures in bench/uprnScan.ts): the file comes in
 * fixed-size chunks that end on a line ending, so memory stays flat whatever the file's size, and
 * every chunk knows its byte offset, so a scan can stop and resume at any line.
 */

export const COMMA = 0x2c;
export const CR = 0x0d;
export const LF = 0x0a;

const CHUNK_BYTES = 1 << 20;
/** No line in these products is longer than a few hundred bytes; past this the file is not one of them. */
const MAX_LINE_BYTES = 1 << 24;

export interface CsvHeader {
  /** The header line without BOM or line ending. */
  text: string;
  /** Field names, unquoted and trimmed. */
  fields: string[];
  /** Byte offset of the first data line. */
  dataOffset: number;
}

/** The file's size in bytes; an ImportError if it is missing or not a file. */
export async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ImportError(path, null, 'not a file');
    return info.size;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportError(path, null, code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`);
  }
}

/** Reads line 1; a UTF-8 byte-order mark before it is skipped. */
export async function readCsvHeader(path: string): Promise<CsvHeader> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead === 0) throw new ImportError(path, null, 'the file is empty');
    const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    const newline = buffer.indexOf(LF, bom);
    if (newline < 0 || newline >= bytesRead) {
      throw new ImportError(path, 'line 1', 'the header line has no line ending (the file is truncated or not a CSV)');
    }
    const text = buffer.toString('utf8', bom, newline > bom && buffer[newline - 1] === CR ? newline - 1 : newline);
    const fields = (splitCsvLine(text) ?? text.split(',')).map((field) => field.trim());
    return { text, fields, dataOffset: newline + 1 };
  } finally {
    await handle.close();
  }
}

/**
 * Checks that a resume offset is the start of a data line (the byte before it is a line feed), so
 * a wrong saved offset fails loudly instead of scanning from the middle of a row.
 */
export async function checkResumeOffset(path: string, offset: number, header: CsvHeader, size: number): Promise<void> {
  if (!Number.isInteger(offset) || offset < header.dataOffset || offset > size) {
    throw new ImportError(path, null, `cannot resume at byte ${offset}: outside the data (${header.dataOffset}–${size})`);
  }
  const handle = await open(path, 'r');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, offset - 1);
    if (byte[0] !== LF) throw new ImportError(path, null, `cannot resume at byte ${offset}: it is not the start of a line`);
  } finally {
    await handle.close();
  }
}

/** Rows per batch unless the caller says otherwise, for the two national CSVs. */
export const DEFAULT_BATCH_SIZE = 65_536;
/** A batch also ends after this many rows read, so a sparse filter still gets regular resume points. */
export const MAX_ROWS_PER_BATCH = 1 << 20;

export interface ResumeOptions {
  /** Resume: a previous batch's endOffset… */
  fromOffset?: number;
  /** …and its endLine (required with fromOffset, so errors keep naming the right line). */
  fromLine?: number;
  /** Kept rows per batch (default DEFAULT_BATCH_SIZE). */
  batchSize?: number;
}

/** Where a scan starts (after the header, or at a checked resume point) and its batch size. */
export async function scanStart(path: string, header: CsvHeader, size: number, options: ResumeOptions): Promise<{ offset: number; line: number; batchSize: number }> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  if (options.fromOffset === undefined) return { offset: header.dataOffset, line: 1, batchSize };
  if (options.fromLine === undefined) throw new TypeError('fromLine is required with fromOffset (pass the batch endLine with its endOffset)');
  await checkResumeOffset(path, options.fromOffset, header, size);
  return { offset: options.fromOffset, line: options.fromLine, batchSize };
}

/** What a batch scan keeps between chunks: rows kept and read in the current batch, the last line read. */
export interface BatchScanState {
  count: number;
  rows: number;
  line: number;
}

/**
 * Drives a row scanner over a file in batches: `scanRows` reads rows from a chunk until its batch
 * is full (batchSize kept or MAX_ROWS_PER_BATCH read) or the chunk ends, and returns where it
 * stopped; `takeBatch` hands out the batch with its resume point and starts the next. The last
 * batch (possibly empty, so every scan yields at least one) ends at the end of the file.
 */
export async function* scanInBatches<S extends BatchScanState, B>(
  path: string,
  start: { offset: number; batchSize: number },
  size: number,
  state: S,
  scanRows: (state: S, bytes: Buffer, from: number, unterminated: boolean) => number,
  takeBatch: (state: S, endOffset: number) => B,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
): AsyncGenerator<B> {
  let yielded = false;
  for await (const chunk of readLineChunks(path, start.offset)) {
    let i = 0;
    while (i < chunk.bytes.length) {
      i = scanRows(state, chunk.bytes, i, chunk.unterminated);
      if (state.count === start.batchSize || state.rows === MAX_ROWS_PER_BATCH) {
        yield takeBatch(state, chunk.offset + i);
        yielded = true;
      }
    }
    onProgress?.(chunk.offset + chunk.bytes.length, size);
  }
  if (state.rows > 0 || !yielded) yield takeBatch(state, size);
}

export interface LineChunk {
  /** Whole lines, each ending with LF, except the last one of an unterminated final chunk. */
  bytes: Buffer;
  /** Byte offset of bytes[0] in the file. */
  offset: number;
  /** True for a final chunk whose last line has no line ending: a truncated file. */
  unterminated: boolean;
}

/**
 * The file from `from` to its end as chunks of whole lines. A chunk's bytes are valid until the
 * next chunk is asked for (the buffer is reused), so read them before resuming the loop.
 */
export async function* readLineChunks(path: string, from: number): AsyncGenerator<LineChunk> {
  const handle = await open(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let carried = 0;
    let position = from;
    let bufferOffset = from;
    for (;;) {
      if (carried === buffer.length) {
        if (buffer.length >= MAX_LINE_BYTES) {
          throw new ImportError(path, null, `a line starting at byte ${bufferOffset} is longer than ${MAX_LINE_BYTES} bytes: not this product's CSV`);
        }
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, position);
      position += bytesRead;
      if (bytesRead === 0) {
        if (carried > 0) yield { bytes: buffer.subarray(0, carried), offset: bufferOffset, unterminated: true };
        return;
      }
      const filled = carried + bytesRead;
      const lastNewline = buffer.lastIndexOf(LF, filled - 1);
      if (lastNewline < carried) {
        carried = filled;
        continue;
      }
      yield { bytes: buffer.subarray(0, lastNewline + 1), offset: bufferOffset, unterminated: false };
      buffer.copyWithin(0, lastNewline + 1, filled);
      carried = filled - lastNewline - 1;
      bufferOffset += lastNewline + 1;
    }
  } finally {
    await handle.close();
  }
}

/** Where the last parse…Field call stopped: the index of the byte after the field's characters. */
export const cursor = { end: 0 };

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A decimal `-?digits[.digits]` at `start`, without making a string. With at most 15 digits the
 * result is exact: the mantissa and the power of ten are both exact doubles, and one division
 * rounds correctly, the same double parseFloat gives. Longer numbers go through Number().
 * NaN if there is no digit.
 */
export function parseDecimalField(bytes: Uint8Array, start: number, limit: number): number {
  let i = start;
  const negative = i < limit && bytes[i] === 0x2d;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < limit; i++) {
    const c = bytes[i] as number;
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 0x2e && decimals < 0) {
      decimals = 0;
    } else {
      break;
    }
  }
  cursor.end = i;
  if (digits === 0) return NaN;
  if (digits > 15) return Number(latin1(bytes, start, i));
  const value = decimals > 0 ? mantissa / (POW10[decimals] as number) : mantissa;
  return negative ? -value : value;
}

/** An unsigned integer of 1 to `maxDigits` digits at `start`; NaN if there are none or too many. */
export function parseIntegerField(bytes: Uint8Array, start: number, limit: number, maxDigits: number): number {
  let i = start;
  let value = 0;
  for (; i < limit; i++) {
    const c = bytes[i] as number;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
  }
  cursor.end = i;
  const digits = i - start;
  return digits === 0 || digits > maxDigits ? NaN : value;
}

/** The text of the line starting at `start`, without its line ending, for messages and slow paths. */
export function lineText(bytes: Uint8Array, start: number, limit: number): string {
  let end = start;
  while (end < limit && bytes[end] !== LF) end++;
  if (end > start && bytes[end - 1] === CR) end--;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/** Index of the line feed ending the line that contains `from`, or `limit` if there is none. */
export function lineEnd(bytes: Uint8Array, from: number, limit: number): number {
  let i = from;
  while (i < limit && bytes[i] !== LF) i++;
  return i;
}

/**
 * One line's fields with RFC 4180 quoting (`"a, b"` and `"say ""hi"""` are one field each); null if
 * a quote is left open, which would mean a line break inside a field — something these products do
 * not contain. For the rare row the byte scanner meets a quote in; not the hot path.
 */
export function splitCsvLine(text: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

/** Shortens a value for an error message. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}
