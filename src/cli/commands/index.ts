// Every `ews` subcommand, in the order `ews --help` lists them.
import type { Command } from '../command.js';
import { evaluate } from './evaluate.js';
import { generate } from './generate.js';
import { importCommand } from './import.js';
import { schema } from './schema.js';
import { train } from './train.js';
import { validate } from './validate.js';

export const commands: readonly Command[] = [generate, importCommand, train, evaluate, validate, schema];
