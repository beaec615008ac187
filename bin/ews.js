#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm run build`, which `npm ci` runs via `prepare`).
// A command that runs best with options for node itself (or on jemalloc, when asked) is started again with them
// (dist/cli/relaunch.js).
import { fileURLToPath } from 'node:url';
import { relaunch, relaunchPlan, watchParent } from '../dist/cli/relaunch.js';

const argv = process.argv.slice(2);
const plan = relaunchPlan(argv, process.execArgv, process.env, process.platform);
if (plan !== null) {
  process.exitCode = await relaunch(fileURLToPath(import.meta.url), argv, plan);
} else {
  watchParent();
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(argv);
}
