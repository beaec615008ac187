// The model's training score distribution, for PSI: read from the model's manifest.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateReference, type ReferenceDistribution } from './psi.js';

export interface LoadedReference {
  readonly reference: ReferenceDistribution | null;
  /** Why there is no reference, when there is none. */
  readonly note?: string;
}

interface ManifestShape {
  scoreDistribution?: { edges?: number[]; proportions?: number[]; counts?: number[] };
}

export function loadReference(modelDir: string | null): LoadedReference {
  if (modelDir === null) return { reference: null, note: 'no model manifest (fixture scorer): PSI not computed' };
  const path = join(modelDir, 'manifest.json');
  if (!existsSync(path)) return { reference: null, note: `${path} not found: PSI not computed` };
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as ManifestShape;
  const dist = manifest.scoreDistribution;
  const proportions = dist?.proportions ?? dist?.counts;
  if (dist?.edges === undefined || proportions === undefined) return { reference: null, note: `${path} has no scoreDistribution {edges, proportions}: PSI not computed` };
  const reference = { edges: dist.edges, proportions };
  const problem = validateReference(reference);
  if (problem !== null) throw new Error(`${path}: scoreDistribution: ${problem}`);
  return { reference };
}
