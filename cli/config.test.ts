import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../core/config.js';

/** The documentation of the configuration must not drift from what the code reads. */
describe('configuration documentation', () => {
  const envExample = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('documents every variable in .env.example, and nothing else', () => {
    const documented = [...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect(new Set(documented)).toEqual(new Set(CONFIG_VARIABLES));
  });

  it('lists every variable in the README', () => {
    const missing = CONFIG_VARIABLES.filter((variable) => !readme.includes(`\`${variable}\``));
    expect(missing).toEqual([]);
  });
});
