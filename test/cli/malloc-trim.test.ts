// The service's glibc heap-trimming threshold is set outside the process, in three places that cannot
// import it: npm start, the Dockerfile and the benchmark's server. They must agree with the constant.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MALLOC_TRIM_THRESHOLD, mallocTrimNote } from '../../src/cli/malloc-trim.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('MALLOC_TRIM_THRESHOLD_', () => {
  it('npm start and the Dockerfile set the value the service names', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toMatch(new RegExp(`(^|\\s)MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD}\\s`));
    expect(read('Dockerfile')).toMatch(new RegExp(`MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD}(\\s|$)`, 'm'));
  });

  it('is noted only on Linux when unset', () => {
    expect(mallocTrimNote('linux', {})).toContain(MALLOC_TRIM_THRESHOLD);
    expect(mallocTrimNote('linux', { MALLOC_TRIM_THRESHOLD_: '1' })).toBeNull();
    expect(mallocTrimNote('darwin', {})).toBeNull();
  });
});
