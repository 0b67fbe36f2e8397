import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { extractSnippets, normalizeOutput } from './helpers/docs-snippets';

/**
 * docs/walkthrough.md done verbatim, as a learner would on a fresh clone: the repository's tracked
 * files only, beside `npm install`'s node_modules and nothing built; each step saved at the root
 * as step.ts with 'dropgrad' changed to './index', run with `npx tsx step.ts`, and its output
 * compared with the page. (test/docs-snippets.spec.ts runs the same code against this checkout,
 * whatever it has built or installed besides.)
 */
const run = promisify(execFile);
const repoRoot = resolve(__dirname, '..');
const page = readFileSync(join(repoRoot, 'docs/walkthrough.md'), 'utf8');
const steps = extractSnippets(page).filter((snippet) => snippet.expectedOutput !== null);

describe('docs/walkthrough.md on a fresh clone', function () {
  this.timeout(300000);
  let clone = '';

  before(() => {
    clone = mkdtempSync(join(tmpdir(), 'dropgrad-clone-'));
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const path of tracked) {
      mkdirSync(dirname(join(clone, path)), { recursive: true });
      cpSync(join(repoRoot, path), join(clone, path));
    }
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
  });

  after(() => rmSync(clone, { recursive: true, force: true }));

  it('has its seven steps', () => expect(steps).to.have.length(7));

  for (const [i, step] of steps.entries()) {
    it(`step ${i + 1} (line ${step.line}) prints what the page shows`, async () => {
      writeFileSync(join(clone, 'step.ts'), step.code.replaceAll("'dropgrad'", "'./index'"));
      const { stdout } = await run('npx', ['tsx', 'step.ts'], { cwd: clone, env: { ...process.env, NODE_OPTIONS: '' } });
      expect(normalizeOutput(stdout)).to.equal(normalizeOutput(step.expectedOutput!));
    });
  }
});
