import { expect } from 'chai';
import { type ArgumentBlock, slotNames } from '../kernels/wasm/argument-blocks';
import { callFrame } from '../kernels/wasm/call-frame';
import { wasmInstance } from '../kernels/wasm/instance';

/**
 * The host half of the argument blocks declared in kernels/wasm/argument-blocks.ts (the module half
 * reads the constants generated from the same table: test/wasm-modules.spec.ts checks they are current).
 */
describe('wasm argument blocks', () => {
  it('a block is written in its declared slot order, whatever the order of its fields', () => {
    const frame = callFrame(wasmInstance());
    const address = frame.args('reduceImages', { out: 4, partials: 3, images: 2, count: 1 });
    expect(slotNames('reduceImages')).to.deep.equal(['count', 'images', 'partials', 'out']);
    expect(Array.from(new Int32Array(frame.wasm.memory.buffer, address, 4))).to.deep.equal([1, 2, 3, 4]);
  });

  it('a block with a slot left out is refused, naming the kernel and the slot (never a silent 0)', () => {
    const frame = callFrame(wasmInstance());
    const incomplete = { count: 1, images: 2, out: 4 } as unknown as ArgumentBlock<'reduceImages'>;
    expect(() => frame.args('reduceImages', incomplete)).to.throw(
      "wasm kernel reduceImages: argument 'partials' is missing (got count, images, out)",
    );
    const notInteger = { count: 1, images: Number.NaN, partials: 3, out: 4 };
    expect(() => frame.args('reduceImages', notInteger)).to.throw("wasm kernel reduceImages: argument 'images' is NaN, not an integer");
  });
});
