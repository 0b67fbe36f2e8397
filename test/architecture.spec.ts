/**
 * The five floors (see README "Layout"): base/ → kernels/ → lib/ → nn/ → app/, each importing only
 * from the floors below it. base/ holds the vocabulary every floor speaks (dtypes, shapes) and
 * imports nothing outside itself, so no floor reaches up through it.
 */
import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const floors = ['base', 'kernels', 'lib', 'nn', 'app'];

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

describe('architecture: five floors', () => {
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
          if (targetFloor === -1 || targetFloor > level) upward.push(`${relative(root, file)} → ${target}`);
        }
      }
      expect(upward).to.deep.equal([]);
    });
  }

  it('base/ imports nothing outside itself (else every floor would reach up through it)', () => {
    const outside = sourceFiles(join(root, 'base')).flatMap((file) =>
      relativeImports(file)
        .filter((target) => floorOf(target) !== 0)
        .map((target) => `${relative(root, file)} → ${target}`),
    );
    expect(outside).to.deep.equal([]);
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
