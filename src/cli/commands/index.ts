// Every `ews` subcommand, in the order `ews --help` lists them.
import type { Command } from '../command.js';
import { generate } from './generate.js';
import { keys } from './keys.js';
import { schema } from './schema.js';
import { serve } from './serve.js';
import { validate } from './validate.js';

export const commands: readonly Command[] = [serve, keys, generate, validate, schema];
