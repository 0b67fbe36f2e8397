import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { POWER_TARGET, powerSection } from '../app/results/power-section';
import { indexPage } from '../app/results/index-page';
import { minimumDetectableDifference, seedsNeeded } from '../app/statistics/power';
import { sampleStd } from '../app/statistics/welch';
import { type CompareReport, type StoredCompareReport, compareRows, currentCompareReport } from '../app/experiments/compare/report';
import type { ExperimentRecord } from '../app/results/experiments';

/** A compare report whose rows have these test accuracies per seed; every row but `none` is tested against it. */
function report(testAccuracies: Record<string, number[]>): CompareReport {
  const rows = compareRows(
    Object.entries(testAccuracies).map(([technique, values]) => ({
      technique,
      settings: technique === 'none' ? '—' : `--${technique}`,
      baseline: technique === 'none' ? null : 'none',
      runs: values.map((t) => ({ testAccuracy: t, trainAccuracy: 1, secondsPerEpoch: [1], lossCurve: [1] })),
    })),
  );
  const config = { dataset: 'MNIST', preset: 'overfit', limit: 250, testLimit: 10000, epochs: 32, seeds: 5, batchSize: 32 };
  return { rows, config: { ...config, lr: 0.002, optimizer: 'adam', schedule: 'cosine', jobs: 2, wallSeconds: 1 } };
}

const tableRows = (section: string): string[][] =>
  section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| data set'))
    .map((l) => l.slice(2, -2).split(' | '));

describe('results: how small a difference the seeds can detect', () => {
  // σ of none = 0.16 points; dropout's spread is ten times larger, so the pooled σ is too.
  const quiet = report({
    none: [0.8, 0.802, 0.804, 0.801, 0.803],
    dropout: [0.8, 0.81, 0.82, 0.79, 0.78],
    cutout: [0.81, 0.812, 0.808, 0.806, 0.814],
  });

  it('gives δ at 5 and 8 seeds, raw α and α/m, and the seeds for the target, from the stored σ', () => {
    const section = powerSection({ MNIST: quiet });
    const rows = tableRows(section);
    expect(rows.map((r) => r.slice(0, 2))).to.deep.equal([
      ['MNIST (m = 2)', '`none`'],
      ['MNIST (m = 2)', 'pooled over 3 rows'],
    ]);
    const sigma = sampleStd(quiet.rows[0].testAcc.values);
    const pooled = Math.sqrt(quiet.rows.reduce((a, r) => a + sampleStd(r.testAcc.values) ** 2, 0) / 3);
    for (const [row, s] of [
      [rows[0], sigma],
      [rows[1], pooled],
    ] as const) {
      const delta = (n: number, comparisons: number) => (100 * minimumDetectableDifference({ n, sigma: s, comparisons })).toFixed(2);
      const seeds = (comparisons: number) => String(seedsNeeded({ difference: POWER_TARGET.difference, sigma: s, comparisons }));
      expect(row.slice(2)).to.deep.equal([(100 * s).toFixed(2), delta(5, 1), delta(5, 2), delta(8, 1), delta(8, 2), seeds(1), seeds(2)]);
    }
    // More seeds detect less; a stricter level needs more.
    const [, , , d5, d5m, d8, d8m, n1, nm] = rows[1].map(Number);
    expect(d8).to.be.below(d5);
    expect(d5m).to.be.above(d5);
    expect(d8m).to.be.above(d8);
    expect(nm).to.be.above(n1);
  });

  it('says whether the runs’ 5 seeds meet the target under each σ', () => {
    expect(powerSection({ MNIST: quiet })).to.match(
      /With the 5 seeds per technique of these runs it is met on MNIST at `none`'s σ \(\d needed\) but not at the pooled σ \(\d+ needed\)\.$/,
    );
    const tight = report({ none: [0.8, 0.801, 0.802], dropout: [0.81, 0.811, 0.812] });
    expect(powerSection({ A: tight })).to.match(/it is met on A \(2 needed at `none`'s σ, 2 at the pooled σ\)\.$/);
    const loose = report({ none: [0.7, 0.8, 0.9], dropout: [0.75, 0.85, 0.8] });
    expect(powerSection({ A: tight, B: loose })).to.match(
      /it is met on A \(.+\), and not met on B \(\d+ needed at `none`'s σ, \d+ at the pooled σ\)\.$/,
    );
  });

  it('is left out without a plain model to take σ from, and stands in the index page after the headline', () => {
    expect(powerSection({ MNIST: report({ dropout: [0.8, 0.81] }) })).to.equal('');
    const page = indexPage({ MNIST: quiet }, [], [], '- seeds: 0');
    expect(page.indexOf('## How small a difference the seeds can detect')).to.be.above(page.indexOf('## Headline'));
    expect(indexPage({}, [], [], '')).not.to.contain('How small');
  });

  it('docs/results/README.md shows the section as its stored compare JSON gives it', () => {
    const stored = (name: string) =>
      currentCompareReport(
        (JSON.parse(readFileSync(`docs/results/data/${name}.json`, 'utf8')) as ExperimentRecord).result as StoredCompareReport,
      );
    const section = powerSection({ 'Fashion-MNIST': stored('compare-fashion-mnist'), MNIST: stored('compare-mnist') });
    expect(readFileSync('docs/results/README.md', 'utf8')).to.contain(section);
  });
});
