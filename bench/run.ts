import { benchIngest } from './ingest.js';
import { benchInsert } from './insert.js';
import { benchJoins } from './joins.js';
import { benchLive } from './live.js';
import { benchStartup } from './startup.js';
import { benchStore } from './store.js';
import { benchUprnScan } from './uprnScan.js';

/**
 * `npm run bench`: runs every benchmark and prints its figures. Figures are for notes and issues,
 * measured on demand; nothing here is asserted, and nothing runs in `npm test`.
 * `npm run bench -- startup` runs one.
 */
const BENCHMARKS: Record<string, () => Promise<void>> = {
  startup: benchStartup,
  joins: benchJoins,
  'uprn-scan': benchUprnScan,
  ingest: benchIngest,
  insert: benchInsert,
  store: benchStore,
  live: benchLive,
};

const chosen = process.argv.slice(2);
for (const name of chosen.length > 0 ? chosen : Object.keys(BENCHMARKS)) {
  const bench = BENCHMARKS[name];
  if (!bench) {
    console.error(`Unknown benchmark "${name}". Choose from: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} (${new Date().toISOString()}, ${process.version}, ${(await import('node:os')).cpus().length} CPUs)`);
  await bench();
}
