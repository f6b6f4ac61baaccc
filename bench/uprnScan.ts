import { parse } from 'csv-parse';
import { createReadStream, statSync } from 'node:fs';
import { mkdtemp, open, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../core/random.js';
import { scanLinkedIdentifiersCsv } from '../geo/import/linkedIdentifiersCsv.js';
import { scanUprnCsv, UPRN_CSV_HEADER } from '../geo/import/uprnCsv.js';

/**
 * Streaming the national UPRN CSV (~41 M rows, 2.3 GB) to keep one council's rows: rows/s and peak
 * RSS for synthetic national-format files of growing size (memory must stay flat as the file
 * grows), and the same scan through csv-parse, the CSV library the project uses elsewhere, as the
 * baseline that justified a purpose-built scanner. The Linked Identifiers file gets the same
 * comparison on one size. Files are written to the OS temp dir and deleted afterwards.
 */

const SIZES = [2_000_000, 8_000_000, 16_000_000];
const LINKS_ROWS = 2_000_000;
/** Trafford, the area whose rows the filter keeps: [west, south, east, north]. */
const TRAFFORD: [number, number, number, number] = [-2.4785, 53.3574, -2.253, 53.4804];
/** Share of synthetic rows placed inside Trafford (its ~110 k of GB's ~41 M addresses is ~0.3 %). */
const INSIDE_SHARE = 0.003;
const BYTES_PER_ROW = 52;

const keepTrafford = (lon: number, lat: number) => lon >= TRAFFORD[0] && lon <= TRAFFORD[2] && lat >= TRAFFORD[1] && lat <= TRAFFORD[3];

export async function benchUprnScan(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'smartplace-uprn-bench-'));
  try {
    const needed = (Math.max(...SIZES) + SIZES[0]!) * BYTES_PER_ROW * 1.2;
    const disk = await statfs(dir);
    const free = disk.bavail * disk.bsize;
    if (free < needed) {
      console.log(`skipped: ${gb(free)} free in ${dir}, ${gb(needed)} needed`);
      return;
    }
    console.log(`temp dir ${dir} (${gb(free)} free); keep() = Trafford bbox; ${(INSIDE_SHARE * 100).toFixed(1)} % of rows inside`);
    console.log('file         rows        size      scanner        rows/s      kept   RSS before → peak');

    const smallest = join(dir, 'uprn-smallest.csv');
    await writeUprnCsv(smallest, SIZES[0]!);
    let baseline = 0;
    for (const rows of SIZES) {
      const path = rows === SIZES[0] ? smallest : join(dir, `uprn-${rows}.csv`);
      if (path !== smallest) await writeUprnCsv(path, rows);
      const rate = report(`uprn ${rows / 1e6}M`, rows, 'purpose-built', await measure(() => scanWithScanner(path)), path);
      if (rows === SIZES[0]) baseline = rate;
      if (path !== smallest) await rm(path);
    }
    const library = report(`uprn ${SIZES[0]! / 1e6}M`, SIZES[0]!, 'csv-parse', await measure(() => scanWithCsvParse(smallest)), smallest);
    console.log(`purpose-built / csv-parse on UPRN: ${(baseline / library).toFixed(1)}×`);
    await rm(smallest);

    const links = join(dir, 'links.csv');
    await writeLinksCsv(links, LINKS_ROWS);
    const keepUprn = (uprn: number) => uprn % 300 === 0;
    const linksScanner = report(`links ${LINKS_ROWS / 1e6}M`, LINKS_ROWS, 'purpose-built', await measure(async () => {
      let kept = 0;
      for await (const batch of scanLinkedIdentifiersCsv(links, { keep: keepUprn })) kept += batch.count;
      return kept;
    }), links);
    const linksLibrary = report(`links ${LINKS_ROWS / 1e6}M`, LINKS_ROWS, 'csv-parse', await measure(async () => {
      let kept = 0;
      const parser = createReadStream(links).pipe(parse({ bom: true, from_line: 2 }));
      for await (const record of parser as AsyncIterable<string[]>) {
        const uprn = Number(record[1]);
        const usrn = Number(record[4]);
        if (!Number.isInteger(uprn) || !Number.isInteger(usrn)) throw new Error(`bad row ${record.join(',')}`);
        if (keepUprn(uprn)) kept++;
      }
      return kept;
    }), links);
    console.log(`purpose-built / csv-parse on Linked Identifiers: ${(linksScanner / linksLibrary).toFixed(1)}×`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function scanWithScanner(path: string): Promise<number> {
  let kept = 0;
  for await (const batch of scanUprnCsv(path, { keep: keepTrafford })) kept += batch.count;
  return kept;
}

/** The library baseline does the same work: all five fields to numbers, a range check, keep(). */
async function scanWithCsvParse(path: string): Promise<number> {
  let kept = 0;
  const parser = createReadStream(path).pipe(parse({ bom: true, from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    const uprn = Number(record[0]);
    const x = Number(record[1]);
    const y = Number(record[2]);
    const lat = Number(record[3]);
    const lon = Number(record[4]);
    if (!(uprn > 0) || !Number.isFinite(x) || !Number.isFinite(y) || !(lat >= 49 && lat <= 61) || !(lon >= -9 && lon <= 2)) {
      throw new Error(`bad row ${record.join(',')}`);
    }
    if (keepTrafford(lon, lat)) kept++;
  }
  return kept;
}

interface Measured {
  kept: number;
  rssBefore: number;
  rssPeak: number;
  seconds: number;
}

/** Runs a scan while sampling RSS every 20 ms (the scan awaits file reads, so the timer gets in). */
async function measure(scan: () => Promise<number>): Promise<Measured> {
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  try {
    const kept = await scan();
    const seconds = (performance.now() - started) / 1000;
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    return { kept, rssBefore, rssPeak, seconds };
  } finally {
    clearInterval(timer);
  }
}

/** Prints one line and returns rows/s. */
function report(file: string, rows: number, scanner: string, result: Measured, path: string): number {
  const rate = rows / result.seconds;
  const bytes = statSync(path).size;
  console.log(
    `${file.padEnd(12)} ${String(rows).padStart(10)} ${(bytes / 1e6).toFixed(0).padStart(7)} MB  ${scanner.padEnd(14)} ${Math.round(rate).toLocaleString('en-GB').padStart(10)} ${String(result.kept).padStart(9)}   ${mb(result.rssBefore)} → ${mb(result.rssPeak)}`,
  );
  return rate;
}

/** A synthetic OS Open UPRN CSV: BOM, CRLF, ascending UPRNs, the real value widths. */
async function writeUprnCsv(path: string, rows: number): Promise<void> {
  const random = seededRandom(rows);
  const handle = await open(path, 'w');
  try {
    let text = `\ufeff${UPRN_CSV_HEADER}\r\n`;
    let uprn = 0;
    const step = 200_000_000_000 / rows;
    for (let i = 0; i < rows; i++) {
      uprn = Math.max(uprn + 1, Math.floor(i * step + random() * step));
      let lon: number;
      let lat: number;
      if (random() < INSIDE_SHARE) {
        lon = TRAFFORD[0] + random() * (TRAFFORD[2] - TRAFFORD[0]);
        lat = TRAFFORD[1] + random() * (TRAFFORD[3] - TRAFFORD[1]);
      } else {
        lon = -5.7 + random() * 7.4;
        lat = 50.0 + random() * 8.6;
      }
      // Approximate grid coordinates: the scanner checks X/Y but does not use them.
      const x = 400_000 + (lon + 2) * 111_320 * Math.cos((lat * Math.PI) / 180);
      const y = (lat - 49) * 111_000 - 100_000;
      text += `${uprn},${x.toFixed(2)},${y.toFixed(2)},${lat.toFixed(7)},${lon.toFixed(7)}\r\n`;
      if (text.length > 1 << 20) {
        await handle.write(text);
        text = '';
      }
    }
    await handle.write(text);
  } finally {
    await handle.close();
  }
}

/** A synthetic BLPU_UPRN_Street_USRN_11 file in the published column layout. */
async function writeLinksCsv(path: string, rows: number): Promise<void> {
  const random = seededRandom(rows + 1);
  const handle = await open(path, 'w');
  try {
    let text = '\ufeffCORRELATION_ID,IDENTIFIER_1,VERSION_NUMBER_1,VERSION_DATE_1,IDENTIFIER_2,VERSION_NUMBER_2,VERSION_DATE_2,CONFIDENCE\r\n';
    const hex = (n: number) => Math.floor(random() * 16 ** n).toString(16).padStart(n, '0');
    for (let i = 0; i < rows; i++) {
      const uprn = 10_000_000 + Math.floor(random() * 100_000_000_000);
      const usrn = 1_000_000 + Math.floor(random() * 98_000_000);
      const date = `20${10 + Math.floor(random() * 15)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
      text += `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(8)}${hex(4)},${uprn},,${date},${usrn},,${date},Version information is correct\r\n`;
      if (text.length > 1 << 20) {
        await handle.write(text);
        text = '';
      }
    }
    await handle.write(text);
  } finally {
    await handle.close();
  }
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MB`;
}

function gb(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GB`;
}
