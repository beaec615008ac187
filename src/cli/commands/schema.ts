import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonSchemas, renderSchema } from '../../domain/history/json-schema.js';
import { parseFlags } from '../args.js';
import { EXIT, type Command } from '../command.js';

export const schema: Command = {
  name: 'schema',
  usage: 'ews schema [--out DIR]',
  async run(argv, out) {
    const { values } = parseFlags(argv, { out: { type: 'string', default: 'schemas' } });
    const dir = values.out;
    await mkdir(dir, { recursive: true });
    for (const [name, doc] of Object.entries(jsonSchemas())) {
      const file = join(dir, `${name}.schema.json`);
      await writeFile(file, renderSchema(doc));
      out.line(`wrote ${file}`);
    }
    return EXIT.ok;
  },
};
