/**
 * The wasm backend's errors and fallbacks: bad thread counts name the argument and the value;
 * float64 tensors on 'wasm' take the js kernels and still gradient-check; where WebAssembly (or its
 * SIMD) is missing, the default backend is 'js' and an explicit 'wasm' runs the js kernels after ONE
 * warning. The environment cases run in a child process, since both the thread count and the wasm
 * instance are settled once per process.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { F, getNumThreads, gradcheck, linear, matmul, randn, setNumThreads, withBackend } from '../index';

/** The library (index.ts) bundled as one CommonJS file, so a child process can load it with no loader. */
let bundle: string;

/** Runs `script` in a fresh Node process, where `load()` requires the library. */
function runNode(script: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DROPGRAD_')));
  const preamble = `const load = () => require(${JSON.stringify(bundle)});\n`;
  const result = spawnSync(process.execPath, ['-e', preamble + script], { encoding: 'utf8', env: { ...inherited, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('wasm backend errors and fallbacks', function () {
  this.timeout(60000);
  let outdir: string;

  // Not tsx: it compiles with WebAssembly itself, so a child without WebAssembly could not load index.ts through it.
  before(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'dropgrad-wasm-fallback-'));
    bundle = join(outdir, 'dropgrad.cjs');
    await build({
      entryPoints: [join(__dirname, '..', 'index.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['gpu.js'],
      logLevel: 'warning',
    });
  });
  after(() => rmSync(outdir, { recursive: true, force: true }));

  describe('setNumThreads refuses what is not a whole number of threads from 1 to 256', () => {
    const threadsBefore = getNumThreads();
    afterEach(() => setNumThreads(threadsBefore));
    for (const [value, shown] of [
      [0, '0'],
      [1.5, '1.5'],
      [-2, '-2'],
      [257, '257'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      ['x', '"x"'],
      ['2', '"2"'],
    ] as const) {
      it(shown, () => {
        expect(() => setNumThreads(value as number)).to.throw(RangeError, `setNumThreads: expected an integer from 1 to 256, got ${shown}`);
        expect(getNumThreads(), 'the thread count is unchanged').to.equal(threadsBefore);
      });
    }
  });

  it('DROPGRAD_THREADS=abc: the first use of the thread count names the variable and its value', () => {
    const { status, stderr } = runNode('console.log(load().getNumThreads());', { DROPGRAD_THREADS: 'abc' });
    expect(status).to.not.equal(0);
    expect(stderr).to.include('RangeError: DROPGRAD_THREADS: expected an integer from 1 to 256, got "abc"');
  });

  it('DROPGRAD_THREADS=3 is taken', () => {
    const { status, stdout, stderr } = runNode('console.log(load().getNumThreads());', { DROPGRAD_THREADS: '3' });
    expect({ status, stdout, stderr }).to.deep.equal({ status: 0, stdout: '3\n', stderr: '' });
  });

  describe('float64 tensors on the wasm backend (they take the js kernels) gradient-check', () => {
    const leaf = (shape: number[]) => randn(shape, { requiresGrad: true });
    it('conv2d with groups, stride and padding', () => {
      withBackend('wasm', () =>
        gradcheck(
          (x, w, b) => F.conv2d(x, w, b, { groups: 2, stride: 2, padding: [1, 0] }),
          [leaf([2, 4, 5, 6]), leaf([4, 2, 3, 2]), leaf([4])],
        ),
      );
    });
    it('linear and matmul', () => {
      withBackend('wasm', () => {
        gradcheck(linear, [leaf([3, 7]), leaf([5, 7]), leaf([5])]);
        gradcheck(matmul, [leaf([4, 6]), leaf([6, 3])]);
      });
    });
  });

  for (const [what, sabotage, reason] of [
    ['without WebAssembly', 'globalThis.WebAssembly = undefined;', 'this JavaScript engine has no WebAssembly'],
    ['without WebAssembly SIMD', 'WebAssembly.validate = () => false;', 'this engine cannot run WebAssembly SIMD (128-bit) modules'],
  ] as const) {
    it(`${what}: the default backend is 'js', and 'wasm' runs the js kernels after one warning`, () => {
      const script = `${sabotage}
const { F, backendStatus, getBackend, linear, randn, setBackend, wasmStatus, withBackend } = load();
const backend = getBackend();
const x = randn([2, 3, 9, 9], { dtype: 'float32' }), w = randn([4, 3, 3, 3], { dtype: 'float32' });
const a = randn([8, 70], { dtype: 'float32' }), b = randn([90, 70], { dtype: 'float32' });
const expected = withBackend('js', () => [F.conv2d(x, w), linear(a, b)].map((t) => Array.from(t.data)));
setBackend('wasm');
const results = [];
for (let i = 0; i < 3; i++) results.push([F.conv2d(x, w), linear(a, b)].map((t) => Array.from(t.data)));
console.log(JSON.stringify({ backend, sameAsJs: results.every((r) => JSON.stringify(r) === JSON.stringify(expected)), status: wasmStatus(), summary: backendStatus() }));`;
      const { status, stdout, stderr } = runNode(script);
      expect(status, stderr).to.equal(0);
      expect(JSON.parse(stdout)).to.deep.equal({
        backend: 'js',
        sameAsJs: true,
        status: { available: false, reason },
        summary: { selected: 'wasm', running: 'js', threads: 1, note: reason },
      });
      expect(stderr).to.equal(`dropgrad: the wasm backend is unavailable (${reason}); running the js kernels instead\n`);
    });
  }
});
