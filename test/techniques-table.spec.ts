import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DropTechnique, architectureOf, dropTechniques, modelNames } from '../app/setup/drop-techniques';
import { techniques as compared } from '../app/experiments/compare/techniques';

/**
 * docs/cli.md's table of the regularizer flags against the table of drop techniques: a row per
 * technique, in its order, with its place in each model and the rows compare tests it in, so the
 * page cannot drift from what train and compare do.
 */
const cliPage = readFileSync(join(__dirname, '..', 'docs', 'cli.md'), 'utf8');

/** The models that share an architecture share a column, e.g. "resnet, resnet-small". */
const columns = [...new Set(modelNames.map(architectureOf))].map((architecture) => ({
  architecture,
  header: modelNames.filter((m) => architectureOf(m) === architecture).join(', '),
}));

function row(technique: DropTechnique): string {
  const places = columns.map(({ architecture }) => technique.slots[architecture]?.place ?? '—');
  const rows = Object.keys(compared).filter((name) => Object.keys(technique.compare ?? {}).includes(name));
  return `| \`--${technique.flag} ${technique.spec.value}\` | ${places.join(' | ')} | ${rows.join(', ') || '—'} |`;
}

describe("docs/cli.md's table of drop techniques", () => {
  it('is the table of train and compare: each flag, its place in each model and its compare rows', () => {
    const expected = [
      `| flag | ${columns.map((c) => c.header).join(' | ')} | compare rows |`,
      `|---|${columns.map(() => '---|').join('')}---|`,
      ...dropTechniques.map(row),
    ].join('\n');
    expect(cliPage).to.contain(expected);
  });
});
