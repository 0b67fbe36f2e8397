import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { asShownInDocs, extractShownFiles, extractSnippets, normalizeOutput, toRunnable } from './helpers/docs-snippets';

/**
 * Runs the TypeScript examples of README.md and docs/*.md against this checkout, so the docs
 * cannot rot. Which fences run and which output they are compared with is decided by the rules in
 * test/helpers/docs-snippets.ts: in short, ```ts fences importing from 'dropgrad' (or './…') run unless
 * preceded by `<!-- not-run -->`, and an untagged/```text fence right after them (optionally after
 * one "prints …" line) must equal their stdout, trailing whitespace aside.
 */

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '..');
const pages = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

// The rules are what decide whether a docs example is checked at all, so pin them down: a rule
// that silently stopped matching would turn the snippet tests below into no-ops.
describe('docs snippet extraction', () => {
  const ts = (body: string) => ['```ts', "import { F } from 'dropgrad';", body, '```'].join('\n');

  it('takes an output fence directly after, or after one "prints" line, or inline "prints `…`"', () => {
    const page = [
      ts('a'),
      '',
      '```',
      'out a',
      '```',
      '',
      ts('b'),
      '',
      'prints (a caption):',
      '',
      '```text',
      'out b',
      '```',
      '',
      '- item',
      '',
      '  ```ts',
      "  import { F } from 'dropgrad';",
      '  c',
      '  ```',
      '',
      '  prints `out c`.',
    ].join('\n');
    const snippets = extractSnippets(page);
    expect(snippets.map((s) => s.expectedOutput)).to.deep.equal(['out a', 'out b', 'out c']);
    expect(snippets[2].code).to.equal("import { F } from 'dropgrad';\nc");
  });

  it('shows no output for other fences or longer prose, and skips fragments and <!-- not-run -->', () => {
    const page = [
      ts('a'),
      '',
      '```sh',
      'npm test',
      '```',
      '',
      ts('b'),
      '',
      'This prints',
      'nothing we compare.',
      '',
      '```',
      'not output',
      '```',
      '',
      '```ts',
      'gradcheck(f, [x]);',
      '```',
      '',
      '<!-- not-run -->',
      ts('d'),
      '',
      ts('e'),
    ].join('\n');
    expect(extractSnippets(page).map((s) => [s.index, s.expectedOutput])).to.deep.equal([
      [0, null],
      [1, null],
      [4, null],
    ]);
  });

  it('takes <!-- shows path --> fences as copies of that file, which still run as snippets', () => {
    const page = ['<!-- shows examples/a.ts -->', ts('a'), '', '<!-- shows examples/b.ts -->', '', ts('b'), '', ts('c')].join('\n');
    expect(extractShownFiles(page)).to.deep.equal([
      { path: 'examples/a.ts', line: 2, code: "import { F } from 'dropgrad';\na" },
      { path: 'examples/b.ts', line: 9, code: "import { F } from 'dropgrad';\nb" },
    ]);
    expect(extractSnippets(page)).to.have.length(3);
    expect(asShownInDocs("import { F } from '../index';\nimport { g } from './g';")).to.equal(
      "import { F } from 'dropgrad';\nimport { g } from './g';",
    );
  });

  // The walkthrough is only worth its promise ("every snippet runs in the tests") if its snippets
  // are recognised: a fence that lost its import line or its output fence would silently stop
  // being checked.
  it('picks up every step of docs/walkthrough.md, each with the output it shows', () => {
    const page = readFileSync(join(repoRoot, 'docs/walkthrough.md'), 'utf8');
    const snippets = extractSnippets(page);
    expect(snippets, 'every ```ts fence of the walkthrough runs').to.have.length(page.match(/^```ts$/gm)?.length ?? 0);
    // One snippet per step, each compared with its output, and the op's file (shown, prints nothing).
    expect(snippets.filter((s) => s.expectedOutput !== null)).to.have.length(7);
    expect(snippets.filter((s) => s.expectedOutput === null).map((s) => s.code)).to.deep.equal(extractShownFiles(page).map((f) => f.code));
  });

  it("points 'dropgrad' and './…' imports at the repository", () => {
    expect(toRunnable("import { F } from 'dropgrad';\nimport { b } from './lib/ops/b';", '/repo/')).to.equal(
      'import { F } from "/repo/index.ts";\nimport { b } from "/repo/lib/ops/b";',
    );
  });
});

describe('docs snippets', function () {
  // One snippet is a fresh node + tsx start plus the example itself (the slowest, variance-shift,
  // trains a BatchNorm for 200 steps); this bounds a hung snippet, not the expected run time.
  this.timeout(60000);

  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dropgrad-docs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const page of pages) {
    for (const snippet of extractSnippets(readFileSync(join(repoRoot, page), 'utf8'))) {
      const name = `${page} ts block #${snippet.index} (line ${snippet.line})`;
      it(`${name} runs${snippet.expectedOutput === null ? '' : ' and prints the output shown'}`, async () => {
        const file = join(dir, `${page.replace(/[/.]/g, '-')}-${snippet.index}.ts`);
        writeFileSync(file, toRunnable(snippet.code, repoRoot));
        // cwd = repository root: snippets that load data find the bundled MNIST where the docs say.
        const result = await run(process.execPath, ['--import', 'tsx', file], {
          cwd: repoRoot,
          encoding: 'utf8',
          maxBuffer: 16 << 20,
        }).catch((err: Error & { stdout?: string }) => {
          // execFile's message already ends with the child's stderr; add what it printed before failing.
          throw new Error(`${name} failed: ${err.message}\n--- stdout\n${err.stdout ?? ''}`);
        });
        if (snippet.expectedOutput !== null) {
          expect(normalizeOutput(result.stdout), `stdout of ${name}`).to.equal(normalizeOutput(snippet.expectedOutput));
        }
      });
    }
  }
});
