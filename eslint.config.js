// Lint keeps the architecture honest: imports point inward (STYLE.md). domain is pure; scoring owns
// its ports; adapters (model, store, http, batch) never reach into each other; only cli and the
// composition root see everything.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (name) => [`**/${name}/**`, `../${name}.js`, `../../${name}.js`];
const io = ['fastify', 'fastify-*', '@fastify/*', '@tensorflow/*', 'better-sqlite3', '@duckdb/*', 'pino', 'node:fs', 'node:fs/promises', 'node:worker_threads', 'node:child_process', 'node:net', 'node:http'];
const restrict = (message, patterns) => ({ 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] });

export default tseslint.config(
  { ignores: ['dist/**', 'tmp/**', 'node_modules/**', 'coverage/**', 'data/**', 'models/**', 'schemas/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', performance: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly', WebAssembly: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: restrict('domain is pure: no I/O, no adapters, no config (STYLE.md)', [
      ...layer('model'), ...layer('scoring'), ...layer('store'), ...layer('http'), ...layer('batch'), ...layer('cli'), ...layer('config'), ...layer('compose'), ...io,
    ]),
  },
  {
    files: ['src/synth/**/*.ts'],
    rules: restrict('synth is a pure simulation given a seed: domain only, no I/O, no clock (STYLE.md)', [
      ...layer('model'), ...layer('scoring'), ...layer('store'), ...layer('http'), ...layer('batch'), ...layer('cli'), ...layer('config'), ...layer('compose'), ...io,
    ]),
  },
  {
    files: ['src/scoring/**/*.ts'],
    rules: restrict('scoring depends on domain and its own ports only', [
      ...layer('model'), ...layer('store'), ...layer('http'), ...layer('batch'), ...layer('cli'), ...layer('config'), ...layer('compose'), ...io,
    ]),
  },
  {
    files: ['src/model/**/*.ts'],
    rules: restrict('model is an adapter: it may use domain and scoring ports, not other adapters', [
      ...layer('store'), ...layer('http'), ...layer('batch'), ...layer('cli'), ...layer('compose'),
    ]),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict('store is an adapter: it may use domain and scoring ports, not other adapters', [
      ...layer('model'), ...layer('http'), ...layer('batch'), ...layer('cli'), ...layer('compose'),
    ]),
  },
  {
    files: ['src/http/**/*.ts'],
    rules: restrict('http gets its collaborators from compose.ts, never from other adapters', [
      ...layer('model'), ...layer('store'), ...layer('batch'), ...layer('cli'),
    ]),
  },
  {
    files: ['src/batch/**/*.ts'],
    rules: restrict('batch is an adapter: domain, scoring ports and compose only', [
      ...layer('store'), ...layer('http'), ...layer('cli'),
    ]),
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
