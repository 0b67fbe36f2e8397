/**
 * The wasm backend's errors and fallbacks: bad thread counts name the argument and the value;
 * float64 tensors on 'wasm' take the js kernels and still gradient-check; where WebAssembly (or its
 * SIMD) is missing, the default backend is 'js' and an explicit 'wasm' runs the js kernels after ONE
 * warning. The environment cases run in a child process, since both the thread count and the wasm
 * instance are settled once per process.
 */
import { expect } from 'chai';
import { availableParallelism } from 'node:os';
import { F, getNumThreads, gradcheck, linear, matmul, randn, setNumThreads, withBackend } from '../index';
import { useLibraryChild } from './helpers/child-node';

describe('wasm backend errors and fallbacks', function () {
  this.timeout(60000);
  const runNode = useLibraryChild();

  describe('setNumThreads refuses what is not a whole number of threads from 1 to 256', () => {
    // Read when each test starts: at collection time other specs have not yet set the count they leave.
    let threadsBefore = 0;
    beforeEach(() => {
      threadsBefore = getNumThreads();
    });
    afterEach(() => setNumThreads(threadsBefore));
    for (const [value, shown] of [
      [0, '0'],
      [1.5, '1.5'],
      [-2, '-2'],
      [257, '257'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
    ] as const) {
      it(shown, () => {
        expect(() => setNumThreads(value)).to.throw(RangeError, `setNumThreads: expected an integer from 1 to 256, got ${shown}`);
        expect(getNumThreads(), 'the thread count is unchanged').to.equal(threadsBefore);
      });
    }
    // Not a number at all: a TypeError (a bigint used to fail inside JSON.stringify with no word of setNumThreads).
    for (const [value, shown] of [
      [2n, '2n (a bigint)'],
      ['x', '"x"'],
      ['2', '"2"'],
      [null, 'null'],
      [undefined, 'undefined'],
    ] as const) {
      it(shown, () => {
        expect(() => setNumThreads(value as unknown as number)).to.throw(
          TypeError,
          `setNumThreads: expected an integer from 1 to 256 (a number), got ${shown}`,
        );
        expect(getNumThreads(), 'the thread count is unchanged').to.equal(threadsBefore);
      });
    }
  });

  it('DROPGRAD_THREADS=abc: the first use of the thread count names the variable and its value', async () => {
    const { status, stderr } = await runNode('console.log(load().getNumThreads());', { env: { DROPGRAD_THREADS: 'abc' } });
    expect(status).to.not.equal(0);
    expect(stderr).to.include('RangeError: DROPGRAD_THREADS: expected an integer from 1 to 256, got "abc"');
  });

  it('DROPGRAD_THREADS=1 is taken', async () => {
    const { status, stdout, stderr } = await runNode('console.log(load().getNumThreads());', { env: { DROPGRAD_THREADS: '1' } });
    expect({ status, stdout, stderr }).to.deep.equal({ status: 0, stdout: '1\n', stderr: '' });
  });

  it('DROPGRAD_THREADS=256 (and then setNumThreads(256)) is capped to the cores, with one warning', async () => {
    const cores = availableParallelism();
    const script = 'const lib = load(); console.log(lib.getNumThreads()); lib.setNumThreads(256); console.log(lib.getNumThreads());';
    const { status, stdout, stderr } = await runNode(script, { env: { DROPGRAD_THREADS: '256' } });
    expect({ status, stdout, stderr }).to.deep.equal({
      status: 0,
      stdout: `${cores}\n${cores}\n`,
      stderr: `dropgrad: DROPGRAD_THREADS asked for 256 threads; this machine has ${cores} cores, so the wasm kernels use ${cores}\n`,
    });
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
    it(`${what}: the default backend is 'js', and 'wasm' runs the js kernels after one warning`, async () => {
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
      const { status, stdout, stderr } = await runNode(script);
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
