// The model's training score distribution, for PSI: `scoreDistribution` {edges, shares} in the
// model's manifest.json (inner decile edges; bins are (edge[b-1], edge[b]], as the model computes them).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateReference, type ReferenceDistribution } from './psi.js';

export interface LoadedReference {
  readonly reference: ReferenceDistribution | null;
  /** Why there is no reference, when there is none. */
  readonly note?: string;
}

interface ManifestShape {
  scoreDistribution?: { edges?: number[]; shares?: number[] };
}

export function loadReference(modelDir: string | null): LoadedReference {
  if (modelDir === null) return { reference: null, note: 'no model manifest (fixture scorer): PSI not computed' };
  const path = join(modelDir, 'manifest.json');
  if (!existsSync(path)) return { reference: null, note: `${path} not found: PSI not computed` };
  const dist = (JSON.parse(readFileSync(path, 'utf8')) as ManifestShape).scoreDistribution;
  if (dist?.edges === undefined || dist.shares === undefined) return { reference: null, note: `${path} has no scoreDistribution {edges, shares}: PSI not computed` };
  const reference = { edges: dist.edges, proportions: dist.shares };
  const problem = validateReference(reference);
  if (problem !== null) throw new Error(`${path}: scoreDistribution: ${problem}`);
  return { reference };
}
