/**
 * The results index's section on the number of seeds: from each data set's stored compare runs, the
 * standard deviation of accuracy (test, or validation for a probe) over seeds, of the plain model
 * and pooled over the rows tested against it; how small a difference 5 and 8 seeds detect at 80%
 * power, unadjusted and at Holm's strictest step; and how many seeds the stated target needs.
 * Computed from the stored values, so it stays true when the data changes.
 */
import { minimumDetectableDifference, seedsNeeded } from '../statistics/power';
import { sampleStd } from '../statistics/welch';
import type { CompareReport } from '../experiments/compare/report';
import { familySize, scoredSplit } from './compare-page';
import { ALPHA } from './verdict';
import { percent as pct } from './report-page';

/** The target the seeds are chosen for: this difference of accuracy (a fraction), detected with this power. */
export const POWER_TARGET = { difference: 0.015, power: 0.8 } as const;

/** The seed counts whose detectable difference the table gives. */
export const SEED_COUNTS = [5, 8] as const;

const BASELINE = 'none';

/** "1 point", "0.5 points": a difference of accuracy (a fraction) in points. */
const points = (fraction: number): string => {
  const value = Number((100 * fraction).toFixed(2));
  return `${value} point${value === 1 ? '' : 's'}`;
};

interface SigmaEstimate {
  /** Where σ comes from, as the table's cell and as the target's sentence name it. */
  source: string;
  name: string;
  sigma: number;
}

/** σ of the plain model's accuracy over its seeds, and σ pooled (Σ(nᵢ−1)sᵢ² / Σ(nᵢ−1)) over it and the rows tested against it. */
function sigmaEstimates(report: CompareReport): SigmaEstimate[] {
  const family = report.rows.filter((r) => (r.technique === BASELINE || r.baseline === BASELINE) && r.testAcc.values.length > 1);
  const plain = family.find((r) => r.technique === BASELINE);
  if (plain === undefined) return [];
  const degrees = family.reduce((a, r) => a + r.testAcc.values.length - 1, 0);
  const pooled = Math.sqrt(family.reduce((a, r) => a + (r.testAcc.values.length - 1) * sampleStd(r.testAcc.values) ** 2, 0) / degrees);
  const estimates = [
    { source: `\`${BASELINE}\``, name: `\`${BASELINE}\`'s σ`, sigma: sampleStd(plain.testAcc.values) },
    { source: `pooled over ${family.length} rows`, name: 'the pooled σ', sigma: pooled },
  ];
  // Seeds that all agree leave no spread to plan with.
  return estimates.filter((e) => e.sigma > 0);
}

/** The generated section: the table and what it says of the target. */
export function powerSection(compare: Record<string, CompareReport>): string {
  const { difference, power } = POWER_TARGET;
  // A table without comparisons (one seed, or no baseline) has no Holm step to be strict at.
  const levels = (m: number): { alpha: number; comparisons: number }[] => [
    { alpha: ALPHA, comparisons: 1 },
    { alpha: ALPHA, comparisons: Math.max(1, m) },
  ];
  const rows: string[] = [];
  const verdicts: string[] = [];
  for (const [dataset, report] of Object.entries(compare)) {
    const m = familySize(report);
    const estimates = sigmaEstimates(report);
    const needed: Needed[] = [];
    for (const { source, name, sigma } of estimates) {
      const detectable = SEED_COUNTS.flatMap((n) =>
        levels(m).map((level) => pct(minimumDetectableDifference({ n, sigma, power, ...level }))),
      );
      const seeds = levels(m).map((level) => seedsNeeded({ difference, sigma, power, ...level }));
      needed.push({ name, seeds: seeds[1] });
      rows.push(`| ${dataset} (m = ${m}) | ${source} | ${pct(sigma)} | ${detectable.join(' | ')} | ${seeds.join(' | ')} |`);
    }
    if (estimates.length > 0) verdicts.push(targetVerdict(dataset, needed, report.config.seeds));
  }
  if (rows.length === 0) return '';
  const perLevel = (label: string) => [`${label}, α = ${ALPHA}`, `${label}, α/m`];
  const header = [
    'data set',
    'σ from',
    'σ (points)',
    ...SEED_COUNTS.flatMap((n) => perLevel(`δ with ${n} seeds`)),
    ...perLevel(`seeds for ${points(difference)}`),
  ];
  // The verdict is for the seeds the stored runs have.
  const seeds = Math.max(...Object.values(compare).map((c) => c.config.seeds));
  const accuracy = `${[...new Set(Object.values(compare).map((c) => scoredSplit(c.config)))].join(' / ')} accuracy`;
  return [
    '## How small a difference the seeds can detect',
    '',
    `δ: the smallest true difference of mean ${accuracy}, in points, that the two-sided t-test detects with ${pct(power, 0)}% power with that many seeds per technique, ` +
      `at α = ${ALPHA} unadjusted and at α/m, Holm's strictest step over the data set's m comparisons; σ: the std of ${accuracy} over the stored seeds. ` +
      `Seeds: the fewest per technique that detect ${points(difference)} at that power. Student's two-sample test, exact by the noncentral t (below: the method and Welch's test).`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---|').join('')}`,
    ...rows,
    '',
    `Target: detect a difference of ${points(difference)} at ${pct(power, 0)}% power at Holm's strictest step. With the ${seeds} seeds per technique of these runs it is ${verdicts.join(', and ')}.`,
  ].join('\n');
}

/** The seeds a data set needs for the target under one estimate of σ. */
interface Needed {
  name: string;
  seeds: number;
}

/** Whether the runs' seed count meets the target on a data set, under each estimate of σ. */
function targetVerdict(dataset: string, needed: readonly Needed[], seeds: number): string {
  const list = (items: readonly Needed[], first: string) =>
    items.map((e, i) => `${e.seeds}${i === 0 ? first : ''} at ${e.name}`).join(', ');
  const met = needed.filter((e) => e.seeds <= seeds);
  const notMet = needed.filter((e) => e.seeds > seeds);
  if (notMet.length === 0) return `met on ${dataset} (${list(met, ' needed')})`;
  if (met.length === 0) return `not met on ${dataset} (${list(notMet, ' needed')})`;
  const at = (items: readonly Needed[]) => items.map((e) => `${e.name} (${e.seeds} needed)`).join(', ');
  return `met on ${dataset} at ${at(met)} but not at ${at(notMet)}`;
}
