/**
 * What `dropgrad variance-shift` reports per placement of the noise: the shift at the BN after it
 * (measured, predicted, and the zero-mean formula), test accuracy over seeds, and Welch's test
 * against the row it is compared with — so that placement and strength are separated:
 *
 *   no noise                      the reference;
 *   dropout p before BN           vs no noise (what the shift costs at that strength);
 *   dropout p after the last BN   vs dropout p before BN (placement, at equal strength);
 *   Uout β before BN              vs the dropout-before-BN row of equal noise variance
 *                                 (β²/3 = p/(1−p)) when there is one (noise, at equal strength),
 *                                 else vs no noise.
 *
 * One run's comparisons are one family, Holm-adjusted as compare's are.
 */
import type { Summary } from '../../statistics/welch';
import { tableInference } from '../compare/report';
import type { VarianceShiftConfig } from './config';
import { dropoutNoiseVariance, uoutNoiseVariance } from './noise-variance';

export type NoiseKind = 'none' | 'dropout' | 'uout';
export type NoisePosition = 'before BN' | 'after the last BN' | null;

/** What a placement measures, before it is compared with anything. */
export interface PlacementMeasures {
  name: string;
  kind: NoiseKind;
  /** p for dropout, β for Uout, 0 without noise. */
  strength: number;
  position: NoisePosition;
  /** The multiplicative noise's variance: p/(1−p) for dropout, β²/3 for Uout, 0 without noise. */
  noiseVariance: number;
  /** Var_test / Var_train at the BN after the noise: measured and predicted (means over seeds), and 1/(1 + c). */
  measured: number;
  predicted: number;
  zeroMean: number;
  testAcc: Summary;
}

export interface PlacementResult extends PlacementMeasures {
  /** The row it is tested against (null for the reference). */
  comparedWith: string | null;
  /** Welch's two-sided p of the test accuracies against comparedWith's, raw and Holm-adjusted over the run's comparisons; null without one or with one seed. */
  pValue: number | null;
  pAdjusted: number | null;
  /** The 95% interval (Welch) of mean test accuracy minus comparedWith's, as fractions; null where pValue is. */
  ci95: [number, number] | null;
}

export interface VarianceShiftReport {
  config: VarianceShiftConfig & {
    /** The runs' seeds are seeds[0] = seedOffset, … (absent in earlier reports: 0). */
    seedOffset?: number;
    data: string;
    /**
     * What scored the runs (`testAcc` holds its accuracies): the test set, or a validation split
     * carved from the training set. Absent in reports made before the flag existed: the test set.
     */
    split?: 'test' | 'validation';
    trainExamples: number;
    /** Test images scored; 0 with the validation split. */
    testExamples: number;
    /** With the validation split: its images, and the seed that drew them (app/data/validation-split.ts). */
    validationSize?: number;
    validationSeed?: number;
  };
  /** No noise, dropout at each p before BN and after the last BN, Uout at each β before BN. */
  placements: PlacementResult[];
}

/** Noise variances this close (relative) are equal: β typed to three decimals matches its p. */
const equalVariance = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-3 * Math.max(a, b);

/** The row a placement is compared with (the module comment's rule), by name. */
export function referenceOf(row: PlacementMeasures, rows: readonly PlacementMeasures[]): string | null {
  const none = rows.find((r) => r.kind === 'none')?.name ?? null;
  const droppedBefore = rows.filter((r) => r.kind === 'dropout' && r.position === 'before BN');
  if (row.kind === 'none') return null;
  if (row.kind === 'dropout' && row.position === 'after the last BN')
    return droppedBefore.find((r) => r.strength === row.strength)?.name ?? null;
  if (row.kind === 'uout') return droppedBefore.find((r) => equalVariance(r.noiseVariance, row.noiseVariance))?.name ?? none;
  return none;
}

/** The placements with their comparisons: each against its reference, Holm-adjusted as one family. */
export function placementResults(rows: readonly PlacementMeasures[]): PlacementResult[] {
  const compared = rows.map((r) => ({ ...r, comparedWith: referenceOf(r, rows) }));
  const inference = tableInference(compared.map((r) => ({ technique: r.name, baseline: r.comparedWith, testAcc: r.testAcc })));
  return compared.map((r, i) => ({ ...r, pValue: inference[i].pValue, pAdjusted: inference[i].pAdjusted, ci95: inference[i].ci95 }));
}

/** variance-shift --json as an earlier version stored it: one p and one β, three placements without their kinds, two p-values. */
interface StoredV1 {
  config: Omit<VarianceShiftReport['config'], 'p' | 'beta'> & { p: number; beta: number };
  placements: Pick<PlacementMeasures, 'name' | 'measured' | 'predicted' | 'zeroMean' | 'testAcc'>[];
}

export type StoredVarianceShiftReport = VarianceShiftReport | StoredV1;

/**
 * A stored report in today's form. The first version ran dropout before BN, dropout after the last
 * BN and Uout before BN (in that order) at one p and one β, without a model without noise; its
 * rows get their kinds, and every comparison is recomputed by today's rule from the stored values
 * (so its Uout row, whose noise variance matched no dropout row, is compared with nothing).
 */
export function currentVarianceShiftReport(stored: StoredVarianceShiftReport): VarianceShiftReport {
  if (Array.isArray(stored.config.p)) return stored as VarianceShiftReport;
  const { config, placements } = stored as StoredV1;
  const { p, beta } = config;
  const kinds: Pick<PlacementMeasures, 'kind' | 'strength' | 'position' | 'noiseVariance'>[] = [
    { kind: 'dropout', strength: p, position: 'before BN', noiseVariance: dropoutNoiseVariance(p) },
    { kind: 'dropout', strength: p, position: 'after the last BN', noiseVariance: dropoutNoiseVariance(p) },
    { kind: 'uout', strength: beta, position: 'before BN', noiseVariance: uoutNoiseVariance(beta) },
  ];
  const rows = placements.map((r, i) => ({
    name: r.name,
    ...kinds[i],
    measured: r.measured,
    predicted: r.predicted,
    zeroMean: r.zeroMean,
    testAcc: r.testAcc,
  }));
  return { config: { ...config, p: [p], beta: [beta] }, placements: placementResults(rows) };
}
