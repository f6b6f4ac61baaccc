import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Builds the browser client with Vite when its sources changed since the last build, so `npm start`
 * is fast after the first run and never serves a stale map. The fingerprint covers the client, the
 * shared core, the Vite config and the lockfile.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}client/dist`;
const STAMP = `${OUT}/.source-hash`;
const INPUTS = ['client', 'core', 'vite.config.ts', 'package-lock.json'];

async function files(path: string): Promise<string[]> {
  const full = `${ROOT}${path}`;
  if (!existsSync(full)) return [];
  const entries = await readdir(full, { withFileTypes: true, recursive: true }).catch(() => null);
  if (entries === null) return [path];
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath.slice(ROOT.length)}/${entry.name}`)
    .filter((file) => !file.startsWith('client/dist/') && !file.endsWith('.test.ts'))
    .sort();
}

export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of await files(input)) {
      hash.update(file);
      hash.update(await readFile(`${ROOT}${file}`));
    }
  }
  return hash.digest('hex');
}

export async function buildClientIfStale(): Promise<'built' | 'up to date'> {
  const hash = await sourceHash();
  if (existsSync(`${OUT}/index.html`) && existsSync(STAMP) && (await readFile(STAMP, 'utf8')) === hash) return 'up to date';
  const { build } = await import('vite');
  await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  await writeFile(STAMP, hash);
  return 'built';
}

// Run as a script (npm run build:client), not when imported (the tests' global setup).
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const result = await buildClientIfStale();
  console.log(`Client ${result === 'built' ? `built in ${((performance.now() - started) / 1000).toFixed(1)} s` : 'is up to date'}.`);
}
