// `ews keys new`: makes an API key for the keys file. The key is printed once (stderr); the entry to
// add to EWS_KEYS_FILE (stdout) holds only its sha256 hash.
import { generateKey, hashKey, SCOPES, type Scope } from '../../http/auth.js';
import { parseFlags, requireFlag } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';

export const keys: Command = {
  name: 'keys',
  usage: `ews keys new --id NAME --scopes ${SCOPES.join('+')}`,
  async run(argv, out) {
    const { values, positionals } = parseFlags(argv, { id: { type: 'string' }, scopes: { type: 'string' } }, true);
    if (positionals[0] !== 'new') throw new UsageError('expected the subcommand "new"');
    const id = requireFlag(values.id, 'id');
    const scopes = requireFlag(values.scopes, 'scopes').split('+');
    for (const s of scopes) if (!(SCOPES as readonly string[]).includes(s)) throw new UsageError(`--scopes: unknown scope "${s}"; expected ${SCOPES.join(', ')}`);
    const key = generateKey();
    out.error(`API key for ${id} (shown once, store it now): ${key}`);
    out.json({ id, sha256: hashKey(key), scopes: scopes as Scope[] });
    return EXIT.ok;
  },
};
