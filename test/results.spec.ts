import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from '../app/statistics/welch';
import { type Evidence, compareSummaries, verdict } from '../app/results/verdict';
import { evaluateClaims } from '../app/results/claims';
import type { CompareJson } from '../app/results/compare-report';
import { headlineTable } from '../app/results/index-page';
import { EXPERIMENTS, type ExperimentRecord, runResults } from '../app/results/run-results';
import { GENERATED_BEGIN, GENERATED_END, composePage } from '../app/cli/report-page';
import { useTempDir } from './helpers/data-files';

const s = (values: number[]) => summarize(values);
const better = s([0.9, 0.91, 0.92]);
const base = s([0.8, 0.81, 0.82]);
const noisy = s([0.7, 0.95, 0.82]);

describe('results: verdicts from comparisons over seeds', () => {
  it('significantly better everywhere: reproduced', () => {
    const v = verdict([compareSummaries('a vs b', 'MNIST', better, base), compareSummaries('a vs b', 'Fashion-MNIST', better, base)]);
    expect(v.kind).to.equal('reproduced');
    expect(v.text).to.equal('reproduced (p < 0.05 in all 2 comparisons, on MNIST and Fashion-MNIST)');
  });

  it('significantly worse: contradicted, naming where', () => {
    const v = verdict([compareSummaries('a vs b', 'MNIST', base, better)]);
    expect(v.kind).to.equal('contradicted');
    expect(v.text).to.contain('a vs b on MNIST');
  });

  it('better but not significant: direction reproduced, not significant', () => {
    const e = compareSummaries('a vs b', 'MNIST', s([0.83, 0.95, 0.8]), noisy);
    expect(e.pValue).to.be.above(0.05);
    expect(verdict([e]).kind).to.equal('direction reproduced, not significant');
  });

  it('worse but not significant: not reproduced; one of two confirmed: partly reproduced', () => {
    const worse = compareSummaries('a vs b', 'MNIST', noisy, s([0.83, 0.95, 0.8]));
    expect(verdict([worse]).kind).to.equal('not reproduced');
    expect(verdict([worse, compareSummaries('a vs b', 'Fashion-MNIST', better, base)]).kind).to.equal('partly reproduced');
  });

  it('lower is better for times; "not worse" holds unless significantly worse', () => {
    const faster = compareSummaries('seconds', 'MNIST', s([1, 1.01, 0.99]), s([2, 2.02, 1.98]), { higherIsBetter: false });
    const equal: Evidence = compareSummaries('accuracy', 'MNIST', s([0.8, 0.95, 0.82]), noisy, { claim: 'not worse' });
    expect(verdict([faster, equal]).kind).to.equal('reproduced');
    const worse = compareSummaries('accuracy', 'MNIST', base, better, { claim: 'not worse' });
    expect(verdict([worse]).kind).to.equal('contradicted');
    expect(verdict([faster, worse]).text).to.equal(
      'partly contradicted (confirmed: seconds on MNIST; the opposite with p < 0.05: accuracy on MNIST)',
    );
  });

  it('no measurements: not run', () => {
    expect(verdict([]).kind).to.equal('not run');
  });
});

/** compare --json as the compare command prints it (its contract), with made-up accuracies. */
function compareFixture(shift: number): CompareJson {
  const row = (technique: string, test: number[], train: number[]) => ({
    technique,
    settings: technique === 'none' ? '—' : `--${technique}`,
    testAcc: s(test.map((v) => v + shift)),
    trainAcc: s(train),
    pValue: technique === 'none' ? null : 0.5,
    secondsPerEpoch: 2.5,
  });
  return {
    rows: [
      row('none', [0.8, 0.81, 0.82], [1, 1, 1]),
      row('dropout', [0.85, 0.86, 0.87], [0.97, 0.98, 0.97]),
      row('dropout2d', [0.84, 0.9, 0.8], [0.99, 0.99, 0.99]),
      row('dropblock', [0.9, 0.91, 0.92], [0.95, 0.95, 0.96]),
      row('dropblock (no schedule)', [0.9, 0.91, 0.92], [0.95, 0.95, 0.96]),
      row('cutout', [0.75, 0.76, 0.77], [0.9, 0.9, 0.9]),
    ],
    config: { seeds: 3, limit: 2000 },
  };
}

describe('results: the claims from compare JSON', () => {
  it('derives each verdict from the rows, on every data set', () => {
    const claims = evaluateClaims({ compare: { 'Fashion-MNIST': compareFixture(0), MNIST: compareFixture(0.001) } });
    const kinds = Object.fromEntries(claims.map((c) => [c.id, c.verdict.kind]));
    expect(kinds).to.deep.equal({
      dropout: 'reproduced',
      dropout2d: 'not reproduced',
      dropblock: 'partly reproduced',
      cutout: 'contradicted',
      'stochastic-depth': 'not run',
      'variance-shift': 'not run',
    });
    expect(claims.find((c) => c.id === 'dropout')!.evidence).to.have.length(4);
  });

  it('marks significant differences in the headline table', () => {
    const table = headlineTable({
      'Fashion-MNIST': {
        ...compareFixture(0),
        rows: compareFixture(0).rows.map((r) => ({ ...r, pValue: r.technique === 'cutout' ? 0.01 : r.pValue })),
      },
    });
    expect(table).to.contain('| cutout | 76.00 ± 1.00 | −5.00 | **0.010** ✗ |');
    expect(table).to.contain('| none | 81.00 ± 1.00 | — | — |');
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
    expect(budget[1]).to.match(/^ {2}stochastic-depth +~ 8 min {2}dropgrad stochastic-depth /);
    expect(budget.at(-1)).to.match(/^ {2}total +~10 min {2}\(budget 30 min\)$/);
    expect(lines.findIndex((l) => l.includes('[1/2] stochastic-depth: dropgrad'))).to.be.above(0);
    expect(lines.join('\n')).to.match(/\[2\/2\] variance-shift: [\d.]+ s \(budget ~2 min\)/);

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
    expect(read('README.md')).to.contain('| Fashion-MNIST test % | Δ | p | MNIST test % | Δ | p |');
    const claims = read('claims.md');
    expect(claims).to.contain('**Verdict: reproduced (p < 0.05 in all 4 comparisons, on Fashion-MNIST and MNIST).**');
    expect(claims).to.match(/Fashion-MNIST, seconds per epoch, SD vs none: [\d.]+ ± [\d.]+ s vs/);
    expect(claims).to.contain('Fashion-MNIST, Uout before BN vs dropout before BN, test accuracy');
    expect(claims).not.to.contain('Not measured in this run.');
    expect(EXPERIMENTS.reduce((a, e) => a + e.minutes, 0)).to.be.at.most(30);
  });

  it('refuses an unknown --only name before running anything', async () => {
    const lines: string[] = [];
    let message = '';
    await runResults({ outDir: tempDir(), only: ['nope'], log: (l) => lines.push(l) }).catch((e: Error) => {
      message = e.message;
    });
    expect(message).to.match(/^--only: unknown experiment nope; expected some of compare-fashion-mnist, /);
    expect(lines).to.deep.equal([]);
  });
});
