/** What one `variance-shift` experiment runs: the noise strengths, the layer it acts on, and the seeds. */
export interface VarianceShiftConfig {
  /** Dropout's drop probabilities: each runs before BN and after the last BN. */
  p: number[];
  /** Uout's noise ranges (u ~ U(−β, β)): each runs before BN. */
  beta: number[];
  /** Units of the hidden layer the noise acts on. */
  width: number;
  /** Training epochs per placement and seed. */
  epochs: number;
  seeds: number[];
}
