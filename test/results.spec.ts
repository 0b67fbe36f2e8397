import { expect } from 'chai';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from '../app/statistics/welch';
import { type Comparison, claimVerdict, compareSummaries, holmFamily, verdict } from '../app/results/verdict';
import { claimExperiment, claimIds, claimsPage, evaluateClaims } from '../app/results/claims';
import { holmAdjust } from '../app/statistics/holm';
import { type CompareReport, type StoredCompareReport, compareRows, currentCompareReport } from '../app/experiments/compare/report';
import { headlineTable, indexPage } from '../app/results/index-page';
import { compareCaption } from '../app/results/compare-page';
import { EXPERIMENTS, type ExperimentRecord, TOTAL_BUDGET_MINUTES, finalSeedOffset } from '../app/results/experiments';
import { runResults, selectExperiments } from '../app/results/run-results';
import { type PlacementMeasures, placementResults } from '../app/experiments/variance-shift/report';
import { GENERATED_BEGIN, GENERATED_END, composePage } from '../app/results/report-page';
import { useTempDir } from './helpers/data-files';

const s = (values: number[]) => summarize(values);
const better = s([0.9, 0.91, 0.92]);
const base = s([0.8, 0.81, 0.82]);
const noisy = s([0.7, 0.95, 0.82]);

/** The verdict on comparisons taken as one family, as a claim's are. */
const verdictOn = (comparisons: Comparison[]) => verdict(holmFamily(comparisons));

describe('results: verdicts from comparisons over seeds', () => {
  it('significantly better everywhere: reproduced', () => {
    const v = verdictOn([compareSummaries('a vs b', 'MNIST', better, base), compareSummaries('a vs b', 'Fashion-MNIST', better, base)]);
    expect(v.kind).to.equal('reproduced');
    expect(v.text).to.equal('reproduced (Holm-adjusted p < 0.05 in all 2 comparisons, on MNIST and Fashion-MNIST)');
  });

  it('significantly worse: contradicted, naming where', () => {
    const v = verdictOn([compareSummaries('a vs b', 'MNIST', base, better)]);
    expect(v.kind).to.equal('contradicted');
    expect(v.text).to.contain('a vs b on MNIST');
  });

  it('better but not significant: direction reproduced, not significant', () => {
    const e = compareSummaries('a vs b', 'MNIST', s([0.83, 0.95, 0.8]), noisy);
    expect(e.pValue).to.be.above(0.05);
    expect(verdictOn([e]).kind).to.equal('direction reproduced, not significant');
  });

  it('reads the adjusted p: p = 0.024 alone is confirmed, three times in one family it is not', () => {
    const e = compareSummaries('a vs b', 'MNIST', s([0.84, 0.86, 0.85, 0.87, 0.86]), s([0.83, 0.84, 0.82, 0.85, 0.84]));
    expect(e.pValue).to.be.closeTo(0.0242, 1e-4);
    expect(verdictOn([e]).kind).to.equal('reproduced');
    const family = holmFamily([e, { ...e, dataset: 'Fashion-MNIST' }, { ...e, dataset: 'CIFAR-10' }]);
    expect(family.map((x) => x.pAdjusted)).to.deep.equal([3 * e.pValue, 3 * e.pValue, 3 * e.pValue]);
    expect(verdict(family).kind).to.equal('direction reproduced, not significant');
    expect(verdict(family).text).to.equal(
      'direction reproduced, not significant (Holm-adjusted p ≥ 0.05 in all 3, on MNIST, Fashion-MNIST and CIFAR-10)',
    );
  });

  it('worse but not significant: not reproduced; one of two confirmed: partly reproduced', () => {
    const worse = compareSummaries('a vs b', 'MNIST', noisy, s([0.83, 0.95, 0.8]));
    expect(verdictOn([worse]).kind).to.equal('not reproduced');
    expect(verdictOn([worse, compareSummaries('a vs b', 'Fashion-MNIST', better, base)]).kind).to.equal('partly reproduced');
  });

  it('lower is better for times; "not worse" holds when the interval rules out a loss beyond the margin, and fails when significantly worse', () => {
    const faster = compareSummaries('seconds', 'MNIST', s([1, 1.01, 0.99]), s([2, 2.02, 1.98]), { higherIsBetter: false });
    const equal = compareSummaries('accuracy', 'MNIST', s([0.851, 0.849, 0.85, 0.852]), s([0.85, 0.851, 0.849, 0.85]), {
      claim: 'not worse',
    });
    expect(verdictOn([faster, equal]).kind).to.equal('reproduced');
    // Not significantly worse, but the interval allows a loss of several points: not shown to be as good.
    const unclear = compareSummaries('accuracy', 'MNIST', s([0.8, 0.95, 0.82]), noisy, { claim: 'not worse' });
    expect(unclear.ci95[0]).to.be.below(-0.01);
    expect(verdictOn([faster, unclear]).kind).to.equal('partly reproduced');
    const worse = compareSummaries('accuracy', 'MNIST', base, better, { claim: 'not worse' });
    expect(verdictOn([worse]).kind).to.equal('contradicted');
    expect(verdictOn([faster, worse]).text).to.equal(
      'partly contradicted (confirmed: seconds on MNIST; the opposite with Holm-adjusted p < 0.05: accuracy on MNIST)',
    );
  });

  it('each comparison carries the 95% interval of its difference', () => {
    const e = compareSummaries('a vs b', 'MNIST', better, base);
    expect(e.ci95[0]).to.be.below(0.1).and.above(0);
    expect(e.ci95[1]).to.be.above(0.1);
    expect(e.ci95[0] + e.ci95[1]).to.be.closeTo(2 * 0.1, 1e-12);
  });

  it('no measurements: not run', () => {
    expect(verdict([]).kind).to.equal('not run');
    expect(claimVerdict([], 3)).to.deep.equal({ kind: 'not run', text: 'not run (none of its 3 comparisons measured in this run)' });
  });

  it('some comparisons not measured: incomplete, with what the measured ones say', () => {
    const measured = holmFamily([compareSummaries('a vs b', 'MNIST', better, base)]);
    expect(claimVerdict(measured, 0).kind).to.equal('reproduced');
    expect(claimVerdict(measured, 2)).to.deep.equal({
      kind: 'incomplete',
      text: 'incomplete (2 of 3 comparisons not measured in this run; the one measured: reproduced (Holm-adjusted p < 0.05 in the comparison, on MNIST))',
    });
  });
});

/** compare --json as the compare command prints it: its own rows (compareRows) from made-up runs; without dropout-conv, as before it ran. */
function compareFixture(shift: number, without: string[] = []): CompareReport {
  const technique = (name: string, test: number[], train: number[]) => ({
    technique: name,
    settings: name === 'none' ? '—' : `--${name}`,
    baseline: name === 'none' ? null : 'none',
    runs: test.map((t, i) => ({ testAccuracy: t + shift, trainAccuracy: train[i], secondsPerEpoch: [2.5, 2.5], lossCurve: [1] })),
  });
  const rows = [
    technique('none', [0.8, 0.81, 0.82], [1, 1, 1]),
    technique('dropout', [0.85, 0.86, 0.87], [0.97, 0.98, 0.97]),
    technique('dropout2d', [0.84, 0.9, 0.8], [0.99, 0.99, 0.99]),
    technique('dropout-conv', [0.83, 0.84, 0.82], [0.99, 0.99, 0.99]),
    technique('dropblock', [0.9, 0.91, 0.92], [0.95, 0.95, 0.96]),
    technique('dropblock-no-schedule', [0.9, 0.91, 0.92], [0.95, 0.95, 0.96]),
    technique('cutout', [0.75, 0.76, 0.77], [0.9, 0.9, 0.9]),
  ].filter((t) => !without.includes(t.technique));
  return {
    rows: compareRows(rows),
    config: {
      dataset: 'Fashion-MNIST',
      preset: 'overfit',
      limit: 250,
      testLimit: 10000,
      epochs: 32,
      seeds: 3,
      batchSize: 32,
      lr: 0.001,
      optimizer: 'adam',
      schedule: 'cosine',
      jobs: 2,
      wallSeconds: 1,
    },
  };
}

describe('results: the claims from compare JSON', () => {
  it('derives each verdict from the rows, on every data set', () => {
    const claims = evaluateClaims({ compare: { 'Fashion-MNIST': compareFixture(0), MNIST: compareFixture(0.001) } });
    const kinds = Object.fromEntries(claims.map((c) => [c.id, c.verdict.kind]));
    expect(kinds).to.deep.equal({
      dropout: 'reproduced',
      dropout2d: 'direction reproduced, not significant',
      dropblock: 'partly reproduced',
      cutout: 'contradicted',
      'stochastic-depth': 'not run',
      'variance-shift': 'not run',
    });
    expect(claims.map((c) => c.id)).to.deep.equal([...claimIds]);
    const dropout = claims.find((c) => c.id === 'dropout')!.evidence;
    expect(dropout).to.have.length(4);
    // All the claims' comparisons are one family: adjusted together.
    const family = claims.flatMap((c) => c.evidence);
    expect(family.map((e) => e.pAdjusted)).to.deep.equal(holmAdjust(family.map((e) => e.pValue)));
    expect(family.length).to.be.greaterThan(dropout.length);
    expect(claimsPage(claims, '')).to.match(
      /^- Fashion-MNIST, cutout vs none, test accuracy: 76\.00 ± 1\.00% vs 81\.00 ± 1\.00% \(Δ −5\.00 \[95% CI −7\.27, −2\.73\], p = 0\.004, Holm 0\.036\)$/m,
    );
  });

  it('tests Dropout2d and DropBlock against dropout at the same place; the classifier rows are context, outside the verdict and the family', () => {
    const claims = evaluateClaims({ compare: { 'Fashion-MNIST': compareFixture(0), MNIST: compareFixture(0.001) } });
    const of = (id: string) => claims.find((c) => c.id === id)!;
    expect(of('dropout2d').evidence.map((e) => `${e.dataset}, ${e.what}`)).to.deep.equal([
      'Fashion-MNIST, dropout2d vs dropout-conv (both p = 0.1 after each conv stage), test accuracy',
      'MNIST, dropout2d vs dropout-conv (both p = 0.1 after each conv stage), test accuracy',
    ]);
    expect(of('dropblock').evidence.map((e) => e.what)).to.deep.equal([
      'dropblock vs dropout-conv (after each conv stage, 1 − keep = p = 0.1), test accuracy',
      'dropblock vs dropout-conv (after each conv stage, 1 − keep = p = 0.1), test accuracy',
      'dropblock vs dropout2d (after each conv stage, 1 − keep = p = 0.1), test accuracy',
      'dropblock vs dropout2d (after each conv stage, 1 − keep = p = 0.1), test accuracy',
      'scheduled vs fixed keep-prob, test accuracy',
      'scheduled vs fixed keep-prob, test accuracy',
    ]);
    for (const id of ['dropout2d', 'dropblock']) {
      const { context } = of(id);
      expect(context.comparisons.map((e) => e.what)).to.have.length(2);
      expect(context.comparisons[0].what).to.match(/\(classifier, p = 0\.5\), test accuracy$/);
      expect(context.label).to.contain('outside the verdict and Holm');
    }
    // The fixture's settings do not name a block size: the reason takes the one compare runs today.
    expect(of('dropblock').likelyReason).to.contain('Here the blocks are 5×5 on 28×28');
    // The family is the verdicts' comparisons only: 4 + 2 + 6 + 2.
    expect(claims.flatMap((c) => c.evidence)).to.have.length(14);
    const page = claimsPage(claims, '');
    expect(page).to.match(
      /^- Fashion-MNIST, dropout2d \(conv stages, p = 0\.1\) vs dropout \(classifier, p = 0\.5\), test accuracy: 84\.67 ± 5\.03% vs 86\.00 ± 1\.00% \(Δ −1\.33 \[95% CI −13\.23, \+10\.56\], p = 0\.694\)$/m,
    );
    expect(page).to.contain(
      'Where each is normally used (elementwise Dropout p = 0.5 in the classifier, the technique after each conv stage)',
    );
  });

  it('a claim whose rows the stored results lack says what is not measured: not run, or incomplete', () => {
    // As compare stored them before dropout-conv ran; MNIST has it.
    const claims = evaluateClaims({ compare: { 'Fashion-MNIST': compareFixture(0, ['dropout-conv']), MNIST: compareFixture(0.001) } });
    const of = (id: string) => claims.find((c) => c.id === id)!;
    expect(of('dropout2d').verdict.kind).to.equal('incomplete');
    expect(of('dropout2d').unmeasured).to.deep.equal([
      'Fashion-MNIST, dropout2d vs dropout-conv (both p = 0.1 after each conv stage), test accuracy: not measured in this run (no dropout-conv row)',
    ]);
    const none = evaluateClaims({ compare: { MNIST: compareFixture(0, ['dropout-conv']) } });
    expect(none.find((c) => c.id === 'dropout2d')!.verdict.kind).to.equal('not run');
    const page = claimsPage(none, '');
    expect(page).to.contain(
      '- MNIST, dropout2d vs dropout-conv (both p = 0.1 after each conv stage), test accuracy: not measured in this run (no dropout-conv row)',
    );
    expect(page).to.contain('- seconds per epoch and test accuracy, SD vs none: not measured in this run (no stochastic-depth results)');
    expect(page).not.to.contain('Likely reason: the paper');
    expect(page).to.contain(
      '**Verdict: not run (its one comparison not measured in this run).** `npm run results -- --only dropout2d` measures it.',
    );
  });

  it('variance shift: dropout before BN against no noise and after the last BN, Uout against the dropout of equal noise variance', () => {
    const row = (
      name: string,
      kind: PlacementMeasures['kind'],
      strength: number,
      position: PlacementMeasures['position'],
      c: number,
      acc: number[],
    ) => ({
      name,
      kind,
      strength,
      position,
      noiseVariance: c,
      measured: 1,
      predicted: 1,
      zeroMean: 1,
      testAcc: s(acc),
    });
    const report = {
      config: {
        p: [0.5, 0.25],
        beta: [0.1, 1],
        width: 64,
        epochs: 3,
        seeds: [0, 1, 2],
        data: 'Fashion-MNIST',
        trainExamples: 1,
        testExamples: 1,
      },
      placements: placementResults([
        row('no noise', 'none', 0, null, 0, [0.86, 0.87, 0.86]),
        row('dropout 0.5 before BN', 'dropout', 0.5, 'before BN', 1, [0.8, 0.81, 0.8]),
        row('dropout 0.5 after the last BN', 'dropout', 0.5, 'after the last BN', 1, [0.85, 0.86, 0.85]),
        row('dropout 0.25 before BN', 'dropout', 0.25, 'before BN', 1 / 3, [0.83, 0.84, 0.83]),
        row('dropout 0.25 after the last BN', 'dropout', 0.25, 'after the last BN', 1 / 3, [0.85, 0.86, 0.85]),
        row('Uout 0.1 before BN', 'uout', 0.1, 'before BN', 0.01 / 3, [0.86, 0.87, 0.86]),
        row('Uout 1 before BN', 'uout', 1, 'before BN', 1 / 3, [0.85, 0.85, 0.86]),
      ]),
    };
    const claim = evaluateClaims({ compare: {}, varianceShift: { dataset: 'Fashion-MNIST', report } }).find(
      (c) => c.id === 'variance-shift',
    )!;
    expect(claim.evidence.map((e) => e.what)).to.deep.equal([
      'no noise vs dropout 0.5 before BN, test accuracy',
      'dropout 0.5 after the last BN vs before BN, test accuracy',
      'no noise vs dropout 0.25 before BN, test accuracy',
      'dropout 0.25 after the last BN vs before BN, test accuracy',
      'Uout 1 before BN vs dropout 0.25 before BN (equal noise variance 0.333), test accuracy',
    ]);
    expect(claim.unmeasured).to.deep.equal([]);
    expect(claim.verdict.kind).to.equal('reproduced');
  });

  it('--only takes experiment names and claim ids (the experiments a claim reads), and lists both when a name is unknown', () => {
    const names = (only: string[]) => selectExperiments(only).map((e) => e.name);
    expect(names(['dropblock'])).to.deep.equal(['compare-fashion-mnist', 'compare-mnist']);
    expect(names(['variance-shift', 'cutout'])).to.deep.equal(['compare-fashion-mnist', 'compare-mnist', 'variance-shift']);
    expect(names(['stochastic-depth', 'compare-mnist'])).to.deep.equal(['compare-mnist', 'stochastic-depth']);
    for (const id of claimIds)
      expect(
        selectExperiments([id]).every((e) => e.kind === claimExperiment[id]),
        id,
      ).to.equal(true);
    expect(() => selectExperiments(['dropout', 'nope', 'cutot'])).to.throw(
      '--only: unknown name nope, cutot; expected experiments compare-fashion-mnist, compare-mnist, stochastic-depth, variance-shift or claims dropout, dropout2d, dropblock, cutout, stochastic-depth, variance-shift',
    );
  });

  it('marks significant differences in the headline table, on the adjusted p, beside the raw p and the interval', () => {
    const table = headlineTable({ 'Fashion-MNIST': compareFixture(0) });
    expect(table.split('\n')[0]).to.equal('| technique | Fashion-MNIST test % | Δ [95% CI] | p | p (Holm) |');
    expect(table).to.contain('| cutout | 76.00 ± 1.00 | −5.00 [−7.27, −2.73] | 0.004 | **0.014** ✗ |');
    expect(table).to.contain('| dropout2d | 84.67 ± 5.03 | +3.67 [−8.23, +15.56] | 0.334 | 0.334 |');
    expect(table).to.contain('| none | 81.00 ± 1.00 | — | — | — |');
  });

  it('renders compare JSON from before Holm: pAdjusted, ci95 and the mark recomputed from the stored values', () => {
    const current = compareFixture(0);
    // As an earlier version stored it: no pAdjusted or ci95, and the mark on the raw p.
    const stored = {
      config: current.config,
      rows: current.rows.map(({ pAdjusted, ci95, ...row }) => ({
        ...row,
        significance: row.pValue !== null && row.pValue < 0.05 ? ('better' as const) : null,
      })),
    };
    expect(currentCompareReport(stored)).to.deep.equal(current);
    expect(currentCompareReport(current)).to.deep.equal(current);
  });
});

describe('results: report pages keep their prose', () => {
  it('replaces the generated part only; a page without markers gets the default prose', () => {
    const first = composePage('# T\n\n| 1 |', undefined, 'Default prose.');
    expect(first).to.equal(`${GENERATED_BEGIN}\n# T\n\n| 1 |\n${GENERATED_END}\n\nDefault prose.\n`);
    const edited = first.replace('Default prose.', 'What a person wrote.');
    expect(composePage('# T\n\n| 2 |', edited, 'Default prose.')).to.equal(
      `${GENERATED_BEGIN}\n# T\n\n| 2 |\n${GENERATED_END}\n\nWhat a person wrote.\n`,
    );
    expect(composePage('# T', '# An old page\n\nstale', 'Default prose.'))
      .to.contain('Default prose.')
      .and.not.contain('stale');
  });
});

describe('npm run results, end to end on tiny experiments', function () {
  this.timeout(180000);
  const tempDir = useTempDir();

  it('prints its budget first, runs the experiments and writes every page', async function () {
    if (!existsSync('/usr/share/datasets/fashion-mnist')) this.skip();
    const out = tempDir();
    // compare is another command's work: its stored results stand in for a run.
    mkdirSync(join(out, 'data'));
    for (const dataset of ['Fashion-MNIST', 'MNIST'] as const) {
      const name = `compare-${dataset.toLowerCase()}`;
      const record: ExperimentRecord = {
        name,
        kind: 'compare',
        title: `compare, ${dataset}`,
        dataset,
        command: 'dropgrad compare --preset overfit --jobs 2 --json',
        seconds: 1,
        machine: 'test',
        finishedAt: '2026-01-01T00:00:00Z',
        result: compareFixture(0),
      };
      writeFileSync(join(out, 'data', `${name}.json`), JSON.stringify(record));
    }
    const lines: string[] = [];
    const code = await runResults({
      outDir: out,
      only: ['stochastic-depth', 'variance-shift'],
      quick: true,
      progress: false,
      log: (l) => lines.push(l),
    });
    expect(code, lines.join('\n')).to.equal(0);
    const budget = lines[0].split('\n');
    expect(budget[0]).to.match(/^npm run results: 2 experiments on .+ cores, Node v/);
    expect(budget[1]).to.match(/^ {2}stochastic-depth +~19 min {2}dropgrad stochastic-depth --blocks 9 /);
    expect(budget.at(-1)).to.match(/^ {2}total +~25 min {2}\(budget 45 min\)$/);
    expect(lines.findIndex((l) => l.includes('[1/2] stochastic-depth: dropgrad'))).to.be.above(0);
    expect(lines.join('\n')).to.match(/\[2\/2\] variance-shift: [\d.]+ s \(budget ~6 min\)/);

    const read = (name: string) => readFileSync(join(out, name), 'utf8');
    for (const page of [
      'README.md',
      'claims.md',
      'stochastic-depth.md',
      'variance-shift.md',
      'compare-fashion-mnist.md',
      'compare-mnist.md',
    ]) {
      expect(read(page), page).to.contain('- machine: ').and.contain('- wall time: ').and.contain('- seeds: ');
    }
    for (const chart of ['stochastic-depth-seconds.svg', 'variance-shift-ratios.svg', 'compare-mnist-accuracy.svg'])
      expect(read(chart)).to.match(/^<svg /);
    expect(read('stochastic-depth.md')).to.contain('- command: `dropgrad stochastic-depth --blocks 1 --seeds 2');
    expect(read('README.md')).to.contain('| Fashion-MNIST test % | Δ [95% CI] | p | p (Holm) | MNIST test % | Δ [95% CI] | p | p (Holm) |');
    const claims = read('claims.md');
    expect(claims).to.contain(
      '**Verdict: partly reproduced (2 of 4 comparisons with Holm-adjusted p < 0.05; not: dropout vs none, test accuracy',
    );
    expect(claims).to.match(/Fashion-MNIST, seconds per epoch, SD vs none: [\d.]+ ± [\d.]+ s vs/);
    expect(claims).to.contain('- Fashion-MNIST, no noise vs dropout 0.5 before BN, test accuracy: ');
    expect(claims).to.contain('- Fashion-MNIST, dropout 0.25 after the last BN vs before BN, test accuracy: ');
    expect(claims).to.contain('- Fashion-MNIST, Uout 1 before BN vs dropout 0.25 before BN (equal noise variance 0.333), test accuracy: ');
    expect(claims).not.to.match(/^- .+: not measured in this run/m);
    expect(read('variance-shift.md')).to.match(/^\| Uout 1 before BN \| 0\.333 \|.+\| dropout 0\.25 before BN \|/m);
    expect(read('stochastic-depth.md')).to.contain(
      "Scaled down from Huang et al.'s ResNet-110 on CIFAR-10 to fit the budget: layers 8 (paper 110)",
    );
    // The pages say which seeds ran: the final runs' own, from --seed-offset 200.
    for (const page of ['stochastic-depth.md', 'variance-shift.md'])
      expect(read(page), page).to.contain(', seeds 200 … 201 (--seed-offset 200)').and.contain('- seeds: 200, 201\n');
    expect(EXPERIMENTS.reduce((a, e) => a + e.minutes, 0)).to.be.at.most(TOTAL_BUDGET_MINUTES);
    expect(TOTAL_BUDGET_MINUTES).to.equal(45);

    // --pages rebuilds the very same pages from the stored JSON, running nothing.
    const pages = readdirSync(out).filter((f) => f.endsWith('.md') || f.endsWith('.svg'));
    const before = pages.map(read);
    const rebuilt: string[] = [];
    expect(await runResults({ outDir: out, pagesOnly: true, quick: true, log: (l) => rebuilt.push(l) })).to.equal(0);
    expect(pages.map(read)).to.deep.equal(before);
    expect(rebuilt.join('\n')).not.to.match(/npm run results: \d+ experiments|\[1\//);
  });

  it('the final runs use seeds past every seed a probe used, and their pages say so', () => {
    // The probes' seeds, from their stored reports: compare's seedOffset … + seeds − 1, variance-shift's list.
    const probes = readdirSync('docs/results/data/probes').map((f) =>
      JSON.parse(readFileSync(join('docs/results/data/probes', f), 'utf8')),
    );
    const probeSeeds = probes.flatMap(({ config }) =>
      Array.isArray(config.seeds) ? config.seeds : Array.from({ length: config.seeds }, (_, i) => config.seedOffset + i),
    );
    expect(Math.min(...probeSeeds)).to.equal(100);
    expect(finalSeedOffset).to.be.above(Math.max(...probeSeeds));
    for (const e of EXPERIMENTS) {
      for (const args of [e.args, e.quickArgs]) expect(args.join(' '), e.name).to.contain(`--seed-offset ${finalSeedOffset} `);
    }
    const report = compareFixture(0);
    report.config.seedOffset = finalSeedOffset;
    expect(indexPage({ MNIST: report }, [], [], '')).to.contain('\nMean ± std over 3 seeds (200 … 202); Δ in points');
    expect(compareCaption(report)).to.contain('Accuracies are mean ± sample std over 3 seeds (200 … 202).');
  });

  it('--pages: every page and chart from a copy of the stored results, the prose kept', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'data'));
    for (const e of EXPERIMENTS) copyFileSync(join('docs/results/data', `${e.name}.json`), join(out, 'data', `${e.name}.json`));
    // A stored compare run from before dropout-conv existed: its claims must say what is missing.
    for (const name of ['compare-fashion-mnist', 'compare-mnist']) {
      const path = join(out, 'data', `${name}.json`);
      const record = JSON.parse(readFileSync(path, 'utf8')) as { result: { rows: { technique: string }[] } };
      record.result.rows = record.result.rows.filter((row) => row.technique !== 'dropout-conv');
      writeFileSync(path, JSON.stringify(record));
    }
    writeFileSync(join(out, 'claims.md'), `${GENERATED_BEGIN}\nold numbers\n${GENERATED_END}\n\nProse a person wrote.\n`);
    const lines: string[] = [];
    expect(await runResults({ outDir: out, pagesOnly: true, log: (l) => lines.push(l) })).to.equal(0);
    const read = (name: string) => readFileSync(join(out, name), 'utf8');
    for (const e of EXPERIMENTS)
      expect(read(`${e.name}.md`), e.name)
        .to.contain('- command: `dropgrad ')
        .and.contain('- wall time: ');
    for (const chart of [
      'stochastic-depth-seconds.svg',
      'variance-shift-ratios.svg',
      'compare-mnist-accuracy.svg',
      'compare-fashion-mnist-accuracy.svg',
    ])
      expect(read(chart)).to.match(/^<svg /);
    expect(read('claims.md')).to.contain('Prose a person wrote.').and.not.contain('old numbers');
    // Without the dropout-conv rows those comparisons say so, and their claims are not judged on the rest.
    expect(read('claims.md'))
      .to.contain(
        'dropout2d vs dropout-conv (both p = 0.1 after each conv stage), test accuracy: not measured in this run (no dropout-conv row)',
      )
      .and.match(/\| \[On convolutional feature maps, Dropout2d .+\]\(#dropout2d\) \| Tompson et al\. 2015 \| not run \|/)
      .and.not.contain('no noise vs dropout before BN: not measured in this run');
    expect(read('README.md')).to.contain('| Fashion-MNIST test % | Δ [95% CI] | p | p (Holm) | MNIST test % | Δ [95% CI] | p | p (Holm) |');
    expect(read('compare-mnist.md')).to.contain('| Δ test vs baseline [95% CI] | p | p (Holm) | baseline |');
    // Each row's adjusted p is Holm's over its page's rows, recomputed where the stored JSON has none.
    const stored = (name: string) =>
      currentCompareReport(
        (JSON.parse(readFileSync(join('docs/results/data', `${name}.json`), 'utf8')) as ExperimentRecord).result as StoredCompareReport,
      );
    for (const name of ['compare-mnist', 'compare-fashion-mnist']) {
      const rows = stored(name).rows.filter((r) => r.pValue !== null);
      expect(
        rows.map((r) => r.pAdjusted),
        name,
      ).to.deep.equal(holmAdjust(rows.map((r) => r.pValue as number)));
      for (const r of rows) expect(r.significance !== null, `${name} ${r.technique}`).to.equal((r.pAdjusted as number) < 0.05);
    }
    expect(lines[0]).to.match(/^\nwrote .+README\.md, claims\.md and 4 experiment pages/);
  });

  it('--pages refuses --only, and an output directory without stored results', async () => {
    const message = (options: Parameters<typeof runResults>[0]) =>
      runResults(options).then(
        () => '',
        (e: Error) => e.message,
      );
    expect(await message({ outDir: tempDir(), pagesOnly: true, only: ['variance-shift'] })).to.equal(
      '--pages runs no experiment: it cannot be combined with --only',
    );
    expect(await message({ outDir: tempDir(), pagesOnly: true, log: () => {} })).to.match(
      /^no stored results in .+data: run `npm run results` \(without --pages\) first$/,
    );
  });

  it('refuses an unknown --only name before running anything', async () => {
    const lines: string[] = [];
    let message = '';
    await runResults({ outDir: tempDir(), only: ['nope'], log: (l) => lines.push(l) }).catch((e: Error) => {
      message = e.message;
    });
    expect(message).to.match(/^--only: unknown name nope; expected experiments compare-fashion-mnist, .+ or claims dropout, /);
    expect(lines).to.deep.equal([]);
  });
});
