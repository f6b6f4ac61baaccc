import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseConfig, type Config } from '../core/config.js';

/**
 * The process's configuration: `.env` (if present) then the environment, validated once. On any
 * problem it prints all of them and exits, rather than failing later with a confusing error.
 */
export function loadConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const result = parseConfig(process.env, { hostname: hostname(), tty: Boolean(process.stdout.isTTY) });
  if (!result.ok) {
    console.error('Smartplace cannot start: the configuration has problems.\n');
    for (const problem of result.problems) console.error(`  - ${problem}`);
    console.error('\nSee .env.example and the README for every setting.');
    process.exit(2);
  }
  return result.config;
}
