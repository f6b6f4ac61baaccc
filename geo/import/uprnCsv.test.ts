import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from './importError.js';
import { collect, fixture, tempDir } from './testSupport.js';
import { scanUprnCsv, type UprnBatch } from './uprnCsv.js';

const FIXTURE = fixture('osopenuprn.csv');
const TEXT = readFileSync(FIXTURE, 'utf8');
const HEADER = 'UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE';
const TRAFFORD = [-2.4785, 53.3574, -2.253, 53.4804] as const;
const inTrafford = (lon: number, lat: number) => lon >= TRAFFORD[0] && lon <= TRAFFORD[2] && lat >= TRAFFORD[1] && lat <= TRAFFORD[3];
const all = () => true;

const temp = tempDir();
afterAll(() => temp.remove());

/** The fixture's rows as [uprn, lon, lat], read naively. */
const EXPECTED = TEXT.replace(/^\uFEFF/, '')
  .trim()
  .split('\r\n')
  .slice(1)
  .map((line) => line.split(',').map(Number))
  .map(([uprn, , , lat, lon]) => [uprn, lon, lat] as [number, number, number]);

function rowsOf(batches: UprnBatch[]): [number, number, number][] {
  return batches.flatMap((batch) => Array.from(batch.uprns, (uprn, i) => [uprn, batch.lons[i], batch.lats[i]] as [number, number, number]));
}

async function failure(path: string, options: Parameters<typeof scanUprnCsv>[1] = { keep: all }): Promise<ImportError> {
  const error = await collect(scanUprnCsv(path, options)).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

/** The fixture with one data line replaced (n counts from 1 = first data line). */
function withRow(n: number, row: string): string {
  const lines = TEXT.split('\r\n');
  lines[n] = row;
  return temp.write(`row-${n}-${Math.random().toString(36).slice(2)}.csv`, lines.join('\r\n'));
}

describe('scanUprnCsv', () => {
  it('reads the OS format (BOM, CRLF) exactly, lon/lat from LONGITUDE/LATITUDE', async () => {
    const batches = await collect(scanUprnCsv(FIXTURE, { keep: all }));
    expect(rowsOf(batches)).toEqual(EXPECTED);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ count: 12, rowsScanned: 12, endLine: 13, endOffset: statSync(FIXTURE).size });
    expect(rowsOf(batches)[0]).toEqual([10, -2.5879, 51.4545]);
  });

  it('returns only the rows keep() accepts, and counts every row scanned', async () => {
    const batches = await collect(scanUprnCsv(FIXTURE, { keep: inTrafford }));
    expect(rowsOf(batches).map(([uprn]) => uprn)).toEqual([10090012345, 10090012346, 100011780001, 100011780002, 100011780003, 100011780004]);
    expect(batches.reduce((sum, batch) => sum + batch.rowsScanned, 0)).toBe(12);
  });

  it('accepts LF line endings and no BOM', async () => {
    const path = temp.write('lf.csv', TEXT.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n'));
    expect(rowsOf(await collect(scanUprnCsv(path, { keep: all })))).toEqual(EXPECTED);
  });

  it('resumes from any batch to exactly the remaining rows', async () => {
    const batches = await collect(scanUprnCsv(FIXTURE, { keep: all, batchSize: 5 }));
    expect(batches.map((batch) => batch.count)).toEqual([5, 5, 2]);
    for (let k = 0; k < batches.length; k++) {
      const { endOffset, endLine } = batches[k] as UprnBatch;
      const resumed = await collect(scanUprnCsv(FIXTURE, { keep: all, fromOffset: endOffset, fromLine: endLine }));
      expect(rowsOf(resumed)).toEqual(EXPECTED.slice((k + 1) * 5));
      expect(resumed.at(-1)?.endLine).toBe(13);
    }
  });

  it('keeps naming the right line after a resume', async () => {
    const path = withRow(9, '100012345678,383997.43,398258.32,53.48x,-2.2426');
    const scan = scanUprnCsv(path, { keep: all, batchSize: 4 });
    const first = (await scan.next()).value as UprnBatch;
    await scan.return(undefined);
    const error = await failure(path, { keep: all, fromOffset: first.endOffset, fromLine: first.endLine });
    expect(error.where).toBe('line 10');
  });

  it('refuses a resume offset that is not the start of a line, or without its line', async () => {
    expect((await failure(FIXTURE, { keep: all, fromOffset: 80, fromLine: 2 })).problem).toMatch(/cannot resume at byte 80/);
    await expect(collect(scanUprnCsv(FIXTURE, { keep: all, fromOffset: 57 }))).rejects.toThrow(/fromLine is required/);
  });

  it('reports progress up to the file size', async () => {
    const calls: [number, number][] = [];
    await collect(scanUprnCsv(FIXTURE, { keep: all, onProgress: (read, total) => calls.push([read, total]) }));
    const size = statSync(FIXTURE).size;
    expect(calls.at(-1)).toEqual([size, size]);
  });

  it('streams a file larger than its read buffer, across chunk boundaries', async () => {
    const rows = 60_000;
    let text = `\uFEFF${HEADER}\r\n`;
    for (let i = 1; i <= rows; i++) text += `${100_000_000 + i},376838.91,387908.00,53.${String(i).padStart(7, '0')},-2.${String(rows - i).padStart(7, '0')}\r\n`;
    const path = temp.write('big.csv', text);
    const batches = await collect(scanUprnCsv(path, { keep: (_, lat) => lat <= 53.001, batchSize: 4096 }));
    const kept = rowsOf(batches);
    expect(kept).toHaveLength(10_000);
    expect(kept.at(-1)).toEqual([100_010_000, -2.005, 53.001]);
    expect(batches.reduce((sum, batch) => sum + batch.rowsScanned, 0)).toBe(rows);
    expect(batches.at(-1)?.endLine).toBe(rows + 1);

    const broken = temp.write('big-broken.csv', text.replace('\r\n100045000,', '\r\n100045000,x'));
    expect((await failure(broken)).where).toBe('line 45001');
  });

  it('shows the expected and the found header', async () => {
    const path = temp.write('header.csv', `uprn,x,y,lat,lon\r\n${EXPECTED.map(() => '1,1,1,53,-2').join('\r\n')}\r\n`);
    const error = await failure(path);
    expect(error.message).toBe(`${path}: line 1: not the OS Open UPRN header: expected "${HEADER}", found "uprn,x,y,lat,lon"`);
  });

  it.each([
    ['a letter in a number', '100011780001,379600.92,394470.40,53.44x6600,-2.3086000', /LATITUDE "53.44x6600" is not a number/],
    ['an empty field', '100011780001,379600.92,,53.4466000,-2.3086000', /Y_COORDINATE "" is not a number/],
    ['a 13-digit UPRN', '1000117800011,379600.92,394470.40,53.4466000,-2.3086000', /UPRN "1000117800011" is not an integer of 1 to 12 digits/],
    ['a UPRN of 0', '0,379600.92,394470.40,53.4466000,-2.3086000', /UPRN "0"/],
    ['latitude and longitude swapped', '100011780001,379600.92,394470.40,-2.3086000,53.4466000', /LATITUDE -2.3086000 is outside 49…61/],
    ['an easting off the grid', '100011780001,-5.5,394470.40,53.4466000,-2.3086000', /X_COORDINATE -5.5 is outside 0…700000/],
    ['four fields', '100011780001,379600.92,394470.40,53.4466000', /expected 5 fields .* found 4/],
    ['six fields', '100011780001,379600.92,394470.40,53.4466000,-2.3086000,1', /expected 5 fields .* found 6/],
    ['a quoted field', '"100011780001",379600.92,394470.40,53.4466000,-2.3086000', /UPRN "\\"100011780001\\"" is not an integer/],
    ['an empty line', '', /empty line/],
  ])('names the line and the problem for %s', async (_, row, problem) => {
    const error = await failure(withRow(5, row));
    expect(error.where).toBe('line 6');
    expect(error.problem).toMatch(problem);
  });

  it('refuses a truncated last line', async () => {
    const path = temp.write('truncated.csv', TEXT.slice(0, -12));
    const error = await failure(path);
    expect(error.where).toBe('line 13');
    expect(error.problem).toMatch(/^truncated last line "130012345,.*": no line ending/);
  });

  it('refuses empty, header-only-without-newline and missing files', async () => {
    expect((await failure(temp.write('empty.csv', ''))).problem).toBe('the file is empty');
    expect((await failure(temp.write('no-newline.csv', HEADER))).problem).toMatch(/header line has no line ending/);
    expect((await failure(temp.path('missing.csv'))).problem).toBe('file not found');
  });

  it('gives one empty batch for a header-only file', async () => {
    const path = temp.write('header-only.csv', `${HEADER}\r\n`);
    expect(await collect(scanUprnCsv(path, { keep: all }))).toEqual([
      { uprns: new Float64Array(), lons: new Float64Array(), lats: new Float64Array(), count: 0, endOffset: HEADER.length + 2, endLine: 1, rowsScanned: 0 },
    ]);
  });
});
