import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The inner loop: `npx mocha FILE` (or `npm run test:quick -- FILE`) runs that file's specs only.
 * A spec glob in .mocharc.json would be added to the files named, and every spec would run.
 */
const run = promisify(execFile);
const repoRoot = resolve(__dirname, '..');

describe('the test runner', () => {
  it('runs only the spec files named on its command line', async () => {
    const { stdout } = await run(join(repoRoot, 'node_modules/.bin/mocha'), ['--dry-run', '--reporter', 'json', 'test/where.spec.ts'], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    });
    const files = new Set((JSON.parse(stdout) as { tests: Array<{ file: string }> }).tests.map((test) => test.file));
    expect([...files]).to.deep.equal([join(repoRoot, 'test/where.spec.ts')]);
  });
});
