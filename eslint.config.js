// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Import direction (docs/ARCHITECTURE.md): core ← geo ← ingest/server ← cli, db beside them, and
 * the client imports only core. A wrong arrow is a lint error, not a review comment.
 */
const IO_MODULES = ['pg', 'mqtt', 'express', 'socket.io', 'aedes', 'pino', '@electric-sql/*', 'node:*', 'fs', 'net', 'http', 'child_process'];

/** @param {string[]} folders @param {string[]} [modules] */
function forbid(folders, modules = []) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...folders.map((folder) => ({
            group: [`**/${folder}/*`, `**/${folder}`],
            message: `This folder may not import from ${folder}/ (see the import direction in docs/ARCHITECTURE.md).`,
          })),
          ...(modules.length > 0 ? [{ group: modules, message: 'Pure code does no I/O: pass values in instead.' }] : []),
        ],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'client/dist/', 'data/', 'scratch/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'cli/bin.js'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['core/**/*.ts'], rules: forbid(['geo', 'ingest', 'server', 'db', 'cli', 'simulator', 'client'], IO_MODULES) },
  { files: ['geo/**/*.ts'], rules: forbid(['ingest', 'server', 'db', 'cli', 'simulator', 'client'], IO_MODULES) },
  // File readers for the national products: the one part of geo/ that reads files.
  { files: ['geo/import/**/*.ts'], rules: forbid(['ingest', 'server', 'db', 'cli', 'simulator', 'client']) },
  { files: ['db/**/*.ts'], rules: forbid(['ingest', 'server', 'cli', 'simulator', 'client']) },
  { files: ['ingest/**/*.ts'], rules: forbid(['server', 'cli', 'simulator', 'client']) },
  { files: ['server/**/*.ts'], rules: forbid(['ingest', 'cli', 'simulator', 'client']) },
  { files: ['simulator/**/*.ts'], rules: forbid(['ingest', 'server', 'db', 'cli', 'client']) },
  {
    files: ['client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid(['geo', 'ingest', 'server', 'db', 'cli', 'simulator'], IO_MODULES),
  },
  { files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
);
