import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The inner loop: `npx mocha FILE` (or `npm run test:quick -- FILE`) runs that file's specs only.
 * A spec glob in .mocharc.json would be added to the files named, and every spec would run.
 * `npm test` alone runs the glob on two parallel workers (package.json).
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

  it("npm test's mocha runs on two parallel workers, where a spec file with .only fails the run instead of narrowing it", async function () {
    this.timeout(120000);
    const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const mochaArgs = (scripts.test.split(' && ').at(-1) ?? '').split(' ').slice(1, -1); // without "mocha" and the spec glob
    expect(mochaArgs).to.include.members(['--parallel', '--jobs', '2']);
    const dir = mkdtempSync(join(tmpdir(), 'dropgrad-runner-'));
    try {
      const focused = join(dir, 'focused.spec.ts');
      writeFileSync(
        focused,
        "describe('focused', () => {\n  it.only('runs alone', () => undefined);\n  it('is left out', () => undefined);\n});\n",
      );
      const failure = await run(join(repoRoot, 'node_modules/.bin/mocha'), [...mochaArgs, focused], { cwd: repoRoot }).then(
        () => undefined,
        (error: { stdout: string }) => error,
      );
      expect(failure, 'the run with .only exited 0').not.to.equal(undefined);
      expect(failure?.stdout).to.include('`.only` is not supported in parallel mode');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
