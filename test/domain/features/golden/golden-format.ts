// Shape of the committed golden feature vectors (see make-golden.ts for how and when they were made).
import type { FeatureConfigInput } from '../../../../src/domain/features/index.js';

export const GOLDEN_PATH = 'test/domain/features/golden/features-golden.json.gz';

/** Declared attributes of the sample (bureau_score) and of UCI Taiwan, so the declared block is covered. */
export const GOLDEN_CONFIG: FeatureConfigInput = {
  numeric: [{ name: 'bureau_score' }, { name: 'LIMIT_BAL', missing: -1 }, { name: 'AGE' }],
  categorical: [
    { name: 'EDUCATION', levels: ['1', '2', '3'] },
    { name: 'SEX', levels: ['1', '2'] },
  ],
};

export interface GoldenCase {
  /** Where the history came from, e.g. sample:L0000003, random:17, uci-taiwan:uci-tw-5. */
  source: string;
  /** The history as JSON (parsed with LoanHistory before use). */
  history: unknown;
  /** As-of instants, epoch ms. */
  asOf: number[];
  /** Per as-of instant: the Float32 feature vector, little-endian bytes in base64. */
  values: string[];
}

export interface GoldenFile {
  note: string;
  featureSetVersion: string;
  config: FeatureConfigInput;
  cases: GoldenCase[];
}
