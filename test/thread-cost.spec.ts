/**
 * The wasm backend's cost model (kernels/wasm/thread-cost.ts): a call takes a second thread only
 * when what that thread saves exceeds what sharing costs. Checked on its decisions, never on
 * timings: a batch-1 conv or a small pooling call stays on one thread, a batch-64 conv splits,
 * sleeping workers need more work than spinning ones (they join late, and waking them costs the
 * caller more), no call takes more threads than it has pieces or the count allows, and a call is
 * cut into a few shares per thread.
 */
import { expect } from 'chai';
import { F, models, noGrad, randn, withBackend } from '../index';
import {
  forkJoinNs,
  nsPerUnit,
  setSplitEveryCall,
  sharesFor,
  sharesPerThread,
  wakeNs,
  worthwhileThreads,
} from '../kernels/wasm/thread-cost';
import { parallelCalls, wasmParityHooks } from './helpers/wasm';
import { withThreads } from './helpers/wasm-threads';

/** Multiply-adds of the small CNN's second conv (16 → 32 channels, 3×3, 14×14) at batch `n`. */
const conv2Macs = (n: number) => n * 32 * 14 * 14 * 16 * 9;

describe('the wasm cost model: how many threads a call takes', () => {
  before(() => setSplitEveryCall(false));
  after(() => setSplitEveryCall(true)); // as test/helpers/split-every-call.ts left it

  it('one thread for a call with one piece, however large', () => {
    expect(worthwhileThreads('conv2d', 1, conv2Macs(1) * 1000, 2, true)).to.equal(1);
  });

  it('one thread for a batch-1 pooling call; two for a batch-64 conv, workers asleep or not', () => {
    expect(worthwhileThreads('maxPool2d', 16, 16 * 28 * 28, 2, true)).to.equal(1);
    expect(worthwhileThreads('conv2d', 64, conv2Macs(64), 2, true)).to.equal(2);
    expect(worthwhileThreads('conv2d', 64, conv2Macs(64), 2, false)).to.equal(2);
  });

  it('splits where the time a thread saves exceeds the overhead: sooner when the workers spin', () => {
    // Many even pieces. Spinning workers save half the work T: worth it when T/2 > hot. Sleeping ones
    // join after wakeNs and save half of what is left: worth it when (T − wake)/2 > cold.
    const units = (ns: number) => ns / nsPerUnit.batchNorm;
    for (const [hot, crossoverNs] of [
      [true, 2 * forkJoinNs.hot],
      [false, 2 * forkJoinNs.cold + wakeNs],
    ] as const) {
      expect(worthwhileThreads('batchNorm', 1024, units(0.9 * crossoverNs), 2, hot), `below, hot ${hot}`).to.equal(1);
      expect(worthwhileThreads('batchNorm', 1024, units(1.1 * crossoverNs), 2, hot), `above, hot ${hot}`).to.equal(2);
    }
    expect(forkJoinNs.cold).to.be.greaterThan(forkJoinNs.hot);
  });

  it('cuts a call into a few shares per thread, one on one thread, never more than its pieces', () => {
    expect(sharesFor(64, 1)).to.equal(1);
    expect(sharesFor(64, 2)).to.equal(2 * sharesPerThread);
    expect(sharesFor(3, 2)).to.equal(3);
    expect(sharesFor(0, 2)).to.equal(1);
    expect(sharesFor(64, 2, 1), 'one a thread, asked for').to.equal(2);
    expect(sharesFor(1, 2, 1)).to.equal(1);
  });

  it('counts whole pieces: 3 pieces on 2 threads save a third, not a half', () => {
    const units = (2.5 * forkJoinNs.hot) / nsPerUnit.batchNorm; // half of it exceeds the overhead, a third does not
    expect(worthwhileThreads('batchNorm', 4, units, 2, true)).to.equal(2);
    expect(worthwhileThreads('batchNorm', 3, units, 2, true)).to.equal(1);
  });

  it('never more threads than pieces or than allowed', () => {
    expect(worthwhileThreads('conv2d', 3, conv2Macs(256), 8, false)).to.equal(3);
    expect(worthwhileThreads('conv2d', 256, conv2Macs(256), 4, false)).to.equal(4);
    expect(worthwhileThreads('conv2d', 256, conv2Macs(256), 1, false)).to.equal(1);
  });

  describe('on the wasm backend with 2 threads', () => {
    wasmParityHooks();

    it('a batch-1 inference of the small CNN shares no call; a batch-64 conv shares its call', async () => {
      const model = models.smallCnn({ dtype: 'float32' }).eval();
      const image = randn([1, 1, 28, 28], { dtype: 'float32' });
      // Long enough for the workers to be asleep (spinMs): the batch-1 linear layer repays a second thread only when they spin.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const before = parallelCalls();
      withThreads(2, () => withBackend('wasm', () => noGrad(() => model.forward(image))));
      expect(parallelCalls() - before, 'batch 1').to.equal(0);
      const x = randn([64, 16, 14, 14], { dtype: 'float32' });
      const w = randn([32, 16, 3, 3], { dtype: 'float32' });
      withThreads(2, () => withBackend('wasm', () => F.conv2d(x, w, null, { padding: 1 })));
      expect(parallelCalls() - before, 'batch 64').to.equal(1);
    });
  });
});
