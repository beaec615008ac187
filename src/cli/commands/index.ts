// Every `ews` subcommand, in the order `ews --help` lists them.
import type { Command } from '../command.js';
import { evaluate } from './evaluate.js';
import { generate } from './generate.js';
import { importCommand } from './import.js';
import { rescoreCommand } from './rescore.js';
import { schema } from './schema.js';
import { serve } from './serve.js';
import { train } from './train.js';
import { validate } from './validate.js';

export const commands: readonly Command[] = [serve, generate, importCommand, train, evaluate, rescoreCommand, validate, schema];
