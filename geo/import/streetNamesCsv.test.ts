import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from './importError.js';
import { readStreetNamesCsv } from './streetNamesCsv.js';
import { fixture, tempDir } from './testSupport.js';

const temp = tempDir();
afterAll(() => temp.remove());

async function failure(path: string): Promise<ImportError> {
  const error = await readStreetNamesCsv(path).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('readStreetNamesCsv', () => {
  it('reads a gazetteer export: BOM, CRLF, quoted names with commas and doubled quotes', async () => {
    const names = await readStreetNamesCsv(fixture('street-names.csv'));
    expect(names.size).toBe(6);
    expect(names.get(12900001)).toEqual({ name: 'STAMFORD NEW ROAD', locality: null, town: 'ALTRINCHAM' });
    expect(names.get(12900002)).toEqual({ name: 'WASHWAY ROAD, SERVICE ROAD', locality: 'SALE', town: 'SALE' });
    expect(names.get(12900003)).toEqual({ name: 'THE "OLD" LANE', locality: 'STRETFORD', town: 'MANCHESTER' });
    expect(names.get(12900004)).toEqual({ name: 'CHESTER ROAD', locality: null, town: null });
  });

  it('takes the columns in any order and case, LOCALITY and TOWN optional, LF endings', async () => {
    const path = temp.write('reordered.csv', 'street_name,Usrn\nHigh Street,123\n"Mall, The",45678901\n\n');
    expect(await readStreetNamesCsv(path)).toEqual(
      new Map([
        [123, { name: 'High Street', locality: null, town: null }],
        [45678901, { name: 'Mall, The', locality: null, town: null }],
      ]),
    );
  });

  it('accepts a repeated USRN with the same name', async () => {
    const path = temp.write('repeat.csv', 'USRN,STREET_NAME,LOCALITY,TOWN\r\n1,A ROAD,,X\r\n1,A ROAD,,X\r\n');
    expect((await readStreetNamesCsv(path)).size).toBe(1);
  });

  it.each([
    ['no STREET_NAME column', 'USRN,NAME,LOCALITY,TOWN\r\n1,A,,\r\n', 'line 1', /no STREET_NAME column: expected the header USRN,STREET_NAME,LOCALITY,TOWN, found "USRN,NAME,LOCALITY,TOWN"/],
    ['a USRN that is not a number', 'USRN,STREET_NAME\r\n1,A\r\n12A,B\r\n', 'line 3', /USRN "12A" is not an integer of 1 to 8 digits/],
    ['a 9-digit USRN', 'USRN,STREET_NAME\r\n123456789,B\r\n', 'line 2', /USRN "123456789"/],
    ['an empty name', 'USRN,STREET_NAME\r\n1,A\r\n2, \r\n', 'line 3', /USRN 2 has an empty STREET_NAME/],
    ['a USRN named twice', 'USRN,STREET_NAME\r\n1,A\r\n2,B\r\n1,C\r\n', 'line 4', /USRN 1 appears again with a different name \("C"; line 2 has "A"\)/],
    ['a row with too many fields', 'USRN,STREET_NAME\r\n1,A\r\n2,B,C\r\n', 'line 3', /not a valid CSV: Invalid Record Length: expect 2, got 3 on line 3/],
    ['a quote left open', 'USRN,STREET_NAME\r\n1,A\r\n2,"B\r\n3,C\r\n', 'line 3', /a quote opened in this row is never closed/],
  ])('names the line and the problem for %s', async (_, text, where, problem) => {
    const error = await failure(temp.write(`bad-${Math.random().toString(36).slice(2)}.csv`, text));
    expect(error.where).toBe(where);
    expect(error.problem).toMatch(problem);
  });

  it('refuses a file saved as Windows-1252', async () => {
    const path = temp.write('cp1252.csv', Buffer.concat([Buffer.from('USRN,STREET_NAME\r\n1,Heol y Frenhines\r\n2,Stryd '), Buffer.from([0xe2]), Buffer.from('r\r\n')]));
    const error = await failure(path);
    expect(error.where).toBe('line 3');
    expect(error.problem).toMatch(/not UTF-8/);
  });

  it('refuses empty, header-only and missing files', async () => {
    expect((await failure(temp.write('empty.csv', ''))).problem).toBe('the file is empty');
    expect((await failure(temp.write('header.csv', 'USRN,STREET_NAME,LOCALITY,TOWN\r\n'))).problem).toBe('no streets after the header');
    expect((await failure(temp.path('missing.csv'))).problem).toBe('file not found');
  });
});
