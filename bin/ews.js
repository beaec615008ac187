#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm run build`, which `npm ci` runs via `prepare`).
// A command that runs best with options for node itself is started again with them (dist/cli/relaunch.js).
import { fileURLToPath } from 'node:url';
import { relaunch, relaunchOptions, watchParent } from '../dist/cli/relaunch.js';

const argv = process.argv.slice(2);
const options = relaunchOptions(argv, process.execArgv, process.env, process.platform);
if (options !== null) {
  process.exitCode = await relaunch(fileURLToPath(import.meta.url), argv, options);
} else {
  watchParent();
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(argv);
}
