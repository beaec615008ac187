// docs/features.md lists every base feature, so the document cannot silently fall behind the registry.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { featureNames } from '../../../src/domain/features/index.js';

it('docs/features.md names every feature', () => {
  const doc = readFileSync('docs/features.md', 'utf8');
  expect(featureNames().filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
});
