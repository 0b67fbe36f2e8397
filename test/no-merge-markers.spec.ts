/** A merge left half-done must not reach main: no conflict markers in any tracked text file. */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const marker = /^(<{7} |={7}$|>{7} )/m;

describe('repository: no merge-conflict markers', () => {
  it('the marker pattern matches each kind of conflict line (a check that can fail)', () => {
    for (const line of ['<<<<<<< HEAD', '=======', '>>>>>>> branch']) expect(marker.test(`a\n${line}\nb`), line).to.equal(true);
    expect(marker.test('a ======= b\n========')).to.equal(false);
  });

  it('no tracked source or docs file holds one', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.md', '*.json', '*.mjs', '*.html', '*.py'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(files.length).to.be.greaterThan(100);
    expect(files.filter((file) => marker.test(readFileSync(join(root, file), 'utf8')))).to.deep.equal([]);
  });
});
