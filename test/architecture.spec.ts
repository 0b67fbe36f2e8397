/**
 * The five floors (see README "Layout"): base/ → kernels/ → lib/ → nn/ → app/, each importing only
 * from the floors below it. base/ holds the vocabulary every floor speaks (dtypes, shapes) and
 * imports nothing outside itself, so no floor reaches up through it. Inside app/, its folders stand
 * on floors of their own, the CLI on top.
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

/**
 * app/'s own floors, from the bottom: a folder imports its own files and those of the floors below
 * (README "Layout"). The experiments stand on the flags, the data and the model setup, never on the
 * CLI, which is the top: a command parses flags, runs an experiment, renders its report.
 */
const appFloors: readonly (readonly string[])[] = [
  ['statistics', 'serialization', 'training'],
  ['data', 'flags'],
  ['render', 'setup'],
  ['experiments', 'gradcheck-suite'],
  ['results'],
  ['cli'],
];

/** The folder of app/ a repo path is in (a file directly in app/ is its own). */
const appRoomOf = (repoPath: string): string => repoPath.split('/')[1].replace(/\.ts$/, '');
const appFloorOf = (room: string): number => appFloors.findIndex((rooms) => rooms.includes(room));

/** The imports of `file` (a repo path in app/) that reach a folder of app/ on its own floor or above. */
function appClimbs(file: string, targets: readonly string[]): string[] {
  const room = appRoomOf(file);
  return targets
    .filter((target) => target.startsWith('app/') && appRoomOf(target) !== room)
    .filter((target) => appFloorOf(appRoomOf(target)) >= appFloorOf(room))
    .map((target) => `${file} → ${target}`);
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

  it('places every folder of app/ on one of its floors', () => {
    const rooms = readdirSync(join(root, 'app')).map((name) => name.replace(/\.ts$/, ''));
    expect(rooms.filter((room) => appFloorOf(room) === -1)).to.deep.equal([]);
    expect(appFloors.flat().filter((room) => !rooms.includes(room))).to.deep.equal([]);
  });

  it('nothing in app/ imports a folder of app/ on its own floor or above (the experiments never the CLI)', () => {
    const climbs = sourceFiles(join(root, 'app')).flatMap((file) => appClimbs(relative(root, file), relativeImports(file)));
    expect(climbs).to.deep.equal([]);
  });

  it('the app/ floor check sees a climb: an experiment importing the CLI (a guard that can fail)', () => {
    const file = 'app/experiments/compare/run.ts';
    const targets = ['app/cli/main', 'app/experiments/process-pool', 'app/setup/experiment', 'lib/tensor'];
    expect(appClimbs(file, targets)).to.deep.equal([`${file} → app/cli/main`]);
    expect(appClimbs('app/setup/experiment.ts', ['app/render/png'])).to.deep.equal(['app/setup/experiment.ts → app/render/png']);
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
