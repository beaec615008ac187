// Public API of the feature engine.
export { BASE_BLOCKS, FEATURES, computeFeatureMatrix, computeFeatures, computeFeaturesInto, featureCount, featureDefs, featureNames, featureSetVersion, scanHolding } from './registry.js';
export type { LoanScan } from './scan.js';
export { EMPTY_FEATURE_CONFIG, FeatureConfig, type FeatureConfigInput } from './feature-config.js';
export type { FeatureBlock } from './feature.js';
export { FEATURE_GROUPS, type FeatureDef, type FeatureGroup } from './types.js';
export { daysSinceSpringFestival, daysToSpringFestival, SPRING_FESTIVAL_DAYS } from './spring-festival.js';
