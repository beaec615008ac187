// Every `ews` subcommand, in the order `ews --help` lists them.
import type { Command } from '../command.js';
import { rescoreCommand } from './rescore.js';
import { schema } from './schema.js';
import { validate } from './validate.js';

export const commands: readonly Command[] = [validate, schema, rescoreCommand];
