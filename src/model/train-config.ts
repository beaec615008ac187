// The training configuration file (`ews train --config`): which declared attributes the features
// use, hyper-parameter overrides, the label's wording and the model card's text.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FeatureConfig } from '../domain/features/index.js';

export const TrainConfig = z.strictObject({
  features: FeatureConfig.default({ numeric: [], categorical: [] }),
  hyperParams: z.strictObject({
    hidden: z.array(z.number().int().min(1).max(1024)).max(4),
    l2: z.number().min(0),
    learningRate: z.number().positive(),
    batchSize: z.number().int().min(1),
    maxEpochs: z.number().int().min(1),
    patience: z.number().int().min(1),
    members: z.number().int().min(1).max(32),
    positiveWeight: z.union([z.number().positive(), z.enum(['sqrt', 'balanced'])]),
    validationFraction: z.number().gt(0).lt(0.5),
    calibrationFraction: z.number().gt(0).lt(0.5),
    calibration: z.enum(['platt', 'beta', 'isotonic']),
    calibrationData: z.enum(['slice', 'cross-fit']),
    seed: z.number().int(),
  }).partial().default({}),
  architecture: z.enum(['mlp', 'logistic']).default('mlp'),
  label: z.strictObject({ definition: z.string(), horizonDays: z.number().int().min(1).optional() }).optional(),
  card: z.strictObject({ intendedUse: z.string().optional(), limitations: z.array(z.string()).optional() }).default({}),
});
export type TrainConfig = z.output<typeof TrainConfig>;

export async function readTrainConfig(file: string | undefined): Promise<TrainConfig> {
  if (file === undefined) return TrainConfig.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the training configuration (${(error as Error).message})`, { cause: error });
  }
  const parsed = TrainConfig.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return parsed.data;
}
