import { expect } from 'chai';
import { F, randn, withBackend } from '../index';
import { wasmBatchNorm } from '../kernels/batchnorm/wasm';
import { reusingOperands } from '../kernels/operand-reuse';
import { CallFrame } from '../kernels/wasm/call-frame';
import { expectSameBits } from './helpers/wasm-threads';

/** The byte sizes of every reservation the wasm frames make while `fn` runs. */
function reservations(fn: () => void): number[] {
  const sizes: number[] = [];
  const original = CallFrame.prototype.reserve;
  CallFrame.prototype.reserve = function (this: CallFrame, bytes: number): number {
    sizes.push(bytes);
    return original.call(this, bytes);
  };
  try {
    fn();
  } finally {
    CallFrame.prototype.reserve = original;
  }
  return sizes;
}

describe('reusingOperands: kernel calls that read the same arrays copy them into wasm memory once', () => {
  const x = randn([4, 3, 10, 10], { dtype: 'float32' });
  const bytes = x.numel * 4;

  it('batch norm forward copies x once for its two passes (and reserves y once)', () => {
    const sizes = withBackend('wasm', () => reservations(() => F.batchNorm(x, null, null, null, null, true)));
    expect(sizes.filter((s) => s === bytes)).to.have.length(2);
  });

  it('outside a scope every call copies its operands', () => {
    const layout = { batch: 4, channels: 3, spatial: 100 };
    const data = x.storage as Float32Array;
    const sizes = reservations(() => {
      wasmBatchNorm.channelMoments(data, layout, new Float64Array(3), new Float64Array(3));
      wasmBatchNorm.channelMoments(data, layout, new Float64Array(3), new Float64Array(3));
    });
    expect(sizes.filter((s) => s === bytes)).to.have.length(2);
  });

  it('an array a call writes is read afresh by a later call in the scope', () => {
    const layout = { batch: 4, channels: 3, spatial: 100 };
    const run = (inScope: (fn: () => void) => void): ArrayBufferView[] => {
      const a = Float32Array.from(x.storage);
      const b = new Float32Array(a.length);
      const [mean, variance] = [new Float64Array(3), new Float64Array(3)];
      const scale = Float64Array.of(2, 3, 4);
      const shift = Float64Array.of(1, -1, 0.5);
      inScope(() => {
        wasmBatchNorm.normalize(a, layout, new Float64Array(3), scale, shift, b); // reads a (kept)
        wasmBatchNorm.normalize(b, layout, new Float64Array(3), scale, shift, a); // writes a
        wasmBatchNorm.channelMoments(a, layout, mean, variance); // must read the new a
      });
      return [a, mean, variance];
    };
    expectSameBits(
      run(reusingOperands),
      run((fn) => fn()),
    );
  });
});
