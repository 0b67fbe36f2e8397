/**
 * Lints the AssemblyScript kernels (kernels/wasm/assembly/) with the project's Biome rules, which
 * `biome ci .` cannot do itself: AssemblyScript's function decorators (`@inline function …`) are not
 * TypeScript, and Biome refuses to parse them. Each source is copied into a temporary folder with
 * its decorators turned into comments of the same length (so line:column in a diagnostic is the
 * source's own), and linted there under the project's rules with two off: AssemblyScript's `==`
 * and its typed isNaN never coerce, so noDoubleEquals and noGlobalIsNan guard against nothing. Formatting is not
 * checked: the kernels keep hand-aligned argument lists. Type-checking is the compiler's
 * (`npm run build:wasm`, run by .ci/run).
 *
 *   npm run lint        (runs this after biome ci)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { wasmSourceDir, wasmSources } from './wasm-build-inputs';

const repoRoot = resolve(__dirname, '..');
const biome = join(repoRoot, 'node_modules', '.bin', 'biome');

// Each decorator (and the space after it) becomes a block comment of the same length.
function maskDecorators(source: string): string {
  return source.replace(
    /@(inline|unsafe|global|lazy|external|operator)\b ?/g,
    (decorator) => `/*${'_'.repeat(Math.max(decorator.length - 4, 0))}*/`,
  );
}

interface BiomeConfig {
  linter: { rules: Record<string, unknown> };
  [key: string]: unknown;
}

function lintConfig(): BiomeConfig {
  const project = JSON.parse(readFileSync(join(repoRoot, 'biome.json'), 'utf8')) as BiomeConfig;
  const { linter, javascript } = project;
  const rules = { ...linter.rules, suspicious: { ...(linter.rules.suspicious as object), noDoubleEquals: 'off', noGlobalIsNan: 'off' } };
  return { files: { includes: ['**/*.ts'] }, formatter: { enabled: false }, javascript, linter: { ...linter, rules } };
}

const scratch = mkdtempSync(join(tmpdir(), 'dropgrad-lint-assembly-'));
try {
  // The copies sit at the sources' relative path, so diagnostics name them as the repository does.
  const copyDir = join(scratch, relative(repoRoot, wasmSourceDir));
  mkdirSync(copyDir, { recursive: true });
  for (const file of wasmSources()) writeFileSync(join(copyDir, file), maskDecorators(readFileSync(join(wasmSourceDir, file), 'utf8')));
  writeFileSync(join(scratch, 'biome.json'), JSON.stringify(lintConfig()));
  const { status, stdout, stderr, error } = spawnSync(biome, ['lint', '--error-on-warnings', '.'], { cwd: scratch, encoding: 'utf8' });
  if (error) throw error;
  process.stdout.write(`${stdout}${stderr}`);
  if (status !== 0) {
    process.stderr.write('lint-assembly: the AssemblyScript kernels have lint errors (above)\n');
    process.exitCode = 1;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
