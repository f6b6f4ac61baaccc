import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from './importError.js';
import { scanLinkedIdentifiersCsv, type LinkBatch } from './linkedIdentifiersCsv.js';
import { collect, fixture, tempDir } from './testSupport.js';

const FIXTURE = fixture('linked-identifiers.csv');
const TEXT = readFileSync(FIXTURE, 'utf8');
const HEADER = 'CORRELATION_ID,IDENTIFIER_1,VERSION_NUMBER_1,VERSION_DATE_1,IDENTIFIER_2,VERSION_NUMBER_2,VERSION_DATE_2,CONFIDENCE';
const all = () => true;

const temp = tempDir();
afterAll(() => temp.remove());

const EXPECTED: [number, number][] = [
  [10, 20000002],
  [10090012345, 12900001],
  [10090012346, 12900002],
  [100011780001, 12900003],
  [100011780002, 12900005],
  [100011780003, 12900004],
  [100011780004, 12900006],
  [100012345678, 22000001],
  [200003456789, 20000001],
];

function pairs(batches: LinkBatch[]): [number, number][] {
  return batches.flatMap((batch) => Array.from(batch.uprns, (uprn, i) => [uprn, batch.usrns[i]] as [number, number]));
}

async function failure(path: string): Promise<ImportError> {
  const error = await collect(scanLinkedIdentifiersCsv(path, { keep: all })).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

function withRow(n: number, row: string): string {
  const lines = TEXT.split('\r\n');
  lines[n] = row;
  return temp.write(`row-${n}-${Math.random().toString(36).slice(2)}.csv`, lines.join('\r\n'));
}

describe('scanLinkedIdentifiersCsv', () => {
  it('reads UPRN → USRN from IDENTIFIER_1 and IDENTIFIER_2 (BOM, CRLF, empty version fields)', async () => {
    const batches = await collect(scanLinkedIdentifiersCsv(FIXTURE, { keep: all }));
    expect(pairs(batches)).toEqual(EXPECTED);
    expect(batches.at(-1)).toMatchObject({ rowsScanned: 9, endLine: 10, endOffset: statSync(FIXTURE).size });
  });

  it('returns only the UPRNs keep() accepts', async () => {
    const wanted = new Set([10090012345, 100011780004]);
    expect(pairs(await collect(scanLinkedIdentifiersCsv(FIXTURE, { keep: (uprn) => wanted.has(uprn) })))).toEqual([
      [10090012345, 12900001],
      [100011780004, 12900006],
    ]);
  });

  it('finds the columns in any order and reads quoted fields, LF endings, no BOM', async () => {
    const rows = EXPECTED.map(([uprn, usrn], i) => `"Version information is correct",${usrn},"${uprn}","id-${i}, quoted"`);
    const path = temp.write('reordered.csv', `CONFIDENCE,IDENTIFIER_2,IDENTIFIER_1,CORRELATION_ID\n${rows.join('\n')}\n`);
    expect(pairs(await collect(scanLinkedIdentifiersCsv(path, { keep: all })))).toEqual(EXPECTED);
  });

  it('resumes from any batch to exactly the remaining rows', async () => {
    const batches = await collect(scanLinkedIdentifiersCsv(FIXTURE, { keep: all, batchSize: 4 }));
    expect(batches.map((batch) => batch.count)).toEqual([4, 4, 1]);
    for (let k = 0; k < batches.length; k++) {
      const { endOffset, endLine } = batches[k] as LinkBatch;
      expect(pairs(await collect(scanLinkedIdentifiersCsv(FIXTURE, { keep: all, fromOffset: endOffset, fromLine: endLine })))).toEqual(EXPECTED.slice((k + 1) * 4));
    }
  });

  it('requires IDENTIFIER_1 and IDENTIFIER_2 in the header', async () => {
    const path = temp.write('header.csv', `${HEADER.replace('IDENTIFIER_2', 'USRN')}\r\n`);
    const error = await failure(path);
    expect(error.where).toBe('line 1');
    expect(error.problem).toMatch(/^no IDENTIFIER_2 column: expected the BLPU_UPRN_Street_USRN_11 header .* found "CORRELATION_ID,IDENTIFIER_1,/);
  });

  it.each([
    ['a USRN of 9 digits', 'x,10090012345,2,2021-06-14,129000011,3,2020-11-02,Version information is correct', /IDENTIFIER_2 \(USRN\) "129000011" is not an integer of 1 to 8 digits/],
    ['a TOID where the UPRN should be', 'x,osgb1000005183736,2,2021-06-14,12900001,3,2020-11-02,Version', /IDENTIFIER_1 \(UPRN\) "osgb1000005183736"/],
    ['an empty UPRN', 'x,,2,2021-06-14,12900001,3,2020-11-02,Version', /IDENTIFIER_1 \(UPRN\) ""/],
    ['a missing field', 'x,10090012345,2,2021-06-14,12900001,3,Version', /expected 8 fields as in the header, found 7/],
    ['an extra field', 'x,10090012345,2,2021-06-14,12900001,3,2020-11-02,Version,1', /expected 8 fields as in the header, found 9/],
    ['an unclosed quote', 'x,"10090012345,2,2021-06-14,12900001,3,2020-11-02,Version', /a quoted field is not closed on its line/],
  ])('names the line and the problem for %s', async (_, row, problem) => {
    const error = await failure(withRow(3, row));
    expect(error.where).toBe('line 4');
    expect(error.problem).toMatch(problem);
  });

  it('refuses a truncated last line', async () => {
    const error = await failure(temp.write('truncated.csv', TEXT.slice(0, -20)));
    expect(error.where).toBe('line 10');
    expect(error.problem).toMatch(/^truncated last line/);
  });
});
