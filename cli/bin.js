#!/usr/bin/env node
// `smartplace` on the PATH (npm link, or npx in this folder): runs the TypeScript entry through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./smartplace.ts');
