/**
 * DropBlock's seed-to-block expansion (Ghiasi et al. 2018): every seed drops the block_size ×
 * block_size square whose top-left corner it marks. That is a stride-1 max pool of the seed map
 * with a window reaching block_size − 1 back along each axis:
 *
 *   dropped[y, x] = max { seeds[i, j] : y − b < i ≤ y,  x − b < j ≤ x }
 *
 * Anchoring blocks at their top-left corner treats odd and even block sizes alike (no centre to
 * round), and a seed is only ever placed where its whole block fits (see dropblock.ts). The max is
 * separable, so it runs as a row pass then a column pass, each remembering where the latest 1 was:
 * O(H·W) per plane, whatever b is.
 */

/**
 * Expands `planes` seed maps of H×W (stored back to back in `seeds`, 0 or 1) into block maps in
 * `dropped` (same layout, 1 where a block covers the unit). Bytes, not numbers: the loops read one
 * array type only, which keeps them as fast as the engine makes a loop.
 */
export function expandSeedsToBlocks(
  seeds: Uint8Array,
  planes: number,
  height: number,
  width: number,
  blockSize: number,
  dropped: Uint8Array,
): void {
  const area = height * width;
  const rows = new Uint8Array(area);
  // lastRow[x]: the latest row y at or above the current one with rows[y, x] = 1.
  const lastRow = new Int32Array(width);
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * area;
    // Row pass: rows[y, x] = 1 when the latest seed at or left of x is less than b columns back.
    for (let y = 0; y < height; y++) {
      let lastSeed = -blockSize;
      for (let x = 0; x < width; x++) {
        if (seeds[base + y * width + x] !== 0) lastSeed = x;
        rows[y * width + x] = x - lastSeed < blockSize ? 1 : 0;
      }
    }
    // Column pass: the same down each column, over rows.
    lastRow.fill(-blockSize);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (rows[y * width + x] !== 0) lastRow[x] = y;
        dropped[base + y * width + x] = y - lastRow[x] < blockSize ? 1 : 0;
      }
    }
  }
}
