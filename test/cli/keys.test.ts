import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../../src/cli/output.js';
import { parseKeysFile } from '../../src/http/auth.js';

describe('ews keys new', () => {
  it('prints the key once on stderr and a keys-file entry with only its hash on stdout', async () => {
    const out = capture();
    expect(await main(['keys', 'new', '--id', 'ops-1', '--scopes', 'servicing+collector'], out)).toBe(0);
    const key = /shown once, store it now\): (\S+)/.exec(out.stderr.join('\n'))![1]!;
    const entry = JSON.parse(out.stdout[0]!);
    expect(out.stdout.join('\n')).not.toContain(key);
    const ring = parseKeysFile(JSON.stringify([entry]));
    expect([...ring.lookup(key)!.scopes]).toEqual(['servicing', 'collector']);
  });

  it('refuses an unknown scope as a usage error', async () => {
    const out = capture();
    expect(await main(['keys', 'new', '--id', 'x', '--scopes', 'root'], out)).toBe(2);
    expect(out.stderr.join('\n')).toContain('unknown scope "root"');
  });
});
