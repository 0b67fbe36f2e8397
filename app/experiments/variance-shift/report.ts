import type { Summary } from '../../statistics/welch';
import type { VarianceShiftConfig } from './config';

export interface PlacementResult {
  name: string;
  /** Var_test / Var_train at the BN after the noise: measured and predicted (means over seeds), and 1/(1 + c). */
  measured: number;
  predicted: number;
  zeroMean: number;
  testAcc: Summary;
}

export interface VarianceShiftReport {
  config: VarianceShiftConfig & {
    data: string;
    trainExamples: number;
    testExamples: number;
  };
  /** Dropout before BN, dropout after the last BN, Uout before BN. */
  placements: PlacementResult[];
  /** Welch's p: dropout before BN vs after the last BN, and Uout before BN vs dropout before BN (null with one seed). */
  pBeforeVsAfter: number | null;
  pUoutVsBefore: number | null;
}
