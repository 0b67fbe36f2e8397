/**
 * DropBlock's seed-to-block expansion (Ghiasi et al. 2018): every seed drops the block_size ×
 * block_size square whose top-left corner it marks. That is a stride-1 max pool of the seed map
 * with a window reaching block_size − 1 back along each axis:
 *
 *   dropped[y, x] = max { seeds[i, j] : y − b < i ≤ y,  x − b < j ≤ x }
 *
 * Anchoring blocks at their top-left corner treats odd and even block sizes alike (no centre to
 * round), and a seed is only ever placed where its whole block fits (see dropblock.ts). The max is
 * separable, so it runs as a row pass then a column pass: O(H·W·b) per plane instead of O(H·W·b²).
 */

/**
 * Expands `planes` seed maps of H×W (stored back to back in `seeds`, 0 or 1) into block maps in
 * `dropped` (same layout). `rowScratch` must hold at least H·W numbers.
 */
export function expandSeedsToBlocks(
  seeds: ArrayLike<number>,
  planes: number,
  height: number,
  width: number,
  blockSize: number,
  dropped: { [i: number]: number; length: number },
  rowScratch: { [i: number]: number; length: number } = new Float64Array(height * width),
): void {
  const area = height * width;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * area;
    // Row pass: rowScratch[y, x] = max over seeds[y, x−b+1 .. x].
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let m = 0;
        for (let j = Math.max(0, x - blockSize + 1); j <= x && m === 0; j++) m = seeds[base + y * width + j];
        rowScratch[y * width + x] = m;
      }
    }
    // Column pass: dropped[y, x] = max over rowScratch[y−b+1 .. y, x].
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let m = 0;
        for (let i = Math.max(0, y - blockSize + 1); i <= y && m === 0; i++) m = rowScratch[i * width + x];
        dropped[base + y * width + x] = m;
      }
    }
  }
}
