/**
 * Writes the MNIST digits the web demo ships (examples/web/digits/), taken from the repository's
 * gzipped MNIST files (data/mnist): the first 64 test digits (shown under the masks, and the
 * accuracy set) and the first 256 training digits (what the page trains on), as IDX files like
 * MNIST's own, which the page parses with dropgrad's readIdx.
 *
 *   npx tsx scripts/make-web-digits.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIdxFile } from '../app/data/read-idx-file';

const mnistDir = join(__dirname, '../data/mnist');
const outDir = join(__dirname, '../examples/web/digits');
const subsets = [
  { split: 'test', prefix: 't10k', count: 64 },
  { split: 'train', prefix: 'train', count: 256 },
] as const;

/** An IDX file of unsigned bytes: magic (0, 0, type 0x08, rank), big-endian dimensions, the data. */
function idxBytes(shape: readonly number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * shape.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, shape.length);
  shape.forEach((size, i) => {
    header.setUint32(4 + 4 * i, size);
  });
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer));
  out.set(data, header.byteLength);
  return out;
}

mkdirSync(outDir, { recursive: true });
for (const { split, prefix, count } of subsets) {
  for (const kind of ['images', 'labels'] as const) {
    const source = readIdxFile(join(mnistDir, `${prefix}-${kind}-idx${kind === 'images' ? 3 : 1}-ubyte.gz`), { limit: count });
    const shape = [count, ...source.shape.slice(1)];
    const data = source.data.subarray(
      0,
      shape.reduce((a, b) => a * b, 1),
    );
    if (!(data instanceof Uint8Array)) throw new Error(`${prefix}-${kind}: expected unsigned bytes`);
    const file = join(outDir, `${split}-${kind}.idx`);
    writeFileSync(file, idxBytes(shape, data));
    console.log(`wrote ${file} ${JSON.stringify(shape)}`);
  }
}
