import { defineConfig } from 'vitest/config';

/**
 * Two tiers (STYLE.md): unit tests next to the code, and `test/` for what needs real services —
 * the embedded TimescaleDB, Mosquitto, PostgreSQL, a browser. All run in UTC.
 */
export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{core,geo,ingest,server,db,simulator,client,cli}/**/*.test.ts'],
          env: { TZ: 'UTC' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          env: { TZ: 'UTC' },
          globalSetup: ['test/support/globalSetup.ts'],
          // Each file starts real processes on real ports; one at a time keeps the 2-core machine honest.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
