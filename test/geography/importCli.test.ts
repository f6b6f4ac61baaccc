import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToBng } from '../../geo/projection.js';
import { seededRandom } from '../../core/random.js';
import { tempDir } from '../support/database.js';
import { runSmartplace, runToExit, waitForDataDirRelease } from '../support/product.js';
import { fixture, sharedDataFile, TRAFFORD_WARDS } from '../support/sharedData.js';

/**
 * `smartplace import` as a person runs it: exit codes, messages, and a national-style UPRN import
 * killed with SIGKILL part-way and run again, which must carry on and end with every row exactly once.
 */

const ROWS = 250_000;

/** An OS Open UPRN CSV (BOM, CRLF, exact header) of `rows` points in Sale, Timperley and Carrington (all inside Trafford), UPRNs 1… */
async function writeUprnCsv(path: string, rows: number): Promise<void> {
  const random = seededRandom(7);
  const out = createWriteStream(path);
  out.write('\uFEFFUPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE\r\n');
  for (let i = 1; i <= rows; i++) {
    const lon = -2.4 + random() * 0.08;
    const lat = 53.4 + random() * 0.04;
    const [x, y] = wgs84ToBng(lon, lat);
    if (!out.write(`${i},${x.toFixed(2)},${y.toFixed(2)},${lat.toFixed(7)},${lon.toFixed(7)}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('smartplace import (command line)', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await tempDir('import-cli');
    env = { DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('explains its usage with exit code 2', async () => {
    const { code, output } = await runToExit(['import', 'parishes', 'x.geojson'], env);
    expect(code).toBe(2);
    expect(output).toContain('Usage: smartplace import <wards|usrn|street-names|uprn|links> <file>');
  });

  it('imports wards, and says so when the same file comes again', async () => {
    const args = ['import', 'wards', sharedDataFile(TRAFFORD_WARDS), '--code-property', 'area_code', '--name-property', 'area_name', '--name', 'Trafford'];
    const first = await runToExit(args, env);
    expect(first.output).toMatch(/Imported wards from .*wards-2023-full\.geojson in [\d.]+ s:\n {2}rows read 21, kept 21/);
    expect(first.code).toBe(0);
    const second = await runToExit(args, env);
    expect(second.code).toBe(0);
    expect(second.output).toContain('was imported already (21 wards rows kept); nothing to do. Use --force to import it again.');
  });

  it('refuses a missing file and a bad one with exit code 1, changing nothing', async () => {
    const missing = await runToExit(['import', 'usrn', `${dataDir}/nope.gpkg`], env);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('Import failed; the geography is unchanged.');
    const bad = await runToExit(['import', 'usrn', fixture('osopenusrn-bad-blob.gpkg')], env);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/osopenusrn-bad-blob\.gpkg: .*12900003/);
    const status = await runToExit(['import', 'status'], env);
    expect(status.output).toContain('Geography: Trafford, version 1');
    expect(status.output).toContain('21 wards, 0 streets');
  });

  it('carries on after being killed part-way through a large UPRN file, storing every row once', async () => {
    const csv = `${dataDir}/uprn.csv`;
    await writeUprnCsv(csv, ROWS);
    const child = runSmartplace(['import', 'uprn', csv], env);
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Without a terminal, progress comes as a line per 10 %; kill -9 once a good part is staged.
    const deadline = Date.now() + 60_000;
    while (!/UPRN bytes: [3-9]0%/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the import did not get far enough to interrupt:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    await waitForDataDirRelease(dataDir);

    const interrupted = await runToExit(['import', 'status'], env);
    expect(interrupted.output).toMatch(/uprn {9}uprn\.csv {2}interrupted at line \d+/);
    expect(interrupted.output).toContain('0 properties');

    const resumed = await runToExit(['import', 'uprn', csv], env, 120_000);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain('(carried on from where an earlier run stopped)');
    // Every row is read once in all, whether before or after the kill, and all are inside Trafford's wards.
    expect(resumed.output).toContain(`rows read ${ROWS}, kept ${ROWS}`);
    const status = await runToExit(['import', 'status'], env);
    expect(status.output).toContain(`${ROWS} properties`);
    expect(status.output).toMatch(/uprn {9}uprn\.csv {2}done/);
  }, 240_000);
});

