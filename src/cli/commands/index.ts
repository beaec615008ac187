// Every `ews` subcommand, in the order `ews --help` lists them.
import type { Command } from '../command.js';
import { loadConfig } from '../../config.js';
import { loadScoringModel } from '../../engine-files.js';
import { makeBacktestCommand } from './backtest.js';
import { evaluate } from './evaluate.js';
import { generate } from './generate.js';
import { importCommand } from './import.js';
import { keys } from './keys.js';
import { rescoreCommand } from './rescore.js';
import { schema } from './schema.js';
import { serve } from './serve.js';
import { train } from './train.js';
import { validate } from './validate.js';

const backtest = makeBacktestCommand({
  loadModel: loadScoringModel,
  defaultModelDir: () => loadConfig().modelDir,
  workerUrl: new URL('../backtest-worker.js', import.meta.url),
});

export const commands: readonly Command[] = [serve, keys, generate, importCommand, train, evaluate, rescoreCommand, backtest, validate, schema];
