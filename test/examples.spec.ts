import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { asShownInDocs, extractShownFiles } from './helpers/docs-snippets';

const repoRoot = resolve(__dirname, '..');

describe('examples', () => {
  it('examples/custom-op.ts (shown in docs/autograd.md) runs and its gradcheck passes', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'examples/custom-op.ts')], { encoding: 'utf8' });
    expect(out).to.contain('gradcheck passed for 1 input(s)');
  });

  // A page that shows an example file shows it verbatim (rule 4 of test/helpers/docs-snippets.ts),
  // so the page's copy and the file cannot drift apart; docs-snippets.spec.ts runs the copy.
  const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : []))];
  const shown = pages.flatMap((page) => extractShownFiles(readFileSync(join(repoRoot, page), 'utf8')).map((s) => ({ page, ...s })));

  it('docs/autograd.md and docs/walkthrough.md show their example files', () => {
    expect(shown.map((s) => `${s.page} ${s.path}`)).to.include.members([
      'docs/autograd.md examples/custom-op.ts',
      'docs/walkthrough.md examples/my-dropout.ts',
    ]);
  });

  for (const { page, path, line, code } of shown) {
    it(`${page} (line ${line}) shows ${path} as it is`, () => {
      expect(code.trimEnd()).to.equal(asShownInDocs(readFileSync(join(repoRoot, path), 'utf8')).trimEnd());
    });
  }
});
