/** What one `variance-shift` experiment runs: the noise strengths, the layer it acts on, and the seeds. */
export interface VarianceShiftConfig {
  /** Dropout's drop probability. */
  p: number;
  /** Uout's noise range: u ~ U(−β, β). */
  beta: number;
  /** Units of the hidden layer the noise acts on. */
  width: number;
  /** Training epochs per placement and seed. */
  epochs: number;
  seeds: number[];
}
