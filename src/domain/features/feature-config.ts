// Which lender-declared borrower attributes a model uses. Serialisable JSON: it is stored in the
// model manifest and hashed into the feature-set version, so a model and its features cannot drift.
import { z } from 'zod';

const attributeName = z.string().min(1).max(64);

export const NumericAttribute = z.strictObject({
  name: attributeName,
  /** Value when the attribute is absent or not a number. */
  missing: z.number().finite().default(-1),
});

export const CategoricalAttribute = z.strictObject({
  name: attributeName,
  /** One-hot levels, in this order; any other value sets `<name>=other`, absence sets none. */
  levels: z.array(z.string().min(1).max(256)).min(1).max(64),
});

export const FeatureConfig = z
  .strictObject({
    numeric: z.array(NumericAttribute).max(256).default([]),
    categorical: z.array(CategoricalAttribute).max(64).default([]),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    const names = [...c.numeric.map((a) => a.name), ...c.categorical.map((a) => a.name)];
    names.forEach((name, i) => {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i < c.numeric.length ? 'numeric' : 'categorical'], message: `attribute "${name}" is declared twice` });
      seen.add(name);
    });
    c.categorical.forEach((a, i) => {
      if (new Set(a.levels).size !== a.levels.length) ctx.addIssue({ code: 'custom', path: ['categorical', i, 'levels'], message: `duplicate level in "${a.name}"` });
    });
  });

export type FeatureConfig = z.output<typeof FeatureConfig>;
export type FeatureConfigInput = z.input<typeof FeatureConfig>;
export type NumericAttribute = z.output<typeof NumericAttribute>;
export type CategoricalAttribute = z.output<typeof CategoricalAttribute>;

export const EMPTY_FEATURE_CONFIG: FeatureConfig = Object.freeze({ numeric: [], categorical: [] }) as FeatureConfig;
