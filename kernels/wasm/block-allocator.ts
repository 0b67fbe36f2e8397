/**
 * BlockAllocator: a buddy allocator over one region of the wasm memory's address space. A request
 * of b bytes gets a block of the next power of two (at least minBlockBytes), aligned to its size;
 * a freed block merges with its free "buddy" (the other half of the block they were split from),
 * so blocks of any mix of sizes come back together and the region does not fragment as batch
 * sizes vary. The waste is at most half a block, and pages of a block that are never written are
 * never touched, so they cost address space, not memory.
 *
 * The lowest free block of a size is handed out first, so the used part of the region stays low and
 * the memory grows only as far as the highest block in use (`grow` is told each new end).
 */

/** 64 bytes: a cache line, and a multiple of v128's 16-byte alignment. */
const minOrder = 6;

export class BlockAllocator {
  /** Free blocks by order (log2 of the size), as offsets from the region's start. */
  private readonly free: Set<number>[];
  /** The order of each block handed out, by offset. */
  private readonly used = new Map<number, number>();
  private usedBytes = 0;
  /** The end of the highest block ever handed out (or written by touch): the memory above it was never written, so it is still zero. */
  private written = 0;

  /**
   * @param start the region's first address (a multiple of 64)
   * @param maxOrder log2 of the region's size: the largest block
   * @param grow called with the end address of each block handed out, before it is used
   */
  constructor(
    readonly start: number,
    private readonly maxOrder: number,
    private readonly grow: (end: number) => void,
  ) {
    this.free = Array.from({ length: maxOrder + 1 }, () => new Set<number>());
    this.free[maxOrder].add(0);
  }

  /** Bytes in blocks handed out and not freed (block sizes, not request sizes). */
  get bytesInUse(): number {
    return this.usedBytes;
  }

  /** Records that the memory below `end` may have been written (by something other than a block's owner). */
  touch(end: number): void {
    this.written = Math.max(this.written, end);
  }

  /**
   * A block of at least `bytes` bytes — its address, and whether it lies in memory nothing has written
   * yet (all zero, as the engine grew it) — or undefined when the region has none free.
   */
  allocate(bytes: number): { address: number; fresh: boolean } | undefined {
    const order = Math.max(minOrder, Math.ceil(Math.log2(Math.max(1, bytes))));
    if (order > this.maxOrder) return undefined;
    let from = order;
    while (from <= this.maxOrder && this.free[from].size === 0) from++;
    if (from > this.maxOrder) return undefined;
    const offset = lowest(this.free[from]);
    this.free[from].delete(offset);
    // Split down to the order asked for, keeping the lower half and freeing each upper half.
    for (let split = from - 1; split >= order; split--) this.free[split].add(offset + 2 ** split);
    this.used.set(offset, order);
    this.usedBytes += 2 ** order;
    const address = this.start + offset;
    const end = address + 2 ** order;
    this.grow(end);
    const fresh = address >= this.written;
    this.touch(end);
    return { address, fresh };
  }

  /** The free blocks, as [address, bytes]. */
  *freeBlocks(): Generator<[number, number]> {
    for (let order = minOrder; order <= this.maxOrder; order++)
      for (const offset of this.free[order]) yield [this.start + offset, 2 ** order];
  }

  /** Gives back the block at `address` (as allocate returned it); merges it with its free buddies. */
  release(address: number): void {
    let offset = address - this.start;
    let order = this.used.get(offset);
    if (order === undefined) throw new Error(`wasm memory: no block at address ${address} is in use`);
    this.used.delete(offset);
    this.usedBytes -= 2 ** order;
    while (order < this.maxOrder) {
      const buddy = offset ^ (2 ** order);
      if (!this.free[order].delete(buddy)) break;
      offset = Math.min(offset, buddy);
      order++;
    }
    this.free[order].add(offset);
  }
}

function lowest(offsets: Set<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const offset of offsets) if (offset < min) min = offset;
  return min;
}
