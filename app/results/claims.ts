/**
 * The papers' claims, each turned into comparisons over seeds (verdict.ts) from the experiments'
 * JSON: compare's overfitting preset on each data set, `stochastic-depth` and `variance-shift`.
 * What is generated here: the measured numbers, each difference with its 95% interval, the
 * p-values raw and Holm-adjusted over every claim's comparisons as one family, the verdict from the adjusted ones,
 * what could not be measured, context comparisons outside the verdict, and — only when a claim is
 * not reproduced — the likely reason, written in advance for each claim: about the setup and how
 * it differs from the paper's, never about numbers a run has yet to produce.
 */
import type { Summary } from '../statistics/welch';
import type { StochasticDepthReport } from '../experiments/stochastic-depth/report';
import type { VarianceShiftReport } from '../experiments/variance-shift/report';
import type { CompareReport } from '../experiments/compare/report';
import { techniques } from '../experiments/compare/techniques';
import { signedPoints } from './compare-page';
import { formatP, percent as pct } from './report-page';
import { type Comparison, type Evidence, type Verdict, claimVerdict, compareSummaries, holmFamily } from './verdict';
import type { ExperimentKind } from './experiments';

export interface ClaimInputs {
  /** compare --json per data set name ('Fashion-MNIST', 'MNIST'). */
  compare: Record<string, CompareReport>;
  stochasticDepth?: { dataset: string; report: StochasticDepthReport };
  varianceShift?: { dataset: string; report: VarianceShiftReport };
}

/** The claims, by id: `npm run results -- --only <id>` runs the experiment each reads. */
export const claimIds = ['dropout', 'dropout2d', 'dropblock', 'cutout', 'stochastic-depth', 'variance-shift'] as const;
export type ClaimId = (typeof claimIds)[number];

/** The kind of experiment each claim reads its numbers from (compare: on every data set). */
export const claimExperiment: Readonly<Record<ClaimId, ExperimentKind>> = {
  dropout: 'compare',
  dropout2d: 'compare',
  dropblock: 'compare',
  cutout: 'compare',
  'stochastic-depth': 'stochastic-depth',
  'variance-shift': 'variance-shift',
};

export interface ClaimResult {
  id: ClaimId;
  claim: string;
  source: string;
  /** The claim's comparisons, adjusted with every other claim's as one family. */
  evidence: Evidence[];
  /** The claim's comparisons that have no measurements in this run, each saying what is missing. */
  unmeasured: string[];
  /** Comparisons shown beside the claim's but outside its verdict and the family (e.g. between placements), with why. */
  context: { label: string; comparisons: Comparison[] };
  /** Extra measured facts that are not significance tests (e.g. the time saving in %). */
  notes: string[];
  verdict: Verdict;
  /** Shown when the verdict is neither 'reproduced' nor for want of measurements. */
  likelyReason: string;
}

/** A claim's comparisons: those measured, and those that could not be (what is missing). */
interface Measured {
  comparisons: Comparison[];
  unmeasured: string[];
}

const measured = (parts: readonly Measured[]): Measured => ({
  comparisons: parts.flatMap((p) => p.comparisons),
  unmeasured: parts.flatMap((p) => p.unmeasured),
});

/** The comparison "treatment beats control" on every data set of compare, or why it is not measured there. */
function rowsEvidence(
  inputs: ClaimInputs,
  treatment: string,
  control: string,
  what: string,
  measure: 'test accuracy' | 'generalization gap' = 'test accuracy',
): Measured {
  const title = measure === 'test accuracy' ? `${what}, test accuracy` : `${what}, train − test gap`;
  const datasets = Object.entries(inputs.compare);
  if (datasets.length === 0) return { comparisons: [], unmeasured: [`${title}: not measured in this run (no compare results)`] };
  const result: Measured = { comparisons: [], unmeasured: [] };
  for (const [dataset, json] of datasets) {
    const [t, c] = [treatment, control].map((name) => json.rows.find((r) => r.technique === name));
    if (t === undefined || c === undefined) {
      const absent = [t === undefined ? treatment : '', c === undefined ? control : ''].filter(Boolean).join(' and ');
      result.unmeasured.push(`${dataset}, ${title}: not measured in this run (no ${absent} row)`);
    } else
      result.comparisons.push(
        measure === 'test accuracy'
          ? compareSummaries(title, dataset, t.testAcc, c.testAcc)
          : compareSummaries(title, dataset, t.gap, c.gap, { higherIsBetter: false }),
      );
  }
  return result;
}

/** "Fashion-MNIST, a vs b, test accuracy: 84.10 ± 0.30% vs 83.20 ± 0.50% (Δ +0.90 [95% CI +0.21, +1.59], p = 0.012, Holm 0.024)"; without an adjusted p, the raw one alone. */
export function describeEvidence(e: Comparison & { pAdjusted?: number }): string {
  const isGap = !e.higherIsBetter && e.what.includes('gap');
  const unit = isGap || e.what.includes('accuracy') ? '%' : ' s';
  const show = (s: Summary): string => (unit === '%' ? `${pct(s.mean)} ± ${pct(s.std)}%` : `${s.mean.toFixed(2)} ± ${s.std.toFixed(2)} s`);
  const signed = (d: number): string => (unit === '%' ? signedPoints(d) : `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(2)}`);
  const delta = `${signed(e.treatment.mean - e.control.mean)} [95% CI ${signed(e.ci95[0])}, ${signed(e.ci95[1])}]${unit === '%' ? '' : ' s'}`;
  const p = `p = ${formatP(e.pValue)}${e.pAdjusted === undefined ? '' : `, Holm ${formatP(e.pAdjusted)}`}`;
  return `${e.dataset}, ${e.what}: ${show(e.treatment)} vs ${show(e.control)} (Δ ${delta}, ${p})`;
}

/** A claim before its p-values are adjusted. */
interface ClaimDraft {
  id: ClaimId;
  claim: string;
  source: string;
  measured: Measured;
  likelyReason: string;
  notes: string[];
  context: ClaimResult['context'];
}

/** The block size the dropblock row ran with (its settings, `--dropblock KEEP:SIZE …`), else the one compare uses today. */
function dropBlockSize(inputs: ClaimInputs): string {
  const settings = Object.values(inputs.compare).flatMap((c) => c.rows.filter((r) => r.technique === 'dropblock').map((r) => r.settings));
  return settings[0]?.match(/--dropblock [\d.]+:(\d+)/)?.[1] ?? String(techniques.dropblock.flags.dropblock).split(':')[1];
}

const noContext: ClaimResult['context'] = { label: '', comparisons: [] };

/** Why the classifier-dropout rows are shown beside the same-place ones and kept out of the verdict. */
const placementLabel =
  "Where each is normally used (elementwise Dropout p = 0.5 in the classifier, the technique after each conv stage): placement and drop rate differ, so these compare placements, not the ways of dropping the paper compares — shown for context, outside the verdict and Holm's family (raw p)";

function claim(
  id: ClaimId,
  text: string,
  source: string,
  parts: Measured,
  likelyReason: string,
  extra: Partial<ClaimDraft> = {},
): ClaimDraft {
  return { id, claim: text, source, measured: parts, likelyReason, notes: [], context: noContext, ...extra };
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
      measured([
        rowsEvidence(inputs, 'dropout', 'none', 'dropout vs none'),
        rowsEvidence(inputs, 'dropout', 'none', 'dropout vs none', 'generalization gap'),
      ]),
      "dropout (p = 0.5 in the classifier) slows fitting as well as regularizing, and the overfit preset trains 256 steps on 250 images: where its train accuracy stays below the plain model's (the compare pages' train column), what it gains on the gap it can give back on fitting.",
    ),
    claim(
      'dropout2d',
      'On convolutional feature maps, Dropout2d (whole channels) beats elementwise Dropout at the same place and drop rate.',
      'Tompson et al. 2015',
      rowsEvidence(inputs, 'dropout2d', 'dropout-conv', 'dropout2d vs dropout-conv (both p = 0.1 after each conv stage)'),
      "Tompson et al.'s argument is that neighbouring activations of a feature map are strongly correlated, so elementwise dropout removes little that the neighbours do not carry; their maps come from several conv layers over large images of people. The small CNN has one conv per stage, 16 and 32 channels on 28×28 and 14×14 maps, trained 256 steps on 250 images: with few channels, Dropout2d at p = 0.1 removes whole features (1.6 of 16 on average) that may have no copy, and with little spatial redundancy elementwise dropout may not be the weaker regularizer the argument assumes.",
      {
        context: {
          label: placementLabel,
          comparisons: rowsEvidence(inputs, 'dropout2d', 'dropout', 'dropout2d (conv stages, p = 0.1) vs dropout (classifier, p = 0.5)')
            .comparisons,
        },
      },
    ),
    claim(
      'dropblock',
      'At the same place and drop rate, DropBlock beats elementwise Dropout and Dropout2d, and its linear keep-prob schedule helps.',
      'Ghiasi et al. 2018',
      measured([
        rowsEvidence(inputs, 'dropblock', 'dropout-conv', 'dropblock vs dropout-conv (after each conv stage, 1 − keep = p = 0.1)'),
        rowsEvidence(inputs, 'dropblock', 'dropout2d', 'dropblock vs dropout2d (after each conv stage, 1 − keep = p = 0.1)'),
        rowsEvidence(inputs, 'dropblock', 'dropblock-no-schedule', 'scheduled vs fixed keep-prob'),
      ]),
      `the paper's gains are for ResNet-50 on ImageNet over 270 epochs, 7×7 blocks on 14×14 and 7×7 maps of hundreds of channels, where a block removes correlated evidence an object has elsewhere. Here the blocks are ${dropBlockSize(inputs)}×${dropBlockSize(inputs)} on 28×28 and 14×14 maps of 16 and 32 channels of a centred digit or garment, over 256 steps: a block can cover a large share of the object, and the schedule reaches keep_prob 0.9 only at the last step, so the scheduled and fixed rows differ in how much they drop as well as in when.`,
      {
        context: {
          label: placementLabel,
          comparisons: rowsEvidence(
            inputs,
            'dropblock',
            'dropout',
            'dropblock (conv stages, 1 − keep = 0.1) vs dropout (classifier, p = 0.5)',
          ).comparisons,
        },
      },
    ),
    claim(
      'cutout',
      'Cutout improves test accuracy.',
      'DeVries & Taylor 2017',
      rowsEvidence(inputs, 'cutout', 'none', 'cutout vs none'),
      'a 14-pixel square covers a quarter of a 28×28 image, and a centred digit or garment can lose the strokes that tell its class apart, where a CIFAR object keeps more context around a 16-pixel square of a 32×32 image.',
    ),
    stochasticDepthClaim(inputs.stochasticDepth),
    varianceShiftClaim(inputs.varianceShift),
  ];
  const family = holmFamily(drafts.flatMap((d) => d.measured.comparisons));
  let start = 0;
  return drafts.map(({ measured: { comparisons, unmeasured }, ...draft }) => {
    const evidence = family.slice(start, start + comparisons.length);
    start += comparisons.length;
    return { ...draft, evidence, unmeasured, verdict: claimVerdict(evidence, unmeasured.length) };
  });
}

function stochasticDepthClaim(input: ClaimInputs['stochasticDepth']): ClaimDraft {
  const text = 'Stochastic depth trains a deep ResNet ~25% faster at equal or better test accuracy.';
  const source = 'Huang et al. 2016';
  if (input === undefined)
    return claim(
      'stochastic-depth',
      text,
      source,
      {
        comparisons: [],
        unmeasured: ['seconds per epoch and test accuracy, SD vs none: not measured in this run (no stochastic-depth results)'],
      },
      '',
    );
  const { dataset, report } = input;
  const { config } = report;
  const layers = 6 * config.blocks + 2;
  const reason =
    `the paper's accuracy gains are for ResNet-110 (widths 16/32/64) trained 500 epochs on 50,000 CIFAR-10 images, a network that overfits heavily without it; this run is ResNet-${layers} with widths ${config.widths.join('/')} on ${config.trainExamples} images for ${config.epochs} epochs (the budget's reductions). ` +
    'A thinner network has less capacity to lose to dropped blocks, and fewer steps leave the noisier training less time to converge (compare the two train accuracies on the stochastic-depth page); the time saved is bounded by the residual branches’ share of a step, as the stem, the projections and the classifier always run.';
  const evidence = [
    compareSummaries('seconds per epoch, SD vs none', dataset, report.stochasticDepth.secondsPerEpoch, report.baseline.secondsPerEpoch, {
      higherIsBetter: false,
    }),
    compareSummaries('SD vs none, test accuracy', dataset, report.stochasticDepth.testAcc, report.baseline.testAcc, { claim: 'not worse' }),
  ];
  const notes = [
    `time per epoch ${pct(report.timeSaving, 1)}% lower (claim: ~25%); residual branches skipped ${pct(report.stochasticDepth.skippedBranches, 1)}% (expected ${pct(report.expectedSkipped, 1)}%), ResNet-${layers}`,
  ];
  return claim('stochastic-depth', text, source, { comparisons: evidence, unmeasured: [] }, reason, { notes });
}

function varianceShiftClaim(input: ClaimInputs['varianceShift']): ClaimDraft {
  const text =
    'Dropout before BatchNorm costs test accuracy, against no noise and against the same Dropout after the last BN; Uout before BN costs less than Dropout before BN at equal noise variance.';
  const source = 'Li et al. 2019';
  const reason =
    "the paper's costs are for deep CNNs with many noise → BN pairs, whose shifts compound; here one noise layer sits before one BN in a two-hidden-layer MLP trained for a few epochs, and a layer's correlated units raise the ratio towards 1 (the ratio column of the variance-shift page), so a cost may be within the spread between seeds.";
  if (input === undefined)
    return claim(
      'variance-shift',
      text,
      source,
      { comparisons: [], unmeasured: ['every comparison: not measured in this run (no variance-shift results)'] },
      reason,
    );
  const { dataset, report } = input;
  const rows = report.placements;
  const none = rows.find((r) => r.kind === 'none');
  const before = rows.filter((r) => r.kind === 'dropout' && r.position === 'before BN');
  const comparisons: Comparison[] = [];
  const unmeasured: string[] = [];
  for (const b of before) {
    if (none !== undefined) comparisons.push(compareSummaries(`no noise vs ${b.name}, test accuracy`, dataset, none.testAcc, b.testAcc));
    const after = rows.find((r) => r.kind === 'dropout' && r.position === 'after the last BN' && r.strength === b.strength);
    if (after !== undefined)
      comparisons.push(compareSummaries(`${after.name} vs before BN, test accuracy`, dataset, after.testAcc, b.testAcc));
  }
  if (none === undefined)
    unmeasured.push(
      `${dataset}, no noise vs dropout before BN: not measured in this run (no model without noise: run by an earlier version)`,
    );
  const matched = rows.filter((r) => r.kind === 'uout' && before.some((b) => b.name === r.comparedWith));
  for (const u of matched) {
    const b = before.find((x) => x.name === u.comparedWith)!;
    comparisons.push(
      compareSummaries(
        `${u.name} vs ${b.name} (equal noise variance ${u.noiseVariance.toFixed(3)}), test accuracy`,
        dataset,
        u.testAcc,
        b.testAcc,
      ),
    );
  }
  if (matched.length === 0)
    unmeasured.push(
      `${dataset}, Uout vs dropout before BN at equal noise variance: not measured in this run (no Uout row with β²/3 = p/(1−p) of a dropout row)`,
    );
  const notes = [`Var_test/Var_train at the BN: ${rows.map((r) => `${r.measured.toFixed(3)} (${r.name})`).join(', ')}`];
  return claim('variance-shift', text, source, { comparisons, unmeasured }, reason, { notes });
}

/** After a verdict: the likely reason when the claim is not reproduced; the command that measures it when it lacks measurements. */
function verdictTail(c: ClaimResult): string {
  if (c.verdict.kind === 'not run' || c.verdict.kind === 'incomplete') return ` \`npm run results -- --only ${c.id}\` measures it.`;
  return c.verdict.kind === 'reproduced' ? '' : ` Likely reason: ${c.likelyReason}`;
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
    ...c.evidence.map((e) => `- ${describeEvidence(e)}`),
    ...c.unmeasured.map((u) => `- ${u}`),
    ...c.notes.map((n) => `- ${n}`),
    ...(c.context.comparisons.length === 0
      ? []
      : ['', `${c.context.label}:`, '', ...c.context.comparisons.map((e) => `- ${describeEvidence(e)}`)]),
    '',
    `**Verdict: ${c.verdict.text}.**${verdictTail(c)}`,
    '',
  ]);
  return [
    "# The papers' claims, measured",
    '',
    'Each claim is a set of comparisons over seeds (Welch\'s t-test, with the 95% confidence interval of each difference), and all the comparisons on this page are one family: their p-values are adjusted together by Holm–Bonferroni ("Holm" below, beside the raw p). A comparison is *confirmed* when it goes the claimed way with adjusted p < 0.05; the verdict is "reproduced" when all are, "partly reproduced" when some are, "direction reproduced, not significant" when all go the claimed way without adjusted p < 0.05, "contradicted" when one goes the other way with adjusted p < 0.05 ("partly contradicted" if others are confirmed). "Equal or better" accuracy (a non-inferiority claim) is confirmed only when the 95% confidence interval of the difference rules out a loss of more than 1 point; not being significantly worse is not enough. A claim some of whose comparisons have no measurements in the stored results is "incomplete" (and "not run" when none has): it says which are missing and what the measured ones show. Comparisons listed under a claim as context (where each technique is normally used) are outside its verdict and the family, with their raw p only.',
    '',
    provenanceLines,
    '',
    ...summary,
    '',
    ...sections,
  ].join('\n');
}
