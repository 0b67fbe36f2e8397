/**
 * From measurements to a verdict on a paper's claim, mechanically, so that no result is read
 * kindly by hand. A claim rests on comparisons ("DropBlock vs Dropout2d on Fashion-MNIST"), each
 * Welch's t-test over seeds with the 95% interval of the difference. The comparisons a page tests
 * together are one family (claims.ts: every claim's): their p-values are adjusted by Holm–Bonferroni
 * (holmFamily), so that no claim is confirmed by whichever comparison crosses α by chance, and the
 * outcome of each is read from its adjusted p:
 *
 *   claim 'better':    confirmed if better with p < α; 'direction' if better but p ≥ α;
 *                      'opposite' if worse with p ≥ α; 'contradicted' if worse with p < α.
 *   claim 'not worse': "equal or better", a non-inferiority claim. Not being significantly worse is
 *                      not evidence of being as good (a small sample fails to find any loss), so it is
 *                      confirmed only when the 95% interval rules out a loss larger than the margin
 *                      (NON_INFERIORITY_MARGIN); 'contradicted' if worse with p < α; else 'direction'
 *                      or 'opposite' by the sign of the difference.
 *
 * and the verdict combines them: every comparison confirmed → reproduced; some contradicted →
 * partly contradicted if others are confirmed, else contradicted; some confirmed → partly reproduced; all in the claimed direction but none
 * significant → direction reproduced, not significant; otherwise not reproduced. A claim some of
 * whose comparisons were not measured (claimVerdict) is incomplete, whatever the others say.
 */
import { type Summary, welchConfidenceInterval, welchTTest } from '../statistics/welch';
import { holmAdjust } from '../statistics/holm';
import { significanceLevel } from '../experiments/compare/report';

/** The level compare marks its table with: both read it against an adjusted p. */
export const ALPHA = significanceLevel;

/** The loss a "not worse" claim tolerates: one point of accuracy (a fraction, as the summaries are). */
export const NON_INFERIORITY_MARGIN = 0.01;

/** One comparison, measured: treatment against control over seeds. */
export interface Comparison {
  /** e.g. 'DropBlock vs Dropout2d, test accuracy'. */
  what: string;
  /** e.g. 'Fashion-MNIST'. */
  dataset: string;
  treatment: Summary;
  control: Summary;
  /** Welch's two-sided p of treatment vs control, unadjusted. */
  pValue: number;
  /** The 95% confidence interval (Welch) of mean(treatment) − mean(control), in their unit. */
  ci95: [number, number];
  /** What the paper says: the treatment is better, or at least not worse. */
  claim: 'better' | 'not worse';
  /** For accuracies true; for times and generalization gaps false. */
  higherIsBetter: boolean;
}

/** A comparison as a verdict reads it: with its p adjusted over the family it was tested in. */
export interface Evidence extends Comparison {
  /** pValue adjusted by Holm–Bonferroni over the family (holmFamily). */
  pAdjusted: number;
}

export type Outcome = 'confirmed' | 'direction' | 'opposite' | 'contradicted';

export type VerdictKind =
  | 'reproduced'
  | 'partly reproduced'
  | 'direction reproduced, not significant'
  | 'not reproduced'
  | 'partly contradicted'
  | 'contradicted'
  | 'incomplete'
  | 'not run';

export interface Verdict {
  kind: VerdictKind;
  /** The kind with the counts behind it, e.g. "reproduced (Holm-adjusted p < 0.05 in all 2 comparisons, on Fashion-MNIST and MNIST)". */
  text: string;
}

/** "treatment vs control", with Welch's p and interval computed from the seeds' values. */
export function compareSummaries(
  what: string,
  dataset: string,
  treatment: Summary,
  control: Summary,
  options: { claim?: Comparison['claim']; higherIsBetter?: boolean } = {},
): Comparison {
  return {
    what,
    dataset,
    treatment,
    control,
    pValue: welchTTest(treatment.values, control.values).pValue,
    ci95: welchConfidenceInterval(treatment.values, control.values),
    claim: options.claim ?? 'better',
    higherIsBetter: options.higherIsBetter ?? true,
  };
}

/** The comparisons as one family: each with its p adjusted by Holm–Bonferroni over all of them. */
export function holmFamily(comparisons: readonly Comparison[]): Evidence[] {
  const adjusted = holmAdjust(comparisons.map((c) => c.pValue));
  return comparisons.map((c, i) => ({ ...c, pAdjusted: adjusted[i] }));
}

export function outcome(e: Evidence, alpha = ALPHA): Outcome {
  const difference = e.treatment.mean - e.control.mean;
  const better = e.higherIsBetter ? difference > 0 : difference < 0;
  const worse = e.higherIsBetter ? difference < 0 : difference > 0;
  const significant = e.pAdjusted < alpha;
  if (worse && significant) return 'contradicted';
  if (e.claim === 'not worse') {
    // The interval's worse end, as a gain (negative: a loss).
    const worstGain = e.higherIsBetter ? e.ci95[0] : -e.ci95[1];
    if (worstGain > -NON_INFERIORITY_MARGIN) return 'confirmed';
    return better ? 'direction' : 'opposite';
  }
  if (better) return significant ? 'confirmed' : 'direction';
  return 'opposite';
}

const listing = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

export function verdict(evidence: readonly Evidence[], alpha = ALPHA): Verdict {
  if (evidence.length === 0) return { kind: 'not run', text: 'not run (no measurements: run `npm run results`)' };
  const outcomes = evidence.map((e) => outcome(e, alpha));
  const count = (o: Outcome): number => outcomes.filter((x) => x === o).length;
  const n = evidence.length;
  const datasets = listing([...new Set(evidence.map((e) => e.dataset))]);
  const where = (o: Outcome): string => listing(evidence.filter((_, i) => outcomes[i] === o).map((e) => `${e.what} on ${e.dataset}`));
  const confirmed = count('confirmed');
  if (count('contradicted') > 0 && confirmed > 0)
    return {
      kind: 'partly contradicted',
      text: `partly contradicted (confirmed: ${where('confirmed')}; the opposite with Holm-adjusted p < ${alpha}: ${where('contradicted')})`,
    };
  if (count('contradicted') > 0)
    return { kind: 'contradicted', text: `contradicted (the opposite with Holm-adjusted p < ${alpha}: ${where('contradicted')})` };
  if (confirmed === n)
    return {
      kind: 'reproduced',
      text: `reproduced (Holm-adjusted p < ${alpha} in ${n === 1 ? 'the' : `all ${n}`} comparison${n === 1 ? '' : 's'}, on ${datasets})`,
    };
  if (confirmed > 0)
    return {
      kind: 'partly reproduced',
      text: `partly reproduced (${confirmed} of ${n} comparisons with Holm-adjusted p < ${alpha}; not: ${listing([where('direction'), where('opposite')].filter(Boolean))})`,
    };
  if (count('direction') === n)
    return {
      kind: 'direction reproduced, not significant',
      text: `direction reproduced, not significant (Holm-adjusted p ≥ ${alpha} in all ${n}, on ${datasets})`,
    };
  return {
    kind: 'not reproduced',
    text: `not reproduced (the claimed direction in ${count('direction')} of ${n} comparisons, none with Holm-adjusted p < ${alpha})`,
  };
}

/**
 * The verdict on a claim of which `unmeasured` comparisons have no measurements (an experiment not
 * run, or run before it had the rows they read): incomplete, with what the measured ones say — a
 * claim is not "reproduced" on the half of its comparisons that happened to run.
 */
export function claimVerdict(evidence: readonly Evidence[], unmeasured: number, alpha = ALPHA): Verdict {
  const measured = verdict(evidence, alpha);
  if (unmeasured === 0) return measured;
  if (evidence.length === 0)
    return {
      kind: 'not run',
      text: `not run (${unmeasured === 1 ? 'its one comparison not' : `none of its ${unmeasured} comparisons`} measured in this run)`,
    };
  const total = evidence.length + unmeasured;
  return {
    kind: 'incomplete',
    text: `incomplete (${unmeasured} of ${total} comparisons not measured in this run; the ${evidence.length === 1 ? 'one' : evidence.length} measured: ${measured.text})`,
  };
}
