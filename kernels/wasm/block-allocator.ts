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
 *
 * A block of up to 1 MiB given back waits, unmerged, for the next request of its size (16 of a size
 * below 64 KiB, four above): a kernel call takes and gives back a few such blocks (its argument
 * block, its workspace, copies, batch norm's per-channel vectors), and in a mostly free region each
 * would otherwise be split off the largest block and merged back into it, some 25 halvings each way
 * — 1.4–1.8 µs a block, 36 µs of a 400 µs batch-1 inference of the small CNN. Waiting blocks are merged as soon as a request would
 * otherwise take memory never handed out (or find none), and before freeBlocks() lists the free
 * ones. They still move a large block higher now and then: 5,000 steps of the small CNN at batch
 * sizes from 1 to 128 grew the wasm memory to 72.1 MiB instead of 64.1, and no further.
 */

/** 64 bytes: a cache line, and a multiple of v128's 16-byte alignment. */
const minOrder = 6;
/** Blocks up to 2^20 bytes given back wait for the next request of their size: up to 16 of each size below 64 KiB, 4 of each above. */
const maxWaitingOrder = 20;
const waitingPerOrder = (order: number): number => (order < 16 ? 16 : 4);

export class BlockAllocator {
  /** Free blocks by order (log2 of the size), as offsets from the region's start. */
  private readonly free: Set<number>[];
  /** The order of each block handed out, by offset. */
  private readonly used = new Map<number, number>();
  /** Blocks given back and not merged yet, by order, as offsets: the next requests of their size take them. */
  private readonly waiting: number[][];
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
    this.waiting = Array.from({ length: Math.min(maxOrder, maxWaitingOrder) + 1 }, () => []);
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
    const waiting = this.waiting[order]?.pop();
    if (waiting !== undefined) {
      // Handed out before: the memory is grown that far, and not zero.
      this.used.set(waiting, order);
      this.usedBytes += 2 ** order;
      return { address: this.start + waiting, fresh: false };
    }
    let from = order;
    while (from <= this.maxOrder && this.free[from].size === 0) from++;
    if (from > this.maxOrder) return this.mergeWaiting() ? this.allocate(bytes) : undefined;
    const offset = lowest(this.free[from]);
    // Memory never written means the memory grows: merge the waiting blocks first, which may make room below.
    if (this.start + offset + 2 ** order > this.written && this.mergeWaiting()) return this.allocate(bytes);
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

  /** The free blocks, as [address, bytes] (the blocks waiting for a request are merged first). */
  *freeBlocks(): Generator<[number, number]> {
    this.mergeWaiting();
    for (let order = minOrder; order <= this.maxOrder; order++)
      for (const offset of this.free[order]) yield [this.start + offset, 2 ** order];
  }

  /** Gives back the block at `address` (as allocate returned it): it waits for a request of its size, or merges with its free buddies. */
  release(address: number): void {
    const offset = address - this.start;
    const order = this.used.get(offset);
    if (order === undefined) throw new Error(`wasm memory: no block at address ${address} is in use`);
    this.used.delete(offset);
    this.usedBytes -= 2 ** order;
    const waiting = this.waiting[order];
    if (waiting !== undefined && waiting.length < waitingPerOrder(order)) waiting.push(offset);
    else this.merge(offset, order);
  }

  /** Merges every waiting block into the free ones; whether there was any. */
  private mergeWaiting(): boolean {
    let any = false;
    this.waiting.forEach((offsets, order) => {
      for (const offset of offsets.splice(0)) {
        this.merge(offset, order);
        any = true;
      }
    });
    return any;
  }

  /** Frees the block at `offset` of `order`, merged with its free buddies. */
  private merge(offset: number, order: number): void {
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
