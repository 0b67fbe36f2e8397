/**
 * The four floors (see README "Layout"): kernels/ → lib/ → nn/ → app/, each importing only from the
 * floors below it. kernels/ may take the plain dtype and shape helpers from lib/ and nothing else.
 */
import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const floors = ['kernels', 'lib', 'nn', 'app'];
const kernelsMayImportFromLib = new Set(['lib/dtype.ts', 'lib/shape.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports (static, dynamic and re-exports) of one file, resolved to repo paths. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']*)'/g)].map((m) => m[1]);
  return specifiers.map((spec) => relative(root, resolve(dirname(file), spec)));
}

function floorOf(repoPath: string): number {
  return floors.findIndex((floor) => repoPath === floor || repoPath.startsWith(`${floor}/`));
}

describe('architecture: four floors', () => {
  it('the relative-import reader finds static, dynamic and re-export imports (a guard that can fail)', () => {
    const imports = relativeImports(join(root, 'browser.ts'));
    expect(imports).to.include('lib/tensor');
    expect(imports).to.include('nn/functional');
  });

  for (const [level, floor] of floors.entries()) {
    it(`nothing in ${floor}/ imports a floor above it`, () => {
      const upward: string[] = [];
      for (const file of sourceFiles(join(root, floor))) {
        for (const target of relativeImports(file)) {
          const targetFloor = floorOf(target);
          const allowed =
            targetFloor === -1 ? false : targetFloor <= level || (floor === 'kernels' && kernelsMayImportFromLib.has(`${target}.ts`));
          if (!allowed) upward.push(`${relative(root, file)} → ${target}`);
        }
      }
      expect(upward).to.deep.equal([]);
    });
  }

  it('the dtype and shape helpers kernels/ may take import nothing (else kernels/ would reach the core through them)', () => {
    const imports = [...kernelsMayImportFromLib].flatMap((file) =>
      relativeImports(join(root, file)).map((target) => `${file} → ${target}`),
    );
    expect(imports).to.deep.equal([]);
  });

  it('no command imports another command: what two commands share lives below app/cli/commands/', () => {
    const commands = 'app/cli/commands/';
    const crossing = sourceFiles(join(root, commands)).flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith(commands))
        .map((target) => `${relative(root, file)} → ${target}`),
    );
    expect(crossing).to.deep.equal([]);
  });

  it('app/results/ imports nothing from app/cli/commands/: the pages are rendered from reports, not from commands', () => {
    const climbing = sourceFiles(join(root, 'app/results')).flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith('app/cli/commands/'))
        .map((target) => `${relative(root, file)} → ${target}`),
    );
    expect(climbing).to.deep.equal([]);
  });

  it('has no bare side-effect imports of the package inside the floors', () => {
    const bare = floors.flatMap((floor) =>
      sourceFiles(join(root, floor)).filter((file) => /^import\s+'[^']+';/m.test(readFileSync(file, 'utf8'))),
    );
    expect(bare.map((file) => relative(root, file))).to.deep.equal([]);
  });

  it("leaves a tensor's ndarray view (.nd, @internal) to the core: nn/ and app/ use the public storage and data", () => {
    const reading = ['nn', 'app'].flatMap((floor) =>
      sourceFiles(join(root, floor)).filter((file) => /\.nd\b(?!-)/.test(readFileSync(file, 'utf8'))),
    );
    expect(reading.map((file) => relative(root, file))).to.deep.equal([]);
  });
});
