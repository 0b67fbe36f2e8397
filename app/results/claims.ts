/**
 * The papers' claims, each turned into comparisons over seeds (verdict.ts) from the experiments'
 * JSON: compare's overfitting preset on each data set, `stochastic-depth` and `variance-shift`.
 * What is generated here: the measured numbers, each difference with its 95% interval, the
 * p-values raw and Holm-adjusted over every claim's comparisons as one family, the verdict from the adjusted ones,
 * and — only when a claim is not reproduced — the likely reason, one line written in advance for
 * each claim.
 */
import type { Summary } from '../statistics/welch';
import type { StochasticDepthReport } from '../experiments/stochastic-depth/report';
import type { VarianceShiftReport } from '../experiments/variance-shift/report';
import type { CompareReport, CompareRow } from '../experiments/compare/report';
import { signedPoints } from './compare-page';
import { formatP, percent as pct } from './report-page';
import { type Comparison, type Evidence, type Verdict, compareSummaries, holmFamily, verdict } from './verdict';

export interface ClaimInputs {
  /** compare --json per data set name ('Fashion-MNIST', 'MNIST'). */
  compare: Record<string, CompareReport>;
  stochasticDepth?: { dataset: string; report: StochasticDepthReport };
  varianceShift?: { dataset: string; report: VarianceShiftReport };
}

export interface ClaimResult {
  id: string;
  claim: string;
  source: string;
  /** The claim's comparisons, adjusted with every other claim's as one family. */
  evidence: Evidence[];
  /** Extra measured facts that are not significance tests (e.g. the time saving in %). */
  notes: string[];
  verdict: Verdict;
  /** Shown when the verdict is not 'reproduced'. */
  likelyReason: string;
}

/** The comparison "a beats b" on every data set where compare has both rows. */
function rowsEvidence(
  inputs: ClaimInputs,
  treatment: (rows: CompareRow[]) => CompareRow | undefined,
  control: (rows: CompareRow[]) => CompareRow | undefined,
  what: string,
  measure: 'test accuracy' | 'generalization gap' = 'test accuracy',
): Comparison[] {
  return Object.entries(inputs.compare).flatMap(([dataset, json]) => {
    const [t, c] = [treatment(json.rows), control(json.rows)];
    if (t === undefined || c === undefined) return [];
    return measure === 'test accuracy'
      ? [compareSummaries(`${what}, test accuracy`, dataset, t.testAcc, c.testAcc)]
      : [compareSummaries(`${what}, train − test gap`, dataset, t.gap, c.gap, { higherIsBetter: false })];
  });
}

const named =
  (technique: string) =>
  (rows: CompareRow[]): CompareRow | undefined =>
    rows.find((r) => r.technique === technique);

/** "Fashion-MNIST, a vs b, test accuracy: 84.10 ± 0.30% vs 83.20 ± 0.50% (Δ +0.90 [95% CI +0.21, +1.59], p = 0.012, Holm 0.024)" */
export function describeEvidence(e: Evidence): string {
  const isGap = !e.higherIsBetter && e.what.includes('gap');
  const unit = isGap || e.what.includes('accuracy') ? '%' : ' s';
  const show = (s: Summary): string => (unit === '%' ? `${pct(s.mean)} ± ${pct(s.std)}%` : `${s.mean.toFixed(2)} ± ${s.std.toFixed(2)} s`);
  const signed = (d: number): string => (unit === '%' ? signedPoints(d) : `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(2)}`);
  const delta = `${signed(e.treatment.mean - e.control.mean)} [95% CI ${signed(e.ci95[0])}, ${signed(e.ci95[1])}]${unit === '%' ? '' : ' s'}`;
  return `${e.dataset}, ${e.what}: ${show(e.treatment)} vs ${show(e.control)} (Δ ${delta}, p = ${formatP(e.pValue)}, Holm ${formatP(e.pAdjusted)})`;
}

/** A claim before its p-values are adjusted. */
interface ClaimDraft {
  id: string;
  claim: string;
  source: string;
  comparisons: Comparison[];
  likelyReason: string;
  notes: string[];
}

function claim(
  id: string,
  text: string,
  source: string,
  comparisons: Comparison[],
  likelyReason: string,
  notes: string[] = [],
): ClaimDraft {
  return { id, claim: text, source, comparisons, likelyReason, notes };
}

/**
 * Every claim with its verdict. The page tests all the claims' comparisons at once, so they are
 * one family: each p is adjusted by Holm–Bonferroni over all of them (a claim's own comparisons
 * alone would let a page of many claims find one by chance).
 */
export function evaluateClaims(inputs: ClaimInputs): ClaimResult[] {
  const drafts: ClaimDraft[] = [
    claim(
      'dropout',
      'Dropout reduces overfitting on small data: a smaller train − test gap and a higher test accuracy.',
      'Srivastava et al. 2014',
      [
        ...rowsEvidence(inputs, named('dropout'), named('none'), 'dropout vs none'),
        ...rowsEvidence(inputs, named('dropout'), named('none'), 'dropout vs none', 'generalization gap'),
      ],
      'dropout slows fitting as much as it regularizes: in 256 steps it only just fits its 250 images (train accuracy below 100%), and what it gains on the gap it can give back on fitting; results/sweep.md shows it level with the plain model on Fashion-MNIST once it has fitted (500 images × 48 epochs).',
    ),
    claim(
      'dropout2d',
      'On convolutional feature maps, Dropout2d (whole channels) beats elementwise Dropout.',
      'Tompson et al. 2015',
      rowsEvidence(inputs, named('dropout2d'), named('dropout'), 'dropout2d vs dropout'),
      "this compares the techniques where the small CNN uses them: Dropout (p = 0.5) in the classifier, Dropout2d (p = 0.1) after each conv stage — not both on the same conv maps, as Tompson et al. did. Dropping 10% of 16 or 32 channels removes whole features from a network with few to spare, while the classifier's dropout is the better-placed regularizer here.",
    ),
    claim(
      'dropblock',
      'DropBlock beats Dropout and Dropout2d, and its linear keep-prob schedule helps.',
      'Ghiasi et al. 2018',
      [
        ...rowsEvidence(inputs, named('dropblock'), named('dropout2d'), 'dropblock vs dropout2d'),
        ...rowsEvidence(inputs, named('dropblock'), named('dropout'), 'dropblock vs dropout'),
        ...rowsEvidence(inputs, named('dropblock'), named('dropblock-no-schedule'), 'scheduled vs fixed keep-prob'),
      ],
      "as for Dropout2d, the comparison is between placements (DropBlock on the conv maps, Dropout in the classifier); and the paper's gains are for ResNet-50 on ImageNet over 270 epochs, where 7×7 blocks on 14×14 maps remove correlated evidence. On 28×28 digits and garments a 7×7 block removes a large part of the object from 16 or 32 channels, and 256 steps leave the schedule little room (it goes the claimed way on both data sets, without p < 0.05).",
    ),
    claim(
      'cutout',
      'Cutout improves test accuracy.',
      'DeVries & Taylor 2017',
      rowsEvidence(inputs, named('cutout'), named('none'), 'cutout vs none'),
      'a centred digit or garment can lose class-defining strokes under a 14-pixel square, where a CIFAR object keeps enough context.',
    ),
    stochasticDepthClaim(inputs.stochasticDepth),
    varianceShiftClaim(inputs.varianceShift),
  ];
  const family = holmFamily(drafts.flatMap((d) => d.comparisons));
  let start = 0;
  return drafts.map(({ comparisons, ...draft }) => {
    const evidence = family.slice(start, start + comparisons.length);
    start += comparisons.length;
    return { ...draft, evidence, verdict: verdict(evidence) };
  });
}

function stochasticDepthClaim(input: ClaimInputs['stochasticDepth']): ClaimDraft {
  const text = 'Stochastic depth trains a deep ResNet ~25% faster at equal or better test accuracy.';
  const reason =
    "a ResNet-20 of widths 8/16/32 has no capacity to spare: with a quarter of its residual branches skipped it still underfits after 512 steps (compare the two train accuracies); the paper's gains are for 110-layer networks trained for hundreds of epochs, where the thinned network keeps enough capacity to fit, and the time saved is bounded by the residual branches' share of a step.";
  if (input === undefined) return claim('stochastic-depth', text, 'Huang et al. 2016', [], reason);
  const { dataset, report } = input;
  const evidence = [
    compareSummaries('seconds per epoch, SD vs none', dataset, report.stochasticDepth.secondsPerEpoch, report.baseline.secondsPerEpoch, {
      higherIsBetter: false,
    }),
    compareSummaries('SD vs none, test accuracy', dataset, report.stochasticDepth.testAcc, report.baseline.testAcc, { claim: 'not worse' }),
  ];
  const notes = [
    `time per epoch ${pct(report.timeSaving, 1)}% lower (claim: ~25%); residual branches skipped ${pct(report.stochasticDepth.skippedBranches, 1)}% (expected ${pct(report.expectedSkipped, 1)}%), ResNet-${6 * report.config.blocks + 2}`,
  ];
  return claim('stochastic-depth', text, 'Huang et al. 2016', evidence, reason, notes);
}

function varianceShiftClaim(input: ClaimInputs['varianceShift']): ClaimDraft {
  const text = 'Dropout before BatchNorm costs test accuracy against Dropout after the last BN, and Uout before BN costs less.';
  const reason =
    "the shift mis-scales one BN's output at test; with longer training (or a wider layer, whose covariance between units dominates the test variance) the cost falls below the spread between seeds.";
  if (input === undefined) return claim('variance-shift', text, 'Li et al. 2019', [], reason);
  const { dataset, report } = input;
  const [before, after, uout] = report.placements;
  const evidence = [
    compareSummaries('dropout after the last BN vs before BN, test accuracy', dataset, after.testAcc, before.testAcc),
    compareSummaries('Uout before BN vs dropout before BN, test accuracy', dataset, uout.testAcc, before.testAcc),
  ];
  const notes = [
    `Var_test/Var_train at the BN: ${before.measured.toFixed(3)} (dropout before BN), ${uout.measured.toFixed(3)} (Uout), ${after.measured.toFixed(3)} (dropout after the last BN)`,
  ];
  return claim('variance-shift', text, 'Li et al. 2019', evidence, reason, notes);
}

/** The generated part of claims.md: a summary table, then each claim's numbers and verdict. */
export function claimsPage(claims: readonly ClaimResult[], provenanceLines: string): string {
  const summary = [
    '| claim | paper | verdict |',
    '|---|---|---|',
    ...claims.map((c) => `| [${c.claim}](#${c.id}) | ${c.source} | ${c.verdict.kind} |`),
  ];
  const sections = claims.flatMap((c) => [
    `<a id="${c.id}"></a>`,
    `## ${c.claim}`,
    '',
    `*${c.source}.*`,
    '',
    ...(c.evidence.length === 0 ? ['Not measured in this run.'] : c.evidence.map((e) => `- ${describeEvidence(e)}`)),
    ...c.notes.map((n) => `- ${n}`),
    '',
    `**Verdict: ${c.verdict.text}.**${c.verdict.kind === 'reproduced' || c.verdict.kind === 'not run' ? '' : ` Likely reason: ${c.likelyReason}`}`,
    '',
  ]);
  return [
    "# The papers' claims, measured",
    '',
    'Each claim is a set of comparisons over seeds (Welch\'s t-test, with the 95% confidence interval of each difference), and all the comparisons on this page are one family: their p-values are adjusted together by Holm–Bonferroni ("Holm" below, beside the raw p). A comparison is *confirmed* when it goes the claimed way with adjusted p < 0.05; the verdict is "reproduced" when all are, "partly reproduced" when some are, "direction reproduced, not significant" when all go the claimed way without adjusted p < 0.05, "contradicted" when one goes the other way with adjusted p < 0.05 ("partly contradicted" if others are confirmed). "Equal or better" accuracy is confirmed unless significantly worse.',
    '',
    provenanceLines,
    '',
    ...summary,
    '',
    ...sections,
  ].join('\n');
}
