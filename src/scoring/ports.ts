// What the scoring use cases need from the outside world. Adapters implement these; compose.ts wires them.

/** A model's contribution of one feature to one prediction, in log-odds. */
export interface Attribution {
  readonly feature: number;
  readonly contribution: number;
}

export interface RiskModelInfo {
  readonly name: string;
  readonly version: string;
  readonly featureSetVersion: string;
  readonly featureNames: readonly string[];
  readonly horizonDays: number;
  readonly backend: string;
}

export interface RiskModel {
  readonly info: RiskModelInfo;
  /** Calibrated PDs for n rows laid out row-major in `rows` (n × featureNames.length). */
  predictBatch(rows: Float32Array, n: number): Float32Array | Promise<Float32Array>;
  /**
   * Optional: the PD predictBatch gives this row, bit for bit, computed alone. A model that offers it is
   * scored row by row in scoreMany (nothing held across the batch, and explain can reuse the row's pass).
   */
  predictRow?(row: Float32Array): number;
  /** Calibrated PD of one row, on the fast path (no tfjs call). */
  predictOne(row: Float32Array): number;
  /** Adverse attributions for one row, largest first. */
  explain(row: Float32Array, max: number): Attribution[];
}
