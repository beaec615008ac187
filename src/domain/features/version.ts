// The feature-set version: a hash over every definition, the attribute configuration and the engine
// revision. Bump ENGINE_REVISION whenever a computation changes without its declaration changing.
import type { FeatureConfig } from './feature-config.js';
import type { FeatureDef } from './types.js';

export const ENGINE_REVISION = 1;

/** 64-bit FNV-1a over UTF-16 code units, as 16 hex digits. Pure and stable across runtimes. */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}

export function versionOf(defs: readonly FeatureDef[], config: FeatureConfig): string {
  const canonical = JSON.stringify({
    engine: ENGINE_REVISION,
    defs: defs.map((d) => [d.name, d.group, d.en, d.zh, d.unit, d.windowDays, d.missing]),
    config: { numeric: config.numeric.map((a) => [a.name, a.missing]), categorical: config.categorical.map((a) => [a.name, a.levels]) },
  });
  return `fs${ENGINE_REVISION}-${defs.length}-${fnv1a64(canonical).slice(0, 12)}`;
}
