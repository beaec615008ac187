// Every `ews` subcommand, in the order `ews --help` lists them. A command's module is imported only when
// that command runs: importing all of them (the service's fastify, the trainer's tfjs, ...) cost every
// command ~0.35 s before it started, the nightly rescore included.
import type { Command } from '../command.js';

export interface CommandEntry {
  readonly name: string;
  /** One line for `ews --help`. */
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'serve', summary: 'run the scoring service (HTTP API on the embedded store)', load: async () => (await import('./serve.js')).serve },
  { name: 'keys', summary: 'make an API key and its keys-file entry (hash only)', load: async () => (await import('./keys.js')).keys },
  { name: 'generate', summary: 'generate a synthetic blue-collar loan portfolio (histories, tables, ground truth)', load: async () => (await import('./generate.js')).generate },
  { name: 'import', summary: 'convert an external data set into labelled snapshots (NDJSON)', load: async () => (await import('./import.js')).importCommand },
  { name: 'train', summary: 'train a risk model (MLP + logistic baseline) on labelled snapshots and save it', load: async () => (await import('./train.js')).train },
  { name: 'evaluate', summary: 'evaluate a trained model on labelled snapshots (metrics, calibration, PSI, HTML report)', load: async () => (await import('./evaluate.js')).evaluate },
  {
    name: 'rescore',
    summary: 'score a whole portfolio as of T (NDJSON or flat tables) with worker threads; resumable, shardable',
    load: async () => (await import('./rescore.js')).rescoreCommand,
  },
  {
    name: 'backtest',
    summary: 'replay a portfolio day by day through model + rules + policy and measure early warning',
    load: async () => {
      const [{ makeBacktestCommand }, { loadConfig }, { loadScoringModel }] = await Promise.all([import('./backtest.js'), import('../../config.js'), import('../../engine-files.js')]);
      return makeBacktestCommand({
        loadModel: loadScoringModel,
        defaultModelDir: () => loadConfig().modelDir,
        workerUrl: new URL('../backtest-worker.js', import.meta.url),
      });
    },
  },
  { name: 'validate', summary: 'check an NDJSON file of loan histories (or labelled snapshots) against the contract', load: async () => (await import('./validate.js')).validate },
  { name: 'schema', summary: 'write the JSON Schema files of the data contract (default: schemas/)', load: async () => (await import('./schema.js')).schema },
];
