/**
 * scripts/run-cli.mjs, behind `npm start` and `npm run dropgrad`: it bundles the CLI from the
 * sources into node_modules/.cache/dropgrad/cli.cjs and runs it as the main program — its
 * arguments, exit codes and output as under tsx, the bundle made afresh on each run, with a source
 * map of the .ts files. It refuses to replace a bundle path that is not a regular file.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const bundle = join(root, 'node_modules', '.cache', 'dropgrad', 'cli.cjs');

function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const { status, stdout, stderr } = spawnSync(process.execPath, ['scripts/run-cli.mjs', ...args], { cwd: root, encoding: 'utf8', env });
  return { status, stdout, stderr };
}

describe('scripts/run-cli.mjs (npm start, npm run dropgrad)', function () {
  this.timeout(60000);

  it("runs the CLI's commands with their output and exit codes", () => {
    const help = runCli(['train', '--help']);
    expect(help.status).to.equal(0);
    expect(help.stdout).to.contain('Usage: dropgrad train [flags]');
    const bad = runCli(['train', '--epochs', 'x']);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.contain('--epochs');
  });

  it('bundles afresh with an inline source map of the TypeScript sources (stack traces name them)', () => {
    rmSync(bundle, { force: true });
    expect(runCli(['train', '--help']).status).to.equal(0);
    const code = readFileSync(bundle, 'utf8');
    const map = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
    expect(map, 'an inline source map at the end').to.not.equal(null);
    const { sources } = JSON.parse(Buffer.from(map![1]!, 'base64').toString('utf8')) as { sources: string[] };
    expect(sources.some((source) => source.endsWith('app/cli/main.ts'))).to.equal(true);
    expect(sources.some((source) => source.endsWith('lib/tensor.ts'))).to.equal(true);
  });

  it('refuses to replace a bundle path that is not a regular file', () => {
    rmSync(bundle, { force: true });
    mkdirSync(join(bundle, 'inside'), { recursive: true });
    try {
      const run = runCli(['train', '--help']);
      expect(run.status).to.not.equal(0);
      expect(run.stderr).to.contain(`${bundle} exists and is not a regular file`);
    } finally {
      rmdirSync(join(bundle, 'inside'));
      rmdirSync(bundle);
    }
    expect(runCli(['train', '--help']).status, 'and runs once it is gone').to.equal(0);
  });
});
