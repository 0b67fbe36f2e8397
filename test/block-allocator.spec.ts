/** The wasm heap's buddy allocator (kernels/wasm/block-allocator.ts): sizes, alignment, merging, freshness, limits. */
import { expect } from 'chai';
import { BlockAllocator } from '../kernels/wasm/block-allocator';

describe('BlockAllocator (buddy)', () => {
  const make = (maxOrder = 12): { heap: BlockAllocator; ends: number[] } => {
    const ends: number[] = [];
    return { heap: new BlockAllocator(1 << 16, maxOrder, (end) => ends.push(end)), ends };
  };
  const take = (heap: BlockAllocator, bytes: number): number => {
    const block = heap.allocate(bytes);
    if (block === undefined) throw new Error(`no block of ${bytes} bytes`);
    return block.address;
  };

  it('gives each request a power-of-two block of at least 64 bytes, aligned to its size, lowest first', () => {
    const { heap, ends } = make();
    const a = take(heap, 1);
    const b = take(heap, 100);
    const c = take(heap, 64);
    expect([a, b, c].map((x) => x - (1 << 16))).to.deep.equal([0, 128, 64]);
    expect(heap.bytesInUse).to.equal(64 + 128 + 64);
    expect(ends).to.deep.equal([(1 << 16) + 64, (1 << 16) + 256, (1 << 16) + 128]);
  });

  it('merges a freed block with its free buddy, so that the whole region comes back', () => {
    const { heap } = make(10);
    const blocks = [take(heap, 100), take(heap, 300), take(heap, 64), take(heap, 64), take(heap, 200)];
    for (const address of [blocks[2], blocks[0], blocks[4], blocks[1], blocks[3]]) heap.release(address);
    expect(heap.bytesInUse).to.equal(0);
    expect([...heap.freeBlocks()]).to.deep.equal([[1 << 16, 1024]]);
    expect(take(heap, 1024)).to.equal(1 << 16);
  });

  it('says whether a block lies in memory never handed out before (still zero)', () => {
    const { heap } = make();
    const first = heap.allocate(256);
    expect(first?.fresh).to.equal(true);
    heap.release(first?.address ?? -1);
    expect(heap.allocate(64)?.fresh, 'inside a block handed out before').to.equal(false);
    heap.touch((1 << 16) + 2048);
    expect(heap.allocate(1024)?.fresh, 'below what touch() marked').to.equal(false);
    expect(heap.allocate(2048)?.fresh, 'above it').to.equal(true);
  });

  it('refuses a block larger than the region, or when none is free, and a release of no block by name', () => {
    const { heap } = make(8);
    expect(heap.allocate(257)).to.equal(undefined);
    take(heap, 256);
    expect(heap.allocate(64)).to.equal(undefined);
    expect(() => heap.release(12345)).to.throw('wasm memory: no block at address 12345 is in use');
  });

  it('a block given back waits for the next request of its size, unmerged, and is not zero', () => {
    const { heap: quads } = make(12);
    const [p, , r] = [take(quads, 64), take(quads, 64), take(quads, 64), take(quads, 64)];
    quads.release(p);
    quads.release(r);
    expect(quads.allocate(64), 'the block given back last, not the lowest free one').to.deep.equal({ address: r, fresh: false });
    const { heap } = make(12);
    const a = take(heap, 100);
    const b = take(heap, 100);
    heap.release(a);
    expect(heap.bytesInUse).to.equal(128);
    expect(heap.allocate(128)).to.deep.equal({ address: a, fresh: false });
    heap.release(a);
    expect(() => heap.release(a), 'a waiting block is not in use').to.throw(`no block at address ${a} is in use`);
    // A smaller request would take memory never handed out: the waiting block is merged first, and split.
    expect(take(heap, 64)).to.equal(a);
    expect(take(heap, 64)).to.equal(a + 64);
    expect(take(heap, 64), 'then fresh memory').to.equal(b + 128);
  });

  it('waiting blocks are merged before a request takes memory never handed out', () => {
    const { heap, ends } = make(12);
    const small = [take(heap, 64), take(heap, 64), take(heap, 128), take(heap, 256), take(heap, 512)];
    for (const address of small) heap.release(address);
    // 1024 bytes fit where the five were only once they merge; else the request would go above them.
    expect(take(heap, 1024)).to.equal(1 << 16);
    expect(Math.max(...ends)).to.equal((1 << 16) + 1024);
  });

  it('a random mix of sizes: blocks never overlap, and freeing all of them leaves one block', () => {
    const { heap } = make(20);
    let seed = 5;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const live = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      if (live.size > 0 && random() < 0.45) {
        const addresses = [...live.keys()];
        const address = addresses[Math.floor(random() * addresses.length)];
        heap.release(address);
        live.delete(address);
        continue;
      }
      const bytes = 1 + Math.floor(random() * 20000);
      const block = heap.allocate(bytes);
      if (block === undefined) continue;
      for (const [other, size] of live) {
        expect(
          block.address + bytes <= other || other + size <= block.address,
          `${block.address}+${bytes} overlaps ${other}+${size}`,
        ).to.equal(true);
      }
      live.set(block.address, bytes);
    }
    for (const address of live.keys()) heap.release(address);
    expect([...heap.freeBlocks()]).to.deep.equal([[1 << 16, 1 << 20]]);
  });
});
